-- migrate:up

-- Audit retention is owned by compliance (docs/architecture.md, "Who can do what"). Lengthening
-- it is a policy version at once; shortening waits here until effective_at, during which any
-- compliance officer may cancel it. Settled rows (applied or cancelled) stay as the record.
ALTER TYPE audit_action ADD VALUE 'RETENTION_SHORTENING_PROPOSED';
ALTER TYPE audit_action ADD VALUE 'RETENTION_SHORTENING_CANCELLED';

CREATE TABLE retention_changes (
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  from_days    integer NOT NULL,
  to_days      integer NOT NULL,
  proposed_by  uuid NOT NULL,
  proposed_at  timestamptz(3) NOT NULL DEFAULT now(),
  effective_at timestamptz(3) NOT NULL,
  cancelled_by uuid,
  cancelled_at timestamptz(3),
  applied_at   timestamptz(3),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, proposed_by) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, cancelled_by) REFERENCES users (tenant_id, id),
  CHECK (to_days >= 1 AND to_days < from_days),
  CHECK ((cancelled_at IS NULL) = (cancelled_by IS NULL)),
  CHECK (cancelled_at IS NULL OR applied_at IS NULL)
);
-- At most one shortening waiting per organisation.
CREATE UNIQUE INDEX retention_changes_one_pending ON retention_changes (tenant_id) WHERE cancelled_at IS NULL AND applied_at IS NULL;
SELECT enable_tenant_isolation('retention_changes');
GRANT SELECT, INSERT, UPDATE ON retention_changes TO retract_app;

-- migrate:down

DROP TABLE retention_changes;
