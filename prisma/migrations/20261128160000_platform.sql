-- migrate:up

-- The API connects as retract_app: no superuser, no BYPASSRLS, owns nothing, so every
-- row it touches passes Row Level Security. Migrations run as the owner role instead.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'retract_app') THEN
    CREATE ROLE retract_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION;
  END IF;
END
$$;

REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO retract_app;

-- NULL (and so no rows) when the transaction has not set a tenant: RLS fails closed.
CREATE FUNCTION app_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

-- Every tenant table gets the same two statements and policy: RLS enabled, forced (so the owner
-- is bound too) and keyed on the transaction's tenant.
CREATE FUNCTION enable_tenant_isolation(p_table regclass) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', p_table);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', p_table);
  EXECUTE format('CREATE POLICY tenant_isolation ON %s USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant())', p_table);
END
$$;

CREATE FUNCTION reject_mutation() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  RAISE EXCEPTION '% on % is not allowed: the table is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TABLE tenants (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$' AND length(slug) BETWEEN 2 AND 63),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  locale      text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'zh-CN', 'ja')),
  created_at  timestamptz(3) NOT NULL DEFAULT now()
);

CREATE TYPE user_role AS ENUM ('ADMIN', 'COMPLIANCE', 'EMPLOYEE');

CREATE TABLE users (
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  email          text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  display_name   text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 120),
  password_hash  text,
  roles          user_role[] NOT NULL CHECK (cardinality(roles) BETWEEN 1 AND 3),
  locale         text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'zh-CN', 'ja')),
  active         boolean NOT NULL DEFAULT true,
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  updated_at     timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, email)
);

CREATE TABLE sessions (
  tenant_id    uuid NOT NULL,
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id      uuid NOT NULL,
  created_at   timestamptz(3) NOT NULL DEFAULT now(),
  expires_at   timestamptz(3) NOT NULL,
  revoked_at   timestamptz(3),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX sessions_user_idx ON sessions (tenant_id, user_id) WHERE revoked_at IS NULL;

CREATE TYPE conversation_kind AS ENUM ('GROUP', 'DIRECT');

CREATE TABLE conversations (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  kind        conversation_kind NOT NULL,
  title       text CHECK (title IS NULL OR length(title) BETWEEN 1 AND 200),
  created_by  uuid NOT NULL,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id)
);

CREATE TABLE conversation_members (
  tenant_id        uuid NOT NULL,
  conversation_id  uuid NOT NULL,
  user_id          uuid NOT NULL,
  joined_at        timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, conversation_id, user_id),
  FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX conversation_members_user_idx ON conversation_members (tenant_id, user_id);

CREATE TYPE message_type AS ENUM ('TEXT', 'IMAGE', 'VIDEO', 'FILE', 'VOICE', 'LOCATION', 'RED_PACKET', 'TRANSFER');

CREATE TABLE messages (
  tenant_id            uuid NOT NULL,
  id                   uuid NOT NULL DEFAULT gen_random_uuid(),
  conversation_id      uuid NOT NULL,
  sender_id            uuid NOT NULL,
  type                 message_type NOT NULL,
  body                 text,
  attachment           jsonb,
  sent_at              timestamptz(3) NOT NULL DEFAULT now(),
  replaces_message_id  uuid,
  recalled_at          timestamptz(3),
  recalled_by          uuid,
  recall_audit_seq     bigint,
  reedit_until         timestamptz(3),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id),
  FOREIGN KEY (tenant_id, sender_id) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, replaces_message_id) REFERENCES messages (tenant_id, id),
  -- A recalled message keeps no content in the live store: the audit record is the only copy.
  CHECK (recalled_at IS NULL OR (body IS NULL AND attachment IS NULL))
);
CREATE INDEX messages_conversation_idx ON messages (tenant_id, conversation_id, sent_at DESC, id DESC);

CREATE TYPE receipt_kind AS ENUM ('DELIVERED', 'DOWNLOADED', 'RECALL_APPLIED');

CREATE TABLE message_receipts (
  tenant_id   uuid NOT NULL,
  message_id  uuid NOT NULL,
  user_id     uuid NOT NULL,
  kind        receipt_kind NOT NULL,
  at          timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, message_id, user_id, kind),
  FOREIGN KEY (tenant_id, message_id) REFERENCES messages (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);

CREATE TABLE message_hidden (
  tenant_id   uuid NOT NULL,
  message_id  uuid NOT NULL,
  user_id     uuid NOT NULL,
  hidden_at   timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, message_id, user_id),
  FOREIGN KEY (tenant_id, message_id) REFERENCES messages (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);

CREATE TABLE policy_versions (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  version     integer NOT NULL CHECK (version >= 1),
  document    jsonb NOT NULL,
  diff        jsonb NOT NULL DEFAULT '[]',
  created_by  uuid,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, version),
  FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id)
);
CREATE TRIGGER policy_versions_immutable BEFORE UPDATE OR DELETE ON policy_versions
  FOR EACH ROW EXECUTE FUNCTION reject_mutation();
CREATE TRIGGER policy_versions_no_truncate BEFORE TRUNCATE ON policy_versions
  FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation();

-- Row Level Security: ENABLE and FORCE (so the owner is bound too) on every tenant table.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
  USING (id = app_current_tenant()) WITH CHECK (id = app_current_tenant());

SELECT enable_tenant_isolation(t) FROM unnest(ARRAY['users', 'sessions', 'conversations', 'conversation_members', 'messages',
                                                   'message_receipts', 'message_hidden', 'policy_versions']::regclass[]) AS t;

GRANT SELECT, INSERT ON tenants TO retract_app;
GRANT SELECT, INSERT, UPDATE ON users, sessions, conversations, messages TO retract_app;
GRANT SELECT, INSERT, DELETE ON conversation_members, message_hidden TO retract_app;
GRANT SELECT, INSERT ON message_receipts, policy_versions TO retract_app;

-- Login resolves a tenant slug before any tenant is set; this is the one read that may cross
-- the RLS boundary, and it returns only the id of the slug asked for.
CREATE FUNCTION tenant_id_for_slug(p_slug text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT id FROM tenants WHERE slug = p_slug $$;
REVOKE ALL ON FUNCTION tenant_id_for_slug(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tenant_id_for_slug(text) TO retract_app;

-- Login throttling is keyed on hashes of (tenant, email) and of the client address, before any
-- tenant is known; the table holds no tenant data and the app reaches it only through this function.
CREATE TABLE auth_throttle (
  key           bytea PRIMARY KEY,
  window_start  timestamptz(3) NOT NULL,
  attempts      integer NOT NULL
);
REVOKE ALL ON auth_throttle FROM PUBLIC;
ALTER TABLE auth_throttle ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth_throttle FORCE ROW LEVEL SECURITY;
-- No policy for retract_app: only the SECURITY DEFINER functions below (run as the owner) see rows.
CREATE POLICY owner_only ON auth_throttle USING (current_user <> 'retract_app');

-- Counts one failed attempt; returns the seconds to wait when the limit is exceeded, else 0.
CREATE FUNCTION auth_throttle_fail(p_key bytea, p_window_seconds integer, p_max integer) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
DECLARE row auth_throttle;
BEGIN
  INSERT INTO auth_throttle AS t (key, window_start, attempts) VALUES (p_key, now(), 1)
  ON CONFLICT (key) DO UPDATE
    SET attempts = CASE WHEN t.window_start < now() - make_interval(secs => p_window_seconds) THEN 1 ELSE t.attempts + 1 END,
        window_start = CASE WHEN t.window_start < now() - make_interval(secs => p_window_seconds) THEN now() ELSE t.window_start END
  RETURNING * INTO row;
  IF row.attempts > p_max THEN
    RETURN greatest(1, ceil(extract(epoch FROM (row.window_start + make_interval(secs => p_window_seconds) - now())))::integer);
  END IF;
  RETURN 0;
END
$$;

-- Seconds to wait before another attempt is accepted (0 = go ahead).
CREATE FUNCTION auth_throttle_wait(p_key bytea, p_window_seconds integer, p_max integer) RETURNS integer
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
  SELECT coalesce((
    SELECT greatest(1, ceil(extract(epoch FROM (window_start + make_interval(secs => p_window_seconds) - now())))::integer)
    FROM auth_throttle
    WHERE key = p_key AND attempts >= p_max AND window_start >= now() - make_interval(secs => p_window_seconds)
  ), 0)
$$;

CREATE FUNCTION auth_throttle_clear(p_key bytea) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ DELETE FROM auth_throttle WHERE key = p_key $$;

REVOKE ALL ON FUNCTION auth_throttle_fail(bytea, integer, integer), auth_throttle_wait(bytea, integer, integer), auth_throttle_clear(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_throttle_fail(bytea, integer, integer), auth_throttle_wait(bytea, integer, integer), auth_throttle_clear(bytea) TO retract_app;

-- migrate:down
DROP FUNCTION IF EXISTS auth_throttle_clear(bytea), auth_throttle_wait(bytea, integer, integer), auth_throttle_fail(bytea, integer, integer);
DROP TABLE IF EXISTS auth_throttle;
DROP FUNCTION IF EXISTS tenant_id_for_slug(text);
DROP TABLE IF EXISTS policy_versions, message_hidden, message_receipts, messages, conversation_members, conversations, sessions, users, tenants;
DROP TYPE IF EXISTS receipt_kind, message_type, conversation_kind, user_role;
DROP FUNCTION IF EXISTS enable_tenant_isolation(regclass), reject_mutation(), app_current_tenant();
