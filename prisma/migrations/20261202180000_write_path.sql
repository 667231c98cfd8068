-- migrate:up

-- Every request transaction starts with this one statement: it sets the tenant for Row Level
-- Security and, for a signed-in caller, checks in the same round trip that the session is live,
-- the user active and the roles the request was authorised with still the user's roles.
-- A failed check raises RT401, which the API answers with 401 (docs/architecture.md, "Requests").
CREATE FUNCTION app_enter(p_tenant uuid, p_session uuid, p_user uuid, p_roles text[]) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant::text, true);
  IF p_session IS NULL THEN
    RETURN;
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM sessions s JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
     WHERE s.tenant_id = p_tenant AND s.id = p_session AND s.user_id = p_user
       AND s.revoked_at IS NULL AND s.expires_at > now() AND u.active
       AND ARRAY(SELECT r::text FROM unnest(u.roles) AS r ORDER BY 1) = ARRAY(SELECT r FROM unnest(p_roles) AS r ORDER BY 1)
  ) THEN
    RAISE EXCEPTION 'the session has ended or its roles changed' USING ERRCODE = 'RT401';
  END IF;
END
$$;
GRANT EXECUTE ON FUNCTION app_enter(uuid, uuid, uuid, text[]) TO retract_app;

-- Queue-and-integrate (docs/audit-log.md, "Write path"): a request writes its audit entry here,
-- in the transaction of the change it records, as canonical leaf text with two holes (occurredAt
-- and seq). The sequencer moves batches of them into audit_entries with one head update.
CREATE TABLE audit_pending (
  tenant_id        uuid NOT NULL REFERENCES tenants (id),
  id               bigint GENERATED ALWAYS AS IDENTITY,
  leaf_parts       text[] NOT NULL CHECK (cardinality(leaf_parts) = 3),
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
  created_at       timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_pending_age_idx ON audit_pending (created_at);
SELECT enable_tenant_isolation('audit_pending'::regclass);
GRANT SELECT, INSERT, DELETE ON audit_pending TO retract_app;
GRANT SELECT ON audit_pending TO retract_platform;
CREATE TRIGGER audit_pending_no_truncate BEFORE TRUNCATE ON audit_pending FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation();

-- One statement, one round trip: advance the head from the size the sequencer computed against
-- (the row lock is taken here and released at commit), move the batch's pending rows into the log
-- with their seq, leaf and time, add the completed subtree nodes, and tell the replicas.
-- Returns the new size, or -1 when the head is no longer at p_expected_size (another replica
-- appended: the caller re-reads the head and recomputes). Raises RT409 when a pending row of the
-- batch is gone (another integrator took it): nothing of the batch is written.
CREATE FUNCTION audit_integrate(
  p_tenant uuid, p_expected_size bigint, p_frontier bytea[], p_updated_at timestamptz,
  p_pending bigint[], p_leaves bytea[], p_hashes bytea[], p_occurred timestamptz[],
  p_node_levels smallint[], p_node_indexes bigint[], p_node_hashes bytea[]
) RETURNS bigint
  LANGUAGE plpgsql
  AS $$
DECLARE
  batch integer := cardinality(p_pending);
  moved integer;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant::text, true);
  IF (SELECT count(DISTINCT id) FROM unnest(p_pending) AS id) <> batch THEN
    RAISE EXCEPTION 'a batch names a pending entry twice' USING ERRCODE = 'data_exception';
  END IF;
  IF p_expected_size = 0 THEN
    INSERT INTO audit_log_heads (tenant_id) VALUES (p_tenant) ON CONFLICT (tenant_id) DO NOTHING;
  END IF;
  UPDATE audit_log_heads SET size = p_expected_size + batch, frontier = p_frontier, updated_at = p_updated_at
   WHERE tenant_id = p_tenant AND size = p_expected_size;
  IF NOT FOUND THEN
    RETURN -1;
  END IF;
  WITH taken AS (
    DELETE FROM audit_pending WHERE tenant_id = p_tenant AND id = ANY (p_pending) RETURNING *
  )
  INSERT INTO audit_entries (tenant_id, seq, leaf, leaf_hash, occurred_at, action, actor_id, subject_user_id, conversation_id,
                             message_id, policy_version, decided_by, denial_code, forced, data_key_id, search_text)
  SELECT p_tenant, p_expected_size + b.ord - 1, b.leaf, b.hash, b.occurred, t.action, t.actor_id, t.subject_user_id, t.conversation_id,
         t.message_id, t.policy_version, t.decided_by, t.denial_code, t.forced, t.data_key_id, t.search_text
    FROM unnest(p_pending, p_leaves, p_hashes, p_occurred) WITH ORDINALITY AS b (pending_id, leaf, hash, occurred, ord)
    JOIN taken t ON t.id = b.pending_id;
  GET DIAGNOSTICS moved = ROW_COUNT;
  IF moved <> batch THEN
    RAISE EXCEPTION 'pending audit entries of this batch were integrated elsewhere' USING ERRCODE = 'RT409';
  END IF;
  INSERT INTO audit_tree_nodes (tenant_id, level, index, hash)
  SELECT p_tenant, n.level, n.index, n.hash FROM unnest(p_node_levels, p_node_indexes, p_node_hashes) AS n (level, index, hash);
  PERFORM pg_notify('retract_audit', p_tenant::text || ':' || (p_expected_size + batch)::text);
  RETURN p_expected_size + batch;
END
$$;
GRANT EXECUTE ON FUNCTION audit_integrate(uuid, bigint, bytea[], timestamptz, bigint[], bytea[], bytea[], timestamptz[], smallint[], bigint[], bytea[]) TO retract_app;

-- Tenants with pending entries older than p_age (their writer stopped before integrating them).
CREATE FUNCTION audit_tenants_with_stale_pending(p_age interval) RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT DISTINCT tenant_id FROM audit_pending WHERE created_at < now() - p_age $$;
ALTER FUNCTION audit_tenants_with_stale_pending(interval) OWNER TO retract_platform;
REVOKE ALL ON FUNCTION audit_tenants_with_stale_pending(interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_tenants_with_stale_pending(interval) TO retract_app;

-- Per-replica caches (sessions, policy, unwrapped data keys) are dropped on these notifications,
-- sent at commit by whichever replica made the change (docs/architecture.md, "Caches").
CREATE FUNCTION cache_invalidate() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  CASE TG_TABLE_NAME
    WHEN 'sessions' THEN
      PERFORM pg_notify('retract_cache', 'session:' || NEW.id::text);
    WHEN 'users' THEN
      PERFORM pg_notify('retract_cache', 'user:' || NEW.tenant_id::text || ':' || NEW.id::text);
    WHEN 'policy_versions' THEN
      PERFORM pg_notify('retract_cache', 'policy:' || NEW.tenant_id::text);
    WHEN 'audit_data_keys' THEN
      PERFORM pg_notify('retract_cache', 'key:' || NEW.tenant_id::text || ':' || NEW.id::text);
  END CASE;
  RETURN NULL;
END
$$;
CREATE TRIGGER sessions_cache_invalidate AFTER UPDATE ON sessions FOR EACH ROW EXECUTE FUNCTION cache_invalidate();
CREATE TRIGGER users_cache_invalidate AFTER UPDATE ON users FOR EACH ROW EXECUTE FUNCTION cache_invalidate();
CREATE TRIGGER policy_versions_cache_invalidate AFTER INSERT ON policy_versions FOR EACH ROW EXECUTE FUNCTION cache_invalidate();
CREATE TRIGGER audit_data_keys_cache_invalidate AFTER UPDATE ON audit_data_keys FOR EACH ROW EXECUTE FUNCTION cache_invalidate();

-- The webhook dispatcher wakes for a tenant only when a delivery was enqueued, not on every event.
CREATE FUNCTION webhook_deliveries_notify() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM pg_notify('retract_webhooks', NEW.tenant_id::text);
  RETURN NULL;
END
$$;
CREATE TRIGGER webhook_deliveries_notify AFTER INSERT ON webhook_deliveries FOR EACH ROW EXECUTE FUNCTION webhook_deliveries_notify();

-- migrate:down
DROP TRIGGER IF EXISTS webhook_deliveries_notify ON webhook_deliveries;
DROP FUNCTION IF EXISTS webhook_deliveries_notify();
DROP TRIGGER IF EXISTS audit_data_keys_cache_invalidate ON audit_data_keys;
DROP TRIGGER IF EXISTS policy_versions_cache_invalidate ON policy_versions;
DROP TRIGGER IF EXISTS users_cache_invalidate ON users;
DROP TRIGGER IF EXISTS sessions_cache_invalidate ON sessions;
DROP FUNCTION IF EXISTS cache_invalidate();
DROP FUNCTION IF EXISTS audit_tenants_with_stale_pending(interval);
DROP FUNCTION IF EXISTS audit_integrate(uuid, bigint, bytea[], timestamptz, bigint[], bytea[], bytea[], timestamptz[], smallint[], bigint[], bytea[]);
DROP TABLE IF EXISTS audit_pending;
DROP FUNCTION IF EXISTS app_enter(uuid, uuid, uuid, text[]);
