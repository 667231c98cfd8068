-- migrate:up

-- The write path's two statements that every recall, send and audited change runs, as PL/pgSQL
-- functions: a function keeps its statement's plan for the session, so each call skips parsing,
-- row-level security rewriting and planning, which cost more than running the statement
-- (docs/benchmarks.md, "Write path"). They run as the caller (SECURITY INVOKER): row-level
-- security applies exactly as it did to the statements, and a connection pooler needs nothing.

-- EventLog.record: the next id under the tenant's head row lock, the event, its webhook deliveries.
CREATE FUNCTION event_log_append(p_tenant uuid, p_type text, p_conversation uuid, p_message uuid, p_payload jsonb, p_at timestamptz)
  RETURNS bigint
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_id bigint;
BEGIN
  WITH head AS (
    INSERT INTO event_log_heads (tenant_id, last_id) VALUES (p_tenant, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET last_id = event_log_heads.last_id + 1
    RETURNING last_id
  ), event AS (
    INSERT INTO events (tenant_id, id, type, conversation_id, message_id, payload, created_at)
    SELECT p_tenant, head.last_id, p_type, p_conversation, p_message, p_payload, p_at
      FROM head
    RETURNING id
  ), deliveries AS (
    INSERT INTO webhook_deliveries (tenant_id, webhook_id, event_id, event_type, next_attempt_at)
    SELECT w.tenant_id, w.id, event.id, p_type, p_at
      FROM webhooks w, event
     WHERE w.tenant_id = p_tenant AND w.deleted_at IS NULL AND p_type = ANY (w.event_types)
  )
  SELECT id INTO v_id FROM event;
  RETURN v_id;
END
$$;
GRANT EXECUTE ON FUNCTION event_log_append(uuid, text, uuid, uuid, jsonb, timestamptz) TO retract_app;

-- AuditLog.append: queues the entry, unless one of the data keys that sealed its parts was destroyed
-- meanwhile (then NULL: the caller seals again under a live key).
CREATE FUNCTION audit_queue(
  p_tenant uuid, p_leaf_parts text[], p_action audit_action, p_actor uuid, p_subject uuid, p_conversation uuid, p_message uuid,
  p_policy_version integer, p_decided_by text, p_denial_code text, p_forced boolean, p_data_key uuid, p_search_text text, p_key_ids uuid[]
) RETURNS bigint
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_id bigint;
BEGIN
  INSERT INTO audit_pending (tenant_id, leaf_parts, action, actor_id, subject_user_id, conversation_id, message_id,
                             policy_version, decided_by, denial_code, forced, data_key_id, search_text)
  SELECT p_tenant, p_leaf_parts, p_action, p_actor, p_subject, p_conversation, p_message,
         p_policy_version, p_decided_by, p_denial_code, p_forced, p_data_key, p_search_text
   WHERE NOT EXISTS (SELECT 1 FROM unnest(p_key_ids) AS used (id)
                      WHERE NOT EXISTS (SELECT 1 FROM audit_data_keys k
                                         WHERE k.tenant_id = p_tenant AND k.id = used.id AND k.wrapped_key IS NOT NULL))
  RETURNING id INTO v_id;
  RETURN v_id;
END
$$;
GRANT EXECUTE ON FUNCTION audit_queue(uuid, text[], audit_action, uuid, uuid, uuid, uuid, integer, text, text, boolean, uuid, text, uuid[]) TO retract_app;

-- migrate:down
DROP FUNCTION IF EXISTS audit_queue(uuid, text[], audit_action, uuid, uuid, uuid, uuid, integer, text, text, boolean, uuid, text, uuid[]);
DROP FUNCTION IF EXISTS event_log_append(uuid, text, uuid, uuid, jsonb, timestamptz);
