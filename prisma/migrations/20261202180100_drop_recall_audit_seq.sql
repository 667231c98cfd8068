-- migrate:up

-- A recall's audit entry is found by message id (audit_entries_message_idx); its seq is assigned
-- after the recall's transaction commits (queue-and-integrate), so the message row cannot carry it.
ALTER TABLE messages DROP COLUMN recall_audit_seq;

-- migrate:down
ALTER TABLE messages ADD COLUMN recall_audit_seq bigint;
