-- migrate:up

-- Message content sealed at rest (docs/keys.md). A message's body and extras are AES-256-GCM
-- ciphertext under the message's own data key; the key is stored only wrapped by the organisation's
-- KEK (kek_id names the master it was derived from). A recall sets the ciphertext and the wrapped
-- key to NULL in one statement. Rows written before this migration keep body/attachment in clear
-- until `npm run keys -- rotate` seals them.
ALTER TABLE messages
  ADD COLUMN content_sealed bytea,
  ADD COLUMN content_key bytea,
  ADD COLUMN content_kek_id text;
ALTER TABLE messages
  ADD CONSTRAINT messages_sealed_whole CHECK ((content_sealed IS NULL) = (content_key IS NULL) AND (content_key IS NULL) = (content_kek_id IS NULL)),
  ADD CONSTRAINT messages_sealed_not_plain CHECK (content_sealed IS NULL OR (body IS NULL AND attachment IS NULL)),
  ADD CONSTRAINT messages_recalled_keyless CHECK (recalled_at IS NULL OR content_key IS NULL);

-- KEK rotation re-wraps data keys and signing keys under the active KEK: the one change besides
-- shredding a data key may take, and the only change a signing key accepts (same key, new wrap).
CREATE OR REPLACE FUNCTION audit_data_key_only_shreds() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF (NEW.tenant_id, NEW.id, NEW.subject_user_id, NEW.period, NEW.created_at)
     IS DISTINCT FROM (OLD.tenant_id, OLD.id, OLD.subject_user_id, OLD.period, OLD.created_at)
     OR OLD.wrapped_key IS NULL
     OR (NEW.wrapped_key IS NULL AND NEW.kek_id IS DISTINCT FROM OLD.kek_id)
     OR (NEW.wrapped_key IS NOT NULL AND (NEW.kek_id = OLD.kek_id OR NEW.destroyed_at IS NOT NULL)) THEN
    RAISE EXCEPTION 'a data key can only be destroyed, or re-wrapped under another KEK' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;

CREATE FUNCTION audit_signing_key_only_rewraps() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF (NEW.tenant_id, NEW.key_name, NEW.public_key, NEW.created_at) IS DISTINCT FROM (OLD.tenant_id, OLD.key_name, OLD.public_key, OLD.created_at)
     OR NEW.kek_id = OLD.kek_id THEN
    RAISE EXCEPTION 'changing a signing key is not allowed: it can only be re-wrapped under another KEK' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
DROP TRIGGER audit_signing_keys_immutable ON audit_signing_keys;
CREATE TRIGGER audit_signing_keys_no_delete BEFORE DELETE ON audit_signing_keys
  FOR EACH ROW EXECUTE FUNCTION reject_mutation();
CREATE TRIGGER audit_signing_keys_rewrap_only BEFORE UPDATE ON audit_signing_keys
  FOR EACH ROW EXECUTE FUNCTION audit_signing_key_only_rewraps();

-- Master KEKs retired by a rotation: nothing is wrapped under them any more, and the API refuses to
-- run with one as its active KEK. Not tenant data (no RLS); a retirement is never undone.
CREATE TABLE kek_retirements (
  kek_id      text PRIMARY KEY,
  replaced_by text NOT NULL,
  retired_at  timestamptz(3) NOT NULL DEFAULT now(),
  CHECK (replaced_by <> kek_id)
);
CREATE TRIGGER kek_retirements_immutable BEFORE UPDATE OR DELETE ON kek_retirements
  FOR EACH ROW EXECUTE FUNCTION reject_mutation();

GRANT UPDATE (kek_id) ON audit_data_keys TO retract_app;
GRANT UPDATE (private_key_sealed, kek_id) ON audit_signing_keys TO retract_app;
GRANT UPDATE (secret_sealed, kek_id) ON webhooks TO retract_app;
GRANT SELECT, INSERT ON kek_retirements TO retract_app;

-- migrate:down
REVOKE UPDATE (secret_sealed, kek_id) ON webhooks FROM retract_app;
REVOKE UPDATE (private_key_sealed, kek_id) ON audit_signing_keys FROM retract_app;
REVOKE UPDATE (kek_id) ON audit_data_keys FROM retract_app;
DROP TABLE IF EXISTS kek_retirements;
DROP TRIGGER IF EXISTS audit_signing_keys_rewrap_only ON audit_signing_keys;
DROP TRIGGER IF EXISTS audit_signing_keys_no_delete ON audit_signing_keys;
CREATE TRIGGER audit_signing_keys_immutable BEFORE UPDATE OR DELETE ON audit_signing_keys
  FOR EACH ROW EXECUTE FUNCTION reject_mutation();
DROP FUNCTION IF EXISTS audit_signing_key_only_rewraps();
CREATE OR REPLACE FUNCTION audit_data_key_only_shreds() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF OLD.wrapped_key IS NULL OR NEW.wrapped_key IS NOT NULL
     OR (NEW.tenant_id, NEW.id, NEW.subject_user_id, NEW.period, NEW.kek_id, NEW.created_at)
        IS DISTINCT FROM (OLD.tenant_id, OLD.id, OLD.subject_user_id, OLD.period, OLD.kek_id, OLD.created_at) THEN
    RAISE EXCEPTION 'a data key can only be destroyed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
ALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_recalled_keyless, DROP CONSTRAINT IF EXISTS messages_sealed_not_plain,
  DROP CONSTRAINT IF EXISTS messages_sealed_whole;
ALTER TABLE messages DROP COLUMN IF EXISTS content_kek_id, DROP COLUMN IF EXISTS content_key, DROP COLUMN IF EXISTS content_sealed;
