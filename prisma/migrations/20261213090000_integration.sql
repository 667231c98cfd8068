-- migrate:up

-- Integration mode (docs/integration.md): chat systems that are not Retract's own messaging ask for
-- recall decisions and record recalls through service accounts; people, conversations and messages
-- of those systems are named by (source, external id) and mapped to Retract's own ids.
ALTER TYPE audit_action ADD VALUE 'SERVICE_ACCOUNT_CREATED';
ALTER TYPE audit_action ADD VALUE 'SERVICE_ACCOUNT_REVOKED';
ALTER TYPE audit_action ADD VALUE 'DIRECTORY_PERSON_CHANGED';

-- The token is shown once and kept only as its SHA-256 (a 256-bit random token needs no slow hash).
CREATE TABLE service_accounts (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  scopes        text[] NOT NULL CHECK (cardinality(scopes) BETWEEN 1 AND 3
                                       AND scopes <@ ARRAY['recall:decide', 'recall:record', 'directory:write']),
  token_hash    bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  created_by    uuid NOT NULL,
  created_at    timestamptz(3) NOT NULL DEFAULT now(),
  last_used_at  timestamptz(3),
  revoked_at    timestamptz(3),
  revoked_by    uuid,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, revoked_by) REFERENCES users (tenant_id, id),
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
SELECT enable_tenant_isolation('service_accounts');
-- The app never reads the token hashes: tokens are looked up by service_account_enter() only.
GRANT SELECT (tenant_id, id, name, scopes, created_by, created_at, last_used_at, revoked_at, revoked_by), INSERT ON service_accounts TO retract_app;
GRANT UPDATE (revoked_at, revoked_by) ON service_accounts TO retract_app;

-- A revoked account stays revoked, and nothing else of an account changes (last use aside).
CREATE FUNCTION service_account_only_revokes() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF (NEW.tenant_id, NEW.id, NEW.name, NEW.scopes, NEW.token_hash, NEW.created_by, NEW.created_at)
       IS DISTINCT FROM (OLD.tenant_id, OLD.id, OLD.name, OLD.scopes, OLD.token_hash, OLD.created_by, OLD.created_at)
     OR (OLD.revoked_at IS NOT NULL AND (NEW.revoked_at, NEW.revoked_by) IS DISTINCT FROM (OLD.revoked_at, OLD.revoked_by)) THEN
    RAISE EXCEPTION 'a service account can only be revoked, once' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER service_accounts_only_revoke BEFORE UPDATE ON service_accounts
  FOR EACH ROW EXECUTE FUNCTION service_account_only_revokes();
CREATE TRIGGER service_accounts_no_delete BEFORE DELETE ON service_accounts
  FOR EACH ROW EXECUTE FUNCTION reject_mutation();

-- The token is the only thing a request carries, so the account (and its organisation) is found by
-- the token's hash before any tenant is set: as retract_platform, returning the live account only.
-- Last use is written at most once a minute, so concurrent requests of one account do not queue on its row.
GRANT SELECT, UPDATE (last_used_at) ON service_accounts TO retract_platform;
CREATE FUNCTION service_account_enter(p_token_hash bytea)
  RETURNS TABLE (tenant_id uuid, id uuid, name text, scopes text[])
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  UPDATE service_accounts s SET last_used_at = now()
   WHERE s.token_hash = p_token_hash AND s.revoked_at IS NULL
     AND (s.last_used_at IS NULL OR s.last_used_at < now() - interval '60 seconds');
  RETURN QUERY SELECT s.tenant_id, s.id, s.name, s.scopes FROM service_accounts s
                WHERE s.token_hash = p_token_hash AND s.revoked_at IS NULL;
END
$$;
ALTER FUNCTION service_account_enter(bytea) OWNER TO retract_platform;
REVOKE ALL ON FUNCTION service_account_enter(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION service_account_enter(bytea) TO retract_app;

-- People of a chat system: login-less users (no password, no role) created on first use.
CREATE TABLE external_people (
  tenant_id    uuid NOT NULL,
  source       text NOT NULL CHECK (source ~ '^[a-z0-9][a-z0-9._-]{0,31}$'),
  external_id  text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 255),
  user_id      uuid NOT NULL,
  created_at   timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, source, external_id),
  UNIQUE (tenant_id, user_id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
SELECT enable_tenant_isolation('external_people');
GRANT SELECT, INSERT ON external_people TO retract_app;

CREATE TABLE external_conversations (
  tenant_id        uuid NOT NULL,
  source           text NOT NULL CHECK (source ~ '^[a-z0-9][a-z0-9._-]{0,31}$'),
  external_id      text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 255),
  conversation_id  uuid NOT NULL,
  created_at       timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, source, external_id),
  UNIQUE (tenant_id, conversation_id),
  FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id)
);
SELECT enable_tenant_isolation('external_conversations');
GRANT SELECT, INSERT ON external_conversations TO retract_app;

-- Messages of a chat system. Their content never comes here: only what a recall sends, sealed in
-- its audit entry. `first_seen_at` is Retract's clock when it first saw the message (the skew rule).
-- A decision writes a row only for a message whose sentAt is ahead of that clock beyond the skew.
CREATE TABLE external_messages (
  tenant_id        uuid NOT NULL,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  source           text NOT NULL CHECK (source ~ '^[a-z0-9][a-z0-9._-]{0,31}$'),
  external_id      text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 255),
  first_seen_at    timestamptz(3) NOT NULL,
  recalled_at      timestamptz(3),
  recalled_by      uuid,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, source, external_id),
  FOREIGN KEY (tenant_id, recalled_by) REFERENCES users (tenant_id, id),
  CHECK ((recalled_at IS NULL) = (recalled_by IS NULL))
);
-- The actor's recalls of the last hour (the policy's rate limit).
CREATE INDEX external_messages_recalled_by_idx ON external_messages (tenant_id, recalled_by, recalled_at) WHERE recalled_at IS NOT NULL;
SELECT enable_tenant_isolation('external_messages');
GRANT SELECT, INSERT ON external_messages TO retract_app;
GRANT UPDATE (recalled_at, recalled_by) ON external_messages TO retract_app;

-- Idempotency-Key (docs/integration.md, "Idempotency"): the first answer to a key, replayed to the
-- same body, refused to another. Written in the transaction of the recall it answers, so a key is
-- stored exactly when its recall (or recorded refusal) committed; the answer's audit seq is added
-- once the log has integrated the entry.
CREATE TABLE idempotency_keys (
  tenant_id           uuid NOT NULL,
  service_account_id  uuid NOT NULL,
  key                 text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  request_id          uuid NOT NULL,
  fingerprint         bytea NOT NULL CHECK (length(fingerprint) = 32),
  message_id          uuid,
  status              integer CHECK (status BETWEEN 200 AND 599),
  response            jsonb,
  headers             jsonb NOT NULL DEFAULT '{}',
  created_at          timestamptz(3) NOT NULL DEFAULT now(),
  completed_at        timestamptz(3),
  PRIMARY KEY (tenant_id, service_account_id, key),
  FOREIGN KEY (tenant_id, service_account_id) REFERENCES service_accounts (tenant_id, id),
  CHECK ((completed_at IS NULL) OR (status IS NOT NULL AND response IS NOT NULL))
);
CREATE INDEX idempotency_keys_age_idx ON idempotency_keys (created_at);
SELECT enable_tenant_isolation('idempotency_keys');
GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO retract_app;

-- Keys older than p_age, in every organisation (the expiry job).
GRANT SELECT, DELETE ON idempotency_keys TO retract_platform;
CREATE FUNCTION idempotency_keys_expire(p_age interval) RETURNS bigint
  LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ WITH gone AS (DELETE FROM idempotency_keys WHERE created_at < now() - p_age RETURNING 1) SELECT count(*) FROM gone $$;
ALTER FUNCTION idempotency_keys_expire(interval) OWNER TO retract_platform;
REVOKE ALL ON FUNCTION idempotency_keys_expire(interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION idempotency_keys_expire(interval) TO retract_app;

-- The audit list's `source` filter: entries about a message of that chat system. Same function as
-- before (20261202190000_audit_browse_indexes.sql says why it runs as retract_platform) with one
-- more filter, matched through external_messages (indexed by its unique (tenant, source, external_id)).
-- The ten-argument version stays: API replicas of the previous release call it during a rolling deploy.
GRANT SELECT (tenant_id, id, source) ON external_messages TO retract_platform;
CREATE FUNCTION audit_browse_seqs(
  p_before bigint, p_limit integer, p_action audit_action, p_actor uuid, p_subject uuid,
  p_conversation uuid, p_message uuid, p_from timestamptz, p_to timestamptz, p_pattern text, p_source text
) RETURNS SETOF bigint
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
DECLARE
  tenant uuid := app_current_tenant();
  low bigint := 0;
  high bigint;
  bound bigint;
  wanted integer := p_limit;
  found integer;
  window_size bigint := 4096;
  window_low bigint;
  query text := 'SELECT seq FROM audit_entries WHERE tenant_id = $1 AND seq >= $2 AND seq < $3';
BEGIN
  IF tenant IS NULL OR p_limit IS NULL OR p_limit < 1 THEN
    RETURN;
  END IF;
  SELECT size INTO high FROM audit_log_heads WHERE tenant_id = tenant;
  high := least(coalesce(high, 0), coalesce(p_before, high));
  IF p_from IS NOT NULL THEN
    SELECT seq INTO bound FROM audit_entries WHERE tenant_id = tenant AND occurred_at >= p_from ORDER BY occurred_at, seq LIMIT 1;
    IF bound IS NULL THEN
      RETURN;
    END IF;
    low := bound;
    query := query || ' AND occurred_at + interval ''0'' >= $9';
  END IF;
  IF p_to IS NOT NULL THEN
    SELECT seq INTO bound FROM audit_entries WHERE tenant_id = tenant AND occurred_at <= p_to ORDER BY occurred_at DESC, seq DESC LIMIT 1;
    IF bound IS NULL THEN
      RETURN;
    END IF;
    high := least(high, bound + 1);
    query := query || ' AND occurred_at + interval ''0'' <= $10';
  END IF;
  IF p_action IS NOT NULL THEN
    query := query || ' AND action = $4';
  END IF;
  IF p_actor IS NOT NULL THEN
    query := query || ' AND actor_id = $5';
  END IF;
  IF p_subject IS NOT NULL THEN
    query := query || ' AND subject_user_id = $6';
  END IF;
  IF p_conversation IS NOT NULL THEN
    query := query || ' AND conversation_id = $7';
  END IF;
  IF p_message IS NOT NULL THEN
    query := query || ' AND message_id = $8';
  END IF;
  IF p_source IS NOT NULL THEN
    query := query || ' AND message_id IN (SELECT x.id FROM external_messages x WHERE x.tenant_id = $1 AND x.source = $13)';
  END IF;
  -- EXECUTE plans each statement for its values: no generic plan for optional filters.
  IF p_pattern IS NULL THEN
    RETURN QUERY EXECUTE query || ' ORDER BY seq DESC LIMIT $12'
      USING tenant, low, high, p_action, p_actor, p_subject, p_conversation, p_message, p_from, p_to, p_pattern, wanted, p_source;
    RETURN;
  END IF;
  WHILE high > low AND wanted > 0 LOOP
    window_low := greatest(low, high - window_size);
    -- The first window is always walked (~10 ms): `search_text || ''` keeps the planner off the
    -- trigram index there, which it picks on smaller logs even for the commonest terms (40 ms at
    -- 1 M entries for a term in 4% of them). Later windows are the planner's choice.
    RETURN QUERY EXECUTE query
      || CASE WHEN window_size = 4096 THEN ' AND search_text || '''' LIKE $11' ELSE ' AND search_text LIKE $11' END
      || ' ORDER BY seq DESC LIMIT $12'
      USING tenant, window_low, high, p_action, p_actor, p_subject, p_conversation, p_message, p_from, p_to, p_pattern, wanted, p_source;
    GET DIAGNOSTICS found = ROW_COUNT;
    wanted := wanted - found;
    high := window_low;
    window_size := window_size * 8;
  END LOOP;
END
$$;
ALTER FUNCTION audit_browse_seqs(bigint, integer, audit_action, uuid, uuid, uuid, uuid, timestamptz, timestamptz, text, text) OWNER TO retract_platform;
REVOKE ALL ON FUNCTION audit_browse_seqs(bigint, integer, audit_action, uuid, uuid, uuid, uuid, timestamptz, timestamptz, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_browse_seqs(bigint, integer, audit_action, uuid, uuid, uuid, uuid, timestamptz, timestamptz, text, text) TO retract_app;

-- migrate:down
DROP FUNCTION IF EXISTS audit_browse_seqs(bigint, integer, audit_action, uuid, uuid, uuid, uuid, timestamptz, timestamptz, text, text);
DROP FUNCTION IF EXISTS idempotency_keys_expire(interval);
DROP TABLE IF EXISTS idempotency_keys;
DROP TABLE IF EXISTS external_messages;
DROP TABLE IF EXISTS external_conversations;
DROP TABLE IF EXISTS external_people;
DROP FUNCTION IF EXISTS service_account_enter(bytea);
DROP TABLE IF EXISTS service_accounts;
DROP FUNCTION IF EXISTS service_account_only_revokes();
