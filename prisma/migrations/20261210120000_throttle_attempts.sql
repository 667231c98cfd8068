-- migrate:up

-- Throttling that parallel requests cannot beat (docs/architecture.md, "Authentication").
--
-- Before, a login asked auth_throttle_wait() whether it might try, checked the password, and only
-- then counted a failure with auth_throttle_fail(): twenty requests sent at once all passed the
-- check before the first failure was counted, so all twenty passwords were tried. Now an attempt is
-- counted before its secret is checked, against all its keys (a login: the account and the client
-- address; a platform token: the client address) in one call. The call takes the keys' row locks in
-- the order given (every caller gives the account before the address, so two calls never wait on
-- each other in a cycle), refuses when any key is at its limit, and otherwise counts the attempt on
-- every key. A concurrent call waits for the locks and then sees the count including this attempt.
--
-- A refused attempt is not counted: a throttled address cannot keep an account's window going.
-- Returns 0 when the attempt may go ahead, else the seconds until the fullest window ends.
CREATE FUNCTION auth_throttle_attempt(p_keys bytea[], p_limits integer[], p_window_seconds integer) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
DECLARE
  v_window interval := make_interval(secs => p_window_seconds);
  v_wait integer := 0;
  v_row auth_throttle;
BEGIN
  IF cardinality(p_keys) IS DISTINCT FROM cardinality(p_limits) THEN
    RAISE EXCEPTION 'auth_throttle_attempt: one limit per key';
  END IF;
  FOR v_row IN
    INSERT INTO auth_throttle AS t (key, window_start, attempts)
    SELECT k.key, now(), 0 FROM unnest(p_keys) WITH ORDINALITY AS k(key, n) ORDER BY k.n
    ON CONFLICT (key) DO UPDATE
      SET attempts = CASE WHEN t.window_start < now() - v_window THEN 0 ELSE t.attempts END,
          window_start = CASE WHEN t.window_start < now() - v_window THEN now() ELSE t.window_start END
    RETURNING *
  LOOP
    IF v_row.attempts >= p_limits[array_position(p_keys, v_row.key)] THEN
      v_wait := greatest(v_wait, 1, ceil(extract(epoch FROM (v_row.window_start + v_window - now())))::integer);
    END IF;
  END LOOP;
  IF v_wait = 0 THEN
    UPDATE auth_throttle SET attempts = attempts + 1 WHERE key = ANY (p_keys);
  END IF;
  RETURN v_wait;
END
$$;

-- An attempt that succeeded: the p_reset keys start afresh (a login's account), the p_refund keys
-- get the attempt back (addresses: their limit counts failed and unfinished attempts, so many people
-- signing in through one proxy are not throttled by their successes).
CREATE FUNCTION auth_throttle_succeeded(p_reset bytea[], p_refund bytea[]) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
  DELETE FROM auth_throttle WHERE key = ANY (p_reset);
  UPDATE auth_throttle SET attempts = greatest(attempts - 1, 0) WHERE key = ANY (p_refund);
$$;

ALTER FUNCTION auth_throttle_attempt(bytea[], integer[], integer) OWNER TO retract_platform;
ALTER FUNCTION auth_throttle_succeeded(bytea[], bytea[]) OWNER TO retract_platform;
REVOKE ALL ON FUNCTION auth_throttle_attempt(bytea[], integer[], integer), auth_throttle_succeeded(bytea[], bytea[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_throttle_attempt(bytea[], integer[], integer), auth_throttle_succeeded(bytea[], bytea[]) TO retract_app;

-- The check-then-count pair is gone: nothing may call it any more.
DROP FUNCTION auth_throttle_wait(bytea, integer, integer);
DROP FUNCTION auth_throttle_fail(bytea, integer, integer);
DROP FUNCTION auth_throttle_clear(bytea);

-- migrate:down
-- The previous functions are defined in 20261128160000_platform.sql and 20261128160200_audit_jobs.sql;
-- rolling back this migration alone restores them as they were.
CREATE FUNCTION auth_throttle_fail(p_key bytea, p_window_seconds integer, p_max integer) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
DECLARE row auth_throttle;
BEGIN
  INSERT INTO auth_throttle AS t (key, window_start, attempts) VALUES (p_key, now(), 1)
  ON CONFLICT (key) DO UPDATE
    SET attempts = CASE WHEN t.window_start < now() - make_interval(secs => p_window_seconds) THEN 1 ELSE t.attempts + 1 END,
        window_start = CASE WHEN t.window_start < now() - make_interval(secs => p_window_seconds) THEN now() ELSE t.window_start END
  RETURNING * INTO row;
  IF row.attempts > p_max THEN
    RETURN greatest(1, ceil(extract(epoch FROM (row.window_start + make_interval(secs => p_window_seconds) - now())))::integer);
  END IF;
  RETURN 0;
END
$$;
CREATE FUNCTION auth_throttle_wait(p_key bytea, p_window_seconds integer, p_max integer) RETURNS integer
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
  SELECT coalesce((
    SELECT greatest(1, ceil(extract(epoch FROM (window_start + make_interval(secs => p_window_seconds) - now())))::integer)
    FROM auth_throttle
    WHERE key = p_key AND attempts >= p_max AND window_start >= now() - make_interval(secs => p_window_seconds)
  ), 0)
$$;
CREATE FUNCTION auth_throttle_clear(p_key bytea) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ DELETE FROM auth_throttle WHERE key = p_key $$;
ALTER FUNCTION auth_throttle_fail(bytea, integer, integer) OWNER TO retract_platform;
ALTER FUNCTION auth_throttle_wait(bytea, integer, integer) OWNER TO retract_platform;
ALTER FUNCTION auth_throttle_clear(bytea) OWNER TO retract_platform;
REVOKE ALL ON FUNCTION auth_throttle_fail(bytea, integer, integer), auth_throttle_wait(bytea, integer, integer), auth_throttle_clear(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_throttle_fail(bytea, integer, integer), auth_throttle_wait(bytea, integer, integer), auth_throttle_clear(bytea) TO retract_app;
DROP FUNCTION auth_throttle_succeeded(bytea[], bytea[]);
DROP FUNCTION auth_throttle_attempt(bytea[], integer[], integer);
