-- migrate:up

-- Functions that must look across tenants (login's slug lookup, background jobs) run as this
-- role: it can bypass RLS but cannot log in, and the app can only call the functions it owns.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'retract_platform') THEN
    CREATE ROLE retract_platform NOLOGIN BYPASSRLS;
  END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO retract_platform;
GRANT SELECT ON tenants, audit_log_heads, audit_checkpoints TO retract_platform;
GRANT SELECT, INSERT, UPDATE, DELETE ON auth_throttle TO retract_platform;

ALTER FUNCTION tenant_id_for_slug(text) OWNER TO retract_platform;
ALTER FUNCTION auth_throttle_fail(bytea, integer, integer) OWNER TO retract_platform;
ALTER FUNCTION auth_throttle_wait(bytea, integer, integer) OWNER TO retract_platform;
ALTER FUNCTION auth_throttle_clear(bytea) OWNER TO retract_platform;

-- Tenants whose log has grown past its latest checkpoint.
CREATE FUNCTION audit_tenants_due_checkpoint() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
  SELECT h.tenant_id FROM audit_log_heads h
   WHERE h.size > coalesce((SELECT max(c.size) FROM audit_checkpoints c WHERE c.tenant_id = h.tenant_id), 0)
$$;
ALTER FUNCTION audit_tenants_due_checkpoint() OWNER TO retract_platform;

-- Every tenant id, for jobs that then work inside each tenant's own RLS scope.
CREATE FUNCTION app_tenant_ids() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT id FROM tenants ORDER BY id $$;
ALTER FUNCTION app_tenant_ids() OWNER TO retract_platform;

REVOKE ALL ON FUNCTION audit_tenants_due_checkpoint(), app_tenant_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_tenants_due_checkpoint(), app_tenant_ids() TO retract_app;

-- migrate:down
DROP FUNCTION IF EXISTS app_tenant_ids(), audit_tenants_due_checkpoint();
