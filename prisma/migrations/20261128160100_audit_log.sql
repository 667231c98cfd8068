-- migrate:up

CREATE TYPE audit_action AS ENUM (
  'MESSAGE_RECALLED', 'RECALL_DENIED', 'MESSAGE_REEDITED', 'POLICY_CHANGED', 'ROLE_CHANGED',
  'USER_CREATED', 'USER_DEACTIVATED', 'USER_REACTIVATED', 'PASSWORD_CHANGED', 'LEGAL_HOLD_PLACED', 'LEGAL_HOLD_RELEASED',
  'CONTENT_ERASED', 'ERASURE_REFUSED', 'RETENTION_SHREDDED', 'EXPORT_CREATED', 'AUDIT_CONTENT_VIEWED',
  'WEBHOOK_CHANGED'
);

-- One row per tenant: the size of its log and the right edge of its Merkle tree. Appends
-- lock this row, so seq is assigned one at a time per tenant while tenants run in parallel.
CREATE TABLE audit_log_heads (
  tenant_id   uuid PRIMARY KEY REFERENCES tenants (id),
  size        bigint NOT NULL DEFAULT 0 CHECK (size >= 0),
  frontier    bytea[] NOT NULL DEFAULT '{}',
  updated_at  timestamptz(3) NOT NULL DEFAULT now()
);

CREATE FUNCTION audit_log_head_only_grows() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF NEW.tenant_id <> OLD.tenant_id OR NEW.size < OLD.size THEN
    RAISE EXCEPTION 'the audit log head may only grow' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER audit_log_heads_grow BEFORE UPDATE ON audit_log_heads
  FOR EACH ROW EXECUTE FUNCTION audit_log_head_only_grows();
CREATE TRIGGER audit_log_heads_no_delete BEFORE DELETE ON audit_log_heads
  FOR EACH ROW EXECUTE FUNCTION reject_mutation();
CREATE TRIGGER audit_log_heads_no_truncate BEFORE TRUNCATE ON audit_log_heads
  FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation();

-- Entries keep their canonical bytes (leaf); every other column is a searchable copy of a
-- field inside those bytes, which verification checks against the bytes.
CREATE TABLE audit_entries (
  tenant_id        uuid NOT NULL REFERENCES tenants (id),
  seq              bigint NOT NULL CHECK (seq >= 0),
  leaf             bytea NOT NULL,
  leaf_hash        bytea NOT NULL CHECK (length(leaf_hash) = 32),
  occurred_at      timestamptz(3) NOT NULL,
  action           audit_action NOT NULL,
  actor_id         uuid,
  subject_user_id  uuid,
  conversation_id  uuid,
  message_id       uuid,
  policy_version   integer,
  decided_by       text,
  denial_code      text,
  forced           boolean NOT NULL DEFAULT false,
  data_key_id      uuid,
  search_text      text NOT NULL DEFAULT '',
  PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX audit_entries_action_idx ON audit_entries (tenant_id, action, seq DESC);
CREATE INDEX audit_entries_actor_idx ON audit_entries (tenant_id, actor_id, seq DESC);
CREATE INDEX audit_entries_conversation_idx ON audit_entries (tenant_id, conversation_id, seq DESC);
CREATE INDEX audit_entries_subject_idx ON audit_entries (tenant_id, subject_user_id, seq DESC);
CREATE INDEX audit_entries_time_idx ON audit_entries (tenant_id, occurred_at DESC, seq DESC);
CREATE INDEX audit_entries_message_idx ON audit_entries (tenant_id, message_id) WHERE message_id IS NOT NULL;

-- Hashes of the perfect, aligned subtrees (level >= 1) completed so far: proofs read O(log n) of them.
CREATE TABLE audit_tree_nodes (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  level      smallint NOT NULL CHECK (level BETWEEN 1 AND 62),
  index      bigint NOT NULL CHECK (index >= 0),
  hash       bytea NOT NULL CHECK (length(hash) = 32),
  PRIMARY KEY (tenant_id, level, index)
);

CREATE TABLE audit_signing_keys (
  tenant_id          uuid NOT NULL REFERENCES tenants (id),
  key_name           text NOT NULL,
  public_key         bytea NOT NULL CHECK (length(public_key) = 32),
  private_key_sealed bytea NOT NULL,
  kek_id             text NOT NULL,
  created_at         timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, key_name)
);

CREATE TABLE audit_checkpoints (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  size        bigint NOT NULL CHECK (size >= 0),
  root_hash   bytea NOT NULL CHECK (length(root_hash) = 32),
  key_name    text NOT NULL,
  note        text NOT NULL,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, size),
  FOREIGN KEY (tenant_id, key_name) REFERENCES audit_signing_keys (tenant_id, key_name)
);

-- Content data keys, one per subject (the sender) and period; wrapped by the tenant key-encryption
-- key. Destroying the wrapped key (crypto-shredding) is the only change this table accepts.
CREATE TABLE audit_data_keys (
  tenant_id        uuid NOT NULL REFERENCES tenants (id),
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  subject_user_id  uuid NOT NULL,
  period           text NOT NULL CHECK (period ~ '^[0-9]{4}-[0-9]{2}$'),
  wrapped_key      bytea,
  kek_id           text NOT NULL,
  created_at       timestamptz(3) NOT NULL DEFAULT now(),
  destroyed_at     timestamptz(3),
  destroyed_reason text CHECK (destroyed_reason IN ('ERASURE', 'RETENTION')),
  PRIMARY KEY (tenant_id, id),
  CHECK ((wrapped_key IS NULL) = (destroyed_at IS NOT NULL))
);
-- One live key per subject and month; after a shred, later content gets a fresh key.
CREATE UNIQUE INDEX audit_data_keys_live_idx ON audit_data_keys (tenant_id, subject_user_id, period) WHERE destroyed_at IS NULL;

CREATE FUNCTION audit_data_key_only_shreds() RETURNS trigger
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
CREATE TRIGGER audit_data_keys_shred_only BEFORE UPDATE ON audit_data_keys
  FOR EACH ROW EXECUTE FUNCTION audit_data_key_only_shreds();

CREATE TYPE legal_hold_scope AS ENUM ('USER', 'CONVERSATION', 'TENANT');

CREATE TABLE legal_holds (
  tenant_id        uuid NOT NULL REFERENCES tenants (id),
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  scope            legal_hold_scope NOT NULL,
  subject_user_id  uuid,
  conversation_id  uuid,
  matter           text NOT NULL CHECK (length(matter) BETWEEN 1 AND 500),
  placed_by        uuid NOT NULL,
  placed_at        timestamptz(3) NOT NULL DEFAULT now(),
  released_by      uuid,
  released_at      timestamptz(3),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, placed_by) REFERENCES users (tenant_id, id),
  CHECK ((scope = 'USER') = (subject_user_id IS NOT NULL)),
  CHECK ((scope = 'CONVERSATION') = (conversation_id IS NOT NULL)),
  CHECK ((released_at IS NULL) = (released_by IS NULL))
);
CREATE INDEX legal_holds_active_idx ON legal_holds (tenant_id, scope) WHERE released_at IS NULL;

CREATE FUNCTION legal_hold_only_releases() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF OLD.released_at IS NOT NULL OR NEW.released_at IS NULL
     OR (NEW.tenant_id, NEW.id, NEW.scope, NEW.subject_user_id, NEW.conversation_id, NEW.matter, NEW.placed_by, NEW.placed_at)
        IS DISTINCT FROM (OLD.tenant_id, OLD.id, OLD.scope, OLD.subject_user_id, OLD.conversation_id, OLD.matter, OLD.placed_by, OLD.placed_at) THEN
    RAISE EXCEPTION 'a legal hold can only be released, once' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER legal_holds_release_only BEFORE UPDATE ON legal_holds
  FOR EACH ROW EXECUTE FUNCTION legal_hold_only_releases();

-- Append-only, for every role including the owner: UPDATE and DELETE per row, TRUNCATE per statement.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['audit_entries', 'audit_tree_nodes', 'audit_signing_keys', 'audit_checkpoints']
  LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION reject_mutation()', t || '_immutable', t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['audit_entries', 'audit_tree_nodes', 'audit_signing_keys', 'audit_checkpoints', 'audit_data_keys', 'legal_holds']
  LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation()', t || '_no_truncate', t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['audit_data_keys', 'legal_holds']
  LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE DELETE ON %I FOR EACH ROW EXECUTE FUNCTION reject_mutation()', t || '_no_delete', t);
  END LOOP;
END
$$;
SELECT enable_tenant_isolation(t) FROM unnest(ARRAY['audit_log_heads', 'audit_entries', 'audit_tree_nodes', 'audit_signing_keys',
                                                   'audit_checkpoints', 'audit_data_keys', 'legal_holds']::regclass[]) AS t;

GRANT SELECT, INSERT ON audit_entries, audit_tree_nodes, audit_signing_keys, audit_checkpoints TO retract_app;
GRANT SELECT, INSERT, UPDATE ON audit_log_heads TO retract_app;
GRANT SELECT, INSERT ON audit_data_keys, legal_holds TO retract_app;
GRANT UPDATE (wrapped_key, destroyed_at, destroyed_reason) ON audit_data_keys TO retract_app;
GRANT UPDATE (released_by, released_at) ON legal_holds TO retract_app;

-- migrate:down
DROP TABLE IF EXISTS legal_holds, audit_data_keys, audit_checkpoints, audit_signing_keys, audit_tree_nodes, audit_entries, audit_log_heads;
DROP FUNCTION IF EXISTS legal_hold_only_releases(), audit_data_key_only_shreds(), audit_log_head_only_grows();
DROP TYPE IF EXISTS legal_hold_scope, audit_action;
