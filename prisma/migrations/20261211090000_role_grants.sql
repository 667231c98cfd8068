-- migrate:up

-- Separation of duties (docs/architecture.md, "Who can do what"). COMPLIANCE granted by an
-- administrator is a request: users.roles gains it only when another COMPLIANCE user approves,
-- so until then the grantee has none of its rights (the session cache, app_enter and CASL all
-- read users.roles). Decided rows stay as the record of who asked and who decided.
ALTER TYPE audit_action ADD VALUE 'ROLE_GRANT_REQUESTED';
ALTER TYPE audit_action ADD VALUE 'ROLE_GRANT_APPROVED';
ALTER TYPE audit_action ADD VALUE 'ROLE_GRANT_REFUSED';
ALTER TYPE audit_action ADD VALUE 'ROLE_GRANT_REVOKED';

CREATE TYPE role_grant_state AS ENUM ('PENDING', 'APPROVED', 'REFUSED', 'REVOKED');

CREATE TABLE role_grants (
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id      uuid NOT NULL,
  role         user_role NOT NULL,
  requested_by uuid NOT NULL,
  requested_at timestamptz(3) NOT NULL DEFAULT now(),
  state        role_grant_state NOT NULL DEFAULT 'PENDING',
  decided_by   uuid,
  decided_at   timestamptz(3),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, requested_by) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, decided_by) REFERENCES users (tenant_id, id),
  CHECK ((state = 'PENDING') = (decided_at IS NULL))
);
-- At most one open request per user and role.
CREATE UNIQUE INDEX role_grants_one_pending ON role_grants (tenant_id, user_id, role) WHERE state = 'PENDING';
SELECT enable_tenant_isolation('role_grants');
GRANT SELECT, INSERT, UPDATE ON role_grants TO retract_app;

-- A user asked to be only a compliance officer holds no role until the grant is approved.
ALTER TABLE users DROP CONSTRAINT users_roles_check;
ALTER TABLE users ADD CONSTRAINT users_roles_check CHECK (cardinality(roles) <= 3);

-- Set by an administrator's password reset: until the user chooses a new password, their
-- sessions may only read themselves, change the password and log out.
ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;

-- migrate:down

ALTER TABLE users DROP COLUMN must_change_password;
ALTER TABLE users DROP CONSTRAINT users_roles_check;
ALTER TABLE users ADD CONSTRAINT users_roles_check CHECK (cardinality(roles) BETWEEN 1 AND 3);
DROP TABLE role_grants;
DROP TYPE role_grant_state;
