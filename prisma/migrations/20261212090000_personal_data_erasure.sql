-- migrate:up

-- Erasure removes a person, not only their recalled content (docs/audit-log.md, "Personal data").
-- The audit log refers to people by id and resolves names when it is read; erasure replaces the
-- person's email and name by placeholders, ends the account and sets erased_at, so every entry
-- that names them by id shows an erased person from then on. An erased person stays erased.
ALTER TABLE users ADD COLUMN erased_at timestamptz(3);
ALTER TABLE users ADD CONSTRAINT users_erased_inactive CHECK (erased_at IS NULL OR (NOT active AND password_hash IS NULL));

CREATE FUNCTION users_erased_stays_erased() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF OLD.erased_at IS NOT NULL
     AND (NEW.erased_at IS DISTINCT FROM OLD.erased_at OR NEW.email <> OLD.email OR NEW.display_name <> OLD.display_name) THEN
    RAISE EXCEPTION 'an erased person stays erased' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER users_erased_stays_erased BEFORE UPDATE ON users
  FOR EACH ROW EXECUTE FUNCTION users_erased_stays_erased();

-- Events carried the sender's display name, which erasure could not reach (events never change).
-- Names are now resolved when an event is read or delivered; the names already stored go. Events
-- are not hashed into the audit log, so removing a field from their payload breaks no proof.
ALTER TABLE events DISABLE TRIGGER events_immutable;
UPDATE events SET payload = payload - 'senderName' WHERE payload ? 'senderName';
ALTER TABLE events ENABLE TRIGGER events_immutable;

-- migrate:down

DROP TRIGGER IF EXISTS users_erased_stays_erased ON users;
DROP FUNCTION IF EXISTS users_erased_stays_erased();
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_erased_inactive;
ALTER TABLE users DROP COLUMN IF EXISTS erased_at;
