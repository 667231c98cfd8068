-- migrate:up

-- loadMessages (apps/api/src/modules/messages/message-store.ts) as a PL/pgSQL function, like
-- event_log_append and audit_queue (20261219090000_write_path_functions.sql): every recall, re-edit
-- and message read starts with it, and planning the join under row-level security took several
-- times longer than running it. Runs as the caller (SECURITY INVOKER): RLS applies as before.
-- With p_lock the messages' row locks are taken, in id order. Keep the columns in step with
-- message-store.ts when `messages` changes.
CREATE FUNCTION messages_load(p_tenant uuid, p_ids uuid[], p_lock boolean)
  RETURNS TABLE (
    tenant_id uuid, id uuid, conversation_id uuid, sender_id uuid, type text, body text, attachment jsonb, sent_at timestamptz,
    replaces_message_id uuid, recalled_at timestamptz, recalled_by uuid, reedit_until timestamptz, content_sealed bytea,
    content_key bytea, content_kek_id text, conversation_kind text, sender_name text, member_ids uuid[]
  )
  LANGUAGE plpgsql
  AS $$
#variable_conflict use_column
BEGIN
  IF p_lock THEN
    RETURN QUERY
      SELECT m.tenant_id, m.id, m.conversation_id, m.sender_id, m.type::text, m.body, m.attachment, m.sent_at, m.replaces_message_id,
             m.recalled_at, m.recalled_by, m.reedit_until, m.content_sealed, m.content_key, m.content_kek_id,
             c.kind::text, u.display_name,
             ARRAY(SELECT cm.user_id FROM conversation_members cm
                    WHERE cm.tenant_id = m.tenant_id AND cm.conversation_id = m.conversation_id ORDER BY cm.user_id)
        FROM messages m
        JOIN conversations c ON c.tenant_id = m.tenant_id AND c.id = m.conversation_id
        JOIN users u ON u.tenant_id = m.tenant_id AND u.id = m.sender_id
       WHERE m.tenant_id = p_tenant AND m.id = ANY (p_ids)
       ORDER BY m.id
         FOR UPDATE OF m;
  ELSE
    RETURN QUERY
      SELECT m.tenant_id, m.id, m.conversation_id, m.sender_id, m.type::text, m.body, m.attachment, m.sent_at, m.replaces_message_id,
             m.recalled_at, m.recalled_by, m.reedit_until, m.content_sealed, m.content_key, m.content_kek_id,
             c.kind::text, u.display_name,
             ARRAY(SELECT cm.user_id FROM conversation_members cm
                    WHERE cm.tenant_id = m.tenant_id AND cm.conversation_id = m.conversation_id ORDER BY cm.user_id)
        FROM messages m
        JOIN conversations c ON c.tenant_id = m.tenant_id AND c.id = m.conversation_id
        JOIN users u ON u.tenant_id = m.tenant_id AND u.id = m.sender_id
       WHERE m.tenant_id = p_tenant AND m.id = ANY (p_ids)
       ORDER BY m.id;
  END IF;
END
$$;
GRANT EXECUTE ON FUNCTION messages_load(uuid, uuid[], boolean) TO retract_app;

-- migrate:down
DROP FUNCTION IF EXISTS messages_load(uuid, uuid[], boolean);
