-- migrate:up

-- The name the login page shows on its button ("Continue with Okta"). Without one, the login page
-- names the issuer's host (docs/identity.md).
ALTER TABLE sso_providers ADD COLUMN provider_name text CHECK (length(provider_name) BETWEEN 1 AND 80);

DROP FUNCTION sso_sign_in_options(text);
CREATE FUNCTION sso_sign_in_options(p_slug text) RETURNS TABLE (sso boolean, password_login boolean, provider_name text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT p.enabled, p.password_login OR NOT p.enabled,
               CASE WHEN p.enabled THEN coalesce(p.provider_name, substring(p.issuer FROM '^https?://([^/:?#]+)')) END
          FROM tenants t JOIN sso_providers p ON p.tenant_id = t.id WHERE t.slug = p_slug $$;
REVOKE ALL ON FUNCTION sso_sign_in_options(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sso_sign_in_options(text) TO retract_app;

-- migrate:down
DROP FUNCTION sso_sign_in_options(text);
CREATE FUNCTION sso_sign_in_options(p_slug text) RETURNS TABLE (sso boolean, password_login boolean)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT p.enabled, p.password_login OR NOT p.enabled FROM tenants t JOIN sso_providers p ON p.tenant_id = t.id WHERE t.slug = p_slug $$;
REVOKE ALL ON FUNCTION sso_sign_in_options(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sso_sign_in_options(text) TO retract_app;
ALTER TABLE sso_providers DROP COLUMN provider_name;
