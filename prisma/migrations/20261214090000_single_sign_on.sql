-- migrate:up

-- Enterprise sign-in and provisioning (docs/identity.md): an organisation's OpenID Connect provider,
-- the provider identities linked to its users, the mapping of the provider's groups to roles, and
-- SCIM 2.0 provisioning through service accounts with the `scim` scope.
ALTER TYPE audit_action ADD VALUE 'SSO_CONFIGURED';
ALTER TYPE audit_action ADD VALUE 'SSO_USER_LINKED';
ALTER TYPE audit_action ADD VALUE 'SCIM_GROUP_CHANGED';

-- One provider per organisation. The client secret is sealed under the organisation's KEK (AAD binds
-- it to the organisation and the client id) and is never answered; `kek_id` names the KEK it is under.
CREATE TABLE sso_providers (
  tenant_id             uuid PRIMARY KEY REFERENCES tenants (id),
  issuer                text NOT NULL CHECK (length(issuer) BETWEEN 8 AND 2048),
  client_id             text NOT NULL CHECK (length(client_id) BETWEEN 1 AND 255),
  client_secret_sealed  bytea NOT NULL,
  kek_id                text NOT NULL,
  allowed_domains       text[] NOT NULL CHECK (cardinality(allowed_domains) BETWEEN 1 AND 50),
  password_login        boolean NOT NULL DEFAULT true,
  enabled               boolean NOT NULL DEFAULT true,
  updated_by            uuid NOT NULL,
  updated_at            timestamptz(3) NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, updated_by) REFERENCES users (tenant_id, id)
);
SELECT enable_tenant_isolation('sso_providers');
GRANT SELECT, INSERT, UPDATE ON sso_providers TO retract_app;

-- Whether an organisation's people sign in through a provider (and may still use passwords) is read
-- by the login page before any tenant is set: only these two facts, for the slug asked for.
CREATE FUNCTION sso_sign_in_options(p_slug text) RETURNS TABLE (sso boolean, password_login boolean)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT p.enabled, p.password_login OR NOT p.enabled FROM tenants t JOIN sso_providers p ON p.tenant_id = t.id WHERE t.slug = p_slug $$;
REVOKE ALL ON FUNCTION sso_sign_in_options(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sso_sign_in_options(text) TO retract_app;

-- A provider's subject (`iss` + `sub`) is bound to one user, for good: a later email change at the
-- provider signs the same person in, and another person who inherits the address does not.
CREATE TABLE sso_identities (
  tenant_id   uuid NOT NULL,
  issuer      text NOT NULL CHECK (length(issuer) BETWEEN 8 AND 2048),
  subject     text NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
  user_id     uuid NOT NULL,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, issuer, subject),
  UNIQUE (tenant_id, user_id, issuer),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
SELECT enable_tenant_isolation('sso_identities');
GRANT SELECT, INSERT ON sso_identities TO retract_app;

-- The provider's groups (the ID token's groups claim, SCIM groups) that grant roles. COMPLIANCE
-- granted this way waits for a second compliance officer like any other COMPLIANCE grant.
CREATE TABLE group_role_mappings (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  group_name  text NOT NULL CHECK (length(group_name) BETWEEN 1 AND 255),
  role        user_role NOT NULL,
  created_by  uuid NOT NULL,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, group_name, role),
  FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id)
);
SELECT enable_tenant_isolation('group_role_mappings');
GRANT SELECT, INSERT, DELETE ON group_role_mappings TO retract_app;

-- SCIM (RFC 7643): the provisioning client's own id for a user, and the userName it manages.
CREATE TABLE scim_users (
  tenant_id    uuid NOT NULL,
  user_id      uuid NOT NULL,
  user_name    text NOT NULL CHECK (length(user_name) BETWEEN 1 AND 320),
  external_id  text CHECK (length(external_id) BETWEEN 1 AND 255),
  PRIMARY KEY (tenant_id, user_id),
  UNIQUE (tenant_id, user_name),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
SELECT enable_tenant_isolation('scim_users');
GRANT SELECT, INSERT, UPDATE, DELETE ON scim_users TO retract_app;

CREATE TABLE scim_groups (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  display_name  text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 255),
  external_id   text CHECK (length(external_id) BETWEEN 1 AND 255),
  created_at    timestamptz(3) NOT NULL DEFAULT now(),
  updated_at    timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, display_name)
);
SELECT enable_tenant_isolation('scim_groups');
GRANT SELECT, INSERT, UPDATE, DELETE ON scim_groups TO retract_app;

CREATE TABLE scim_group_members (
  tenant_id  uuid NOT NULL,
  group_id   uuid NOT NULL,
  user_id    uuid NOT NULL,
  PRIMARY KEY (tenant_id, group_id, user_id),
  FOREIGN KEY (tenant_id, group_id) REFERENCES scim_groups (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
SELECT enable_tenant_isolation('scim_group_members');
GRANT SELECT, INSERT, DELETE ON scim_group_members TO retract_app;

-- Service accounts may provision users and groups (SCIM) with the `scim` scope.
ALTER TABLE service_accounts DROP CONSTRAINT service_accounts_scopes_check;
ALTER TABLE service_accounts ADD CONSTRAINT service_accounts_scopes_check
  CHECK (cardinality(scopes) BETWEEN 1 AND 4 AND scopes <@ ARRAY['recall:decide', 'recall:record', 'directory:write', 'scim']);

-- migrate:down
ALTER TABLE service_accounts DROP CONSTRAINT service_accounts_scopes_check;
ALTER TABLE service_accounts ADD CONSTRAINT service_accounts_scopes_check
  CHECK (cardinality(scopes) BETWEEN 1 AND 3 AND scopes <@ ARRAY['recall:decide', 'recall:record', 'directory:write']);
DROP TABLE scim_group_members, scim_groups, scim_users, group_role_mappings, sso_identities;
DROP FUNCTION sso_sign_in_options(text);
DROP TABLE sso_providers;
