-- migrate:up

-- The two statements of a recall still sent as text, as PL/pgSQL functions like messages_load
-- (20261219100000_messages_load_function.sql): PostgreSQL keeps their plans for the session instead
-- of parsing, rewriting for row-level security and planning them on every recall. Both run as the
-- caller (SECURITY INVOKER): RLS applies as before. Keep them in step with recall-store.ts and
-- message-store.ts (markRecalled: the columns of MessageRow) when `messages` changes.

-- The actor's recalls in (p_from, p_to] (the rate limit's count, and the oldest of them).
CREATE FUNCTION recent_recalls(p_tenant uuid, p_actor uuid, p_from timestamptz, p_to timestamptz)
  RETURNS TABLE (recall_count bigint, oldest_at timestamptz)
  LANGUAGE plpgsql
  AS $$
BEGIN
  RETURN QUERY
    SELECT count(*)::bigint, min(m.recalled_at) FROM messages m
     WHERE m.tenant_id = p_tenant AND m.recalled_by = p_actor
       AND m.recalled_at > p_from AND m.recalled_at <= p_to;
END
$$;
GRANT EXECUTE ON FUNCTION recent_recalls(uuid, uuid, timestamptz, timestamptz) TO retract_app;

-- A recall's change to the message: content removed from the live store, who and when recorded.
CREATE FUNCTION messages_mark_recalled(p_tenant uuid, p_id uuid, p_at timestamptz, p_by uuid, p_reedit_until timestamptz)
  RETURNS TABLE (
    tenant_id uuid, id uuid, conversation_id uuid, sender_id uuid, type text, body text, attachment jsonb, sent_at timestamptz,
    replaces_message_id uuid, recalled_at timestamptz, recalled_by uuid, reedit_until timestamptz, content_sealed bytea,
    content_key bytea, content_kek_id text
  )
  LANGUAGE plpgsql
  AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
    UPDATE messages m SET body = NULL, attachment = NULL, content_sealed = NULL, content_key = NULL, content_kek_id = NULL,
           recalled_at = p_at, recalled_by = p_by, reedit_until = p_reedit_until
     WHERE m.tenant_id = p_tenant AND m.id = p_id
    RETURNING m.tenant_id, m.id, m.conversation_id, m.sender_id, m.type::text, m.body, m.attachment, m.sent_at, m.replaces_message_id,
              m.recalled_at, m.recalled_by, m.reedit_until, m.content_sealed, m.content_key, m.content_kek_id;
END
$$;
GRANT EXECUTE ON FUNCTION messages_mark_recalled(uuid, uuid, timestamptz, uuid, timestamptz) TO retract_app;

-- migrate:down
DROP FUNCTION IF EXISTS messages_mark_recalled(uuid, uuid, timestamptz, uuid, timestamptz);
DROP FUNCTION IF EXISTS recent_recalls(uuid, uuid, timestamptz, timestamptz);
