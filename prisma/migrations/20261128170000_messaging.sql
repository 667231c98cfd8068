-- migrate:up

-- Recall flows (issue 4): the durable per-tenant event log behind Server-Sent Events and
-- webhooks, webhook registrations and their delivery log, and indexes the recall path needs.

-- One row per tenant: the id of its newest event. Writers take this row's lock (UPDATE ...
-- RETURNING) just before inserting an event, so a tenant's events commit in id order and a
-- reader resuming "after id N" can never miss an event that commits later with a smaller id.
CREATE TABLE event_log_heads (
  tenant_id  uuid PRIMARY KEY REFERENCES tenants (id),
  last_id    bigint NOT NULL DEFAULT 0 CHECK (last_id >= 0)
);

CREATE FUNCTION event_log_head_only_grows() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF NEW.tenant_id <> OLD.tenant_id OR NEW.last_id < OLD.last_id THEN
    RAISE EXCEPTION 'the event log head may only grow' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER event_log_heads_grow BEFORE UPDATE ON event_log_heads
  FOR EACH ROW EXECUTE FUNCTION event_log_head_only_grows();

-- Events carry ids and notices only, never message content (DESIGN §2).
CREATE TABLE events (
  tenant_id        uuid NOT NULL REFERENCES tenants (id),
  id               bigint NOT NULL CHECK (id >= 1),
  type             text NOT NULL CHECK (type IN ('message.created', 'message.recalled', 'message.reedited', 'policy.changed')),
  conversation_id  uuid,
  message_id       uuid,
  payload          jsonb NOT NULL,
  created_at       timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX events_conversation_idx ON events (tenant_id, conversation_id, id);

-- Replicas learn of new events through NOTIFY (delivered at commit). The payload names the
-- tenant and the event id only; listeners read the rows back under RLS.
CREATE FUNCTION events_notify() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM pg_notify('retract_events', NEW.tenant_id::text || ':' || NEW.id::text);
  RETURN NULL;
END
$$;
CREATE TRIGGER events_notify AFTER INSERT ON events
  FOR EACH ROW EXECUTE FUNCTION events_notify();
CREATE TRIGGER events_immutable BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION reject_mutation();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation();

CREATE TABLE webhooks (
  tenant_id       uuid NOT NULL REFERENCES tenants (id),
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  url             text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2048),
  event_types     text[] NOT NULL CHECK (cardinality(event_types) >= 1),
  description     text CHECK (description IS NULL OR length(description) BETWEEN 1 AND 200),
  -- The HMAC signing secret, wrapped by the tenant key-encryption key (never stored in clear).
  secret_sealed   bytea NOT NULL,
  kek_id          text NOT NULL,
  created_by      uuid NOT NULL,
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  deleted_by      uuid,
  deleted_at      timestamptz(3),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, deleted_by) REFERENCES users (tenant_id, id),
  CHECK ((deleted_at IS NULL) = (deleted_by IS NULL))
);
CREATE INDEX webhooks_active_idx ON webhooks (tenant_id) WHERE deleted_at IS NULL;

CREATE TABLE webhook_deliveries (
  tenant_id         uuid NOT NULL REFERENCES tenants (id),
  id                uuid NOT NULL DEFAULT gen_random_uuid(),
  webhook_id        uuid NOT NULL,
  event_id          bigint NOT NULL,
  event_type        text NOT NULL,
  status            text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
  attempts          integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at   timestamptz(3),
  last_attempt_at   timestamptz(3),
  last_status_code  integer,
  last_error        text CHECK (last_error IS NULL OR length(last_error) <= 500),
  delivered_at      timestamptz(3),
  created_at        timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, webhook_id, event_id),
  FOREIGN KEY (tenant_id, webhook_id) REFERENCES webhooks (tenant_id, id),
  FOREIGN KEY (tenant_id, event_id) REFERENCES events (tenant_id, id),
  CHECK ((status = 'PENDING') = (next_attempt_at IS NOT NULL))
);
CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (tenant_id, webhook_id, created_at DESC, id DESC);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at, tenant_id) WHERE status = 'PENDING';

-- The delivery worker looks for due work before any tenant is known; like tenant_id_for_slug,
-- this is a narrow crossing of the RLS boundary that returns tenant ids only. It runs as
-- retract_platform (BYPASSRLS, no login; see 20261128160200_audit_jobs.sql), which may read
-- nothing but the delivery queue here.
CREATE FUNCTION webhook_due_tenants(p_now timestamptz, p_limit integer) RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
  SELECT DISTINCT tenant_id FROM (
    SELECT tenant_id FROM webhook_deliveries WHERE status = 'PENDING' AND next_attempt_at <= p_now
    ORDER BY next_attempt_at LIMIT greatest(p_limit, 1) * 20
  ) due
  LIMIT greatest(p_limit, 1)
$$;
GRANT SELECT (tenant_id, status, next_attempt_at) ON webhook_deliveries TO retract_platform;
ALTER FUNCTION webhook_due_tenants(timestamptz, integer) OWNER TO retract_platform;
REVOKE ALL ON FUNCTION webhook_due_tenants(timestamptz, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION webhook_due_tenants(timestamptz, integer) TO retract_app;

-- Recall path: the actor's recalls of the last hour (rate limit), and one re-edit per recall.
CREATE INDEX messages_recalled_by_idx ON messages (tenant_id, recalled_by, recalled_at) WHERE recalled_at IS NOT NULL;
CREATE UNIQUE INDEX messages_replaces_once_idx ON messages (tenant_id, replaces_message_id) WHERE replaces_message_id IS NOT NULL;
CREATE INDEX message_receipts_message_idx ON message_receipts (tenant_id, message_id, kind);

SELECT enable_tenant_isolation(t) FROM unnest(ARRAY['event_log_heads', 'events', 'webhooks', 'webhook_deliveries']::regclass[]) AS t;

GRANT SELECT, INSERT, UPDATE (last_id) ON event_log_heads TO retract_app;
GRANT SELECT, INSERT ON events TO retract_app;
GRANT SELECT, INSERT ON webhooks TO retract_app;
GRANT UPDATE (deleted_by, deleted_at) ON webhooks TO retract_app;
GRANT SELECT, INSERT ON webhook_deliveries TO retract_app;
GRANT UPDATE (status, attempts, next_attempt_at, last_attempt_at, last_status_code, last_error, delivered_at) ON webhook_deliveries TO retract_app;

-- migrate:down
DROP INDEX IF EXISTS message_receipts_message_idx, messages_replaces_once_idx, messages_recalled_by_idx;
DROP FUNCTION IF EXISTS webhook_due_tenants(timestamptz, integer);
DROP TABLE IF EXISTS webhook_deliveries, webhooks, events, event_log_heads;
DROP FUNCTION IF EXISTS events_notify(), event_log_head_only_grows();
