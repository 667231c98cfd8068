-- migrate:up

-- A recipient's device applying a recall is announced to the conversation (ids only), so the
-- sender's view of the recall's reach follows live (docs/recall.md, "Recall reach").
ALTER TABLE events DROP CONSTRAINT events_type_check;
ALTER TABLE events ADD CONSTRAINT events_type_check
  CHECK (type IN ('message.created', 'message.recalled', 'message.reedited', 'message.recall_applied', 'policy.changed'));

-- migrate:down
-- Events are immutable: those already recorded stay; the old list applies to new rows only.
ALTER TABLE events DROP CONSTRAINT events_type_check;
ALTER TABLE events ADD CONSTRAINT events_type_check
  CHECK (type IN ('message.created', 'message.recalled', 'message.reedited', 'policy.changed')) NOT VALID;
