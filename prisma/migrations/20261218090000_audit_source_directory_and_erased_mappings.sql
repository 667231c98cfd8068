-- migrate:up

-- The audit list's `source` filter (docs/integration.md, "In the audit log") also lists the
-- directory's entries about that chat system's people (DIRECTORY_PERSON_CHANGED: the person is the
-- subject, and a person belongs to one source in external_people). Before, it matched only entries
-- about the chat system's messages. Same function otherwise (its owner and grants are kept).
GRANT SELECT (tenant_id, source, user_id) ON external_people TO retract_platform;
CREATE OR REPLACE FUNCTION audit_browse_seqs(
  p_before bigint, p_limit integer, p_action audit_action, p_actor uuid, p_subject uuid,
  p_conversation uuid, p_message uuid, p_from timestamptz, p_to timestamptz, p_pattern text, p_source text
) RETURNS SETOF bigint
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
DECLARE
  tenant uuid := app_current_tenant();
  low bigint := 0;
  high bigint;
  bound bigint;
  wanted integer := p_limit;
  found integer;
  window_size bigint := 4096;
  window_low bigint;
  query text := 'SELECT seq FROM audit_entries WHERE tenant_id = $1 AND seq >= $2 AND seq < $3';
BEGIN
  IF tenant IS NULL OR p_limit IS NULL OR p_limit < 1 THEN
    RETURN;
  END IF;
  SELECT size INTO high FROM audit_log_heads WHERE tenant_id = tenant;
  high := least(coalesce(high, 0), coalesce(p_before, high));
  IF p_from IS NOT NULL THEN
    SELECT seq INTO bound FROM audit_entries WHERE tenant_id = tenant AND occurred_at >= p_from ORDER BY occurred_at, seq LIMIT 1;
    IF bound IS NULL THEN
      RETURN;
    END IF;
    low := bound;
    query := query || ' AND occurred_at + interval ''0'' >= $9';
  END IF;
  IF p_to IS NOT NULL THEN
    SELECT seq INTO bound FROM audit_entries WHERE tenant_id = tenant AND occurred_at <= p_to ORDER BY occurred_at DESC, seq DESC LIMIT 1;
    IF bound IS NULL THEN
      RETURN;
    END IF;
    high := least(high, bound + 1);
    query := query || ' AND occurred_at + interval ''0'' <= $10';
  END IF;
  IF p_action IS NOT NULL THEN
    query := query || ' AND action = $4';
  END IF;
  IF p_actor IS NOT NULL THEN
    query := query || ' AND actor_id = $5';
  END IF;
  IF p_subject IS NOT NULL THEN
    query := query || ' AND subject_user_id = $6';
  END IF;
  IF p_conversation IS NOT NULL THEN
    query := query || ' AND conversation_id = $7';
  END IF;
  IF p_message IS NOT NULL THEN
    query := query || ' AND message_id = $8';
  END IF;
  IF p_source IS NOT NULL THEN
    query := query || ' AND (message_id IN (SELECT x.id FROM external_messages x WHERE x.tenant_id = $1 AND x.source = $13)'
                   || ' OR (action = ''DIRECTORY_PERSON_CHANGED'' AND subject_user_id IN'
                   || ' (SELECT p.user_id FROM external_people p WHERE p.tenant_id = $1 AND p.source = $13)))';
  END IF;
  -- EXECUTE plans each statement for its values: no generic plan for optional filters.
  IF p_pattern IS NULL THEN
    RETURN QUERY EXECUTE query || ' ORDER BY seq DESC LIMIT $12'
      USING tenant, low, high, p_action, p_actor, p_subject, p_conversation, p_message, p_from, p_to, p_pattern, wanted, p_source;
    RETURN;
  END IF;
  WHILE high > low AND wanted > 0 LOOP
    window_low := greatest(low, high - window_size);
    -- The first window is always walked (~10 ms): `search_text || ''` keeps the planner off the
    -- trigram index there, which it picks on smaller logs even for the commonest terms (40 ms at
    -- 1 M entries for a term in 4% of them). Later windows are the planner's choice.
    RETURN QUERY EXECUTE query
      || CASE WHEN window_size = 4096 THEN ' AND search_text || '''' LIKE $11' ELSE ' AND search_text LIKE $11' END
      || ' ORDER BY seq DESC LIMIT $12'
      USING tenant, window_low, high, p_action, p_actor, p_subject, p_conversation, p_message, p_from, p_to, p_pattern, wanted, p_source;
    GET DIAGNOSTICS found = ROW_COUNT;
    wanted := wanted - found;
    high := window_low;
    window_size := window_size * 8;
  END LOOP;
END
$$;

-- Erasure of a person (docs/audit-log.md, "Personal data") also takes the chat system's id out of
-- their mapping: the row stays (entries and the source filter still find the person's source), its
-- external_id becomes `erased:<user id>`.
GRANT UPDATE (external_id) ON external_people TO retract_app;

-- migrate:down
REVOKE UPDATE (external_id) ON external_people FROM retract_app;
CREATE OR REPLACE FUNCTION audit_browse_seqs(
  p_before bigint, p_limit integer, p_action audit_action, p_actor uuid, p_subject uuid,
  p_conversation uuid, p_message uuid, p_from timestamptz, p_to timestamptz, p_pattern text, p_source text
) RETURNS SETOF bigint
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
DECLARE
  tenant uuid := app_current_tenant();
  low bigint := 0;
  high bigint;
  bound bigint;
  wanted integer := p_limit;
  found integer;
  window_size bigint := 4096;
  window_low bigint;
  query text := 'SELECT seq FROM audit_entries WHERE tenant_id = $1 AND seq >= $2 AND seq < $3';
BEGIN
  IF tenant IS NULL OR p_limit IS NULL OR p_limit < 1 THEN
    RETURN;
  END IF;
  SELECT size INTO high FROM audit_log_heads WHERE tenant_id = tenant;
  high := least(coalesce(high, 0), coalesce(p_before, high));
  IF p_from IS NOT NULL THEN
    SELECT seq INTO bound FROM audit_entries WHERE tenant_id = tenant AND occurred_at >= p_from ORDER BY occurred_at, seq LIMIT 1;
    IF bound IS NULL THEN
      RETURN;
    END IF;
    low := bound;
    query := query || ' AND occurred_at + interval ''0'' >= $9';
  END IF;
  IF p_to IS NOT NULL THEN
    SELECT seq INTO bound FROM audit_entries WHERE tenant_id = tenant AND occurred_at <= p_to ORDER BY occurred_at DESC, seq DESC LIMIT 1;
    IF bound IS NULL THEN
      RETURN;
    END IF;
    high := least(high, bound + 1);
    query := query || ' AND occurred_at + interval ''0'' <= $10';
  END IF;
  IF p_action IS NOT NULL THEN
    query := query || ' AND action = $4';
  END IF;
  IF p_actor IS NOT NULL THEN
    query := query || ' AND actor_id = $5';
  END IF;
  IF p_subject IS NOT NULL THEN
    query := query || ' AND subject_user_id = $6';
  END IF;
  IF p_conversation IS NOT NULL THEN
    query := query || ' AND conversation_id = $7';
  END IF;
  IF p_message IS NOT NULL THEN
    query := query || ' AND message_id = $8';
  END IF;
  IF p_source IS NOT NULL THEN
    query := query || ' AND message_id IN (SELECT x.id FROM external_messages x WHERE x.tenant_id = $1 AND x.source = $13)';
  END IF;
  -- EXECUTE plans each statement for its values: no generic plan for optional filters.
  IF p_pattern IS NULL THEN
    RETURN QUERY EXECUTE query || ' ORDER BY seq DESC LIMIT $12'
      USING tenant, low, high, p_action, p_actor, p_subject, p_conversation, p_message, p_from, p_to, p_pattern, wanted, p_source;
    RETURN;
  END IF;
  WHILE high > low AND wanted > 0 LOOP
    window_low := greatest(low, high - window_size);
    -- The first window is always walked (~10 ms): `search_text || ''` keeps the planner off the
    -- trigram index there, which it picks on smaller logs even for the commonest terms (40 ms at
    -- 1 M entries for a term in 4% of them). Later windows are the planner's choice.
    RETURN QUERY EXECUTE query
      || CASE WHEN window_size = 4096 THEN ' AND search_text || '''' LIKE $11' ELSE ' AND search_text LIKE $11' END
      || ' ORDER BY seq DESC LIMIT $12'
      USING tenant, window_low, high, p_action, p_actor, p_subject, p_conversation, p_message, p_from, p_to, p_pattern, wanted, p_source;
    GET DIAGNOSTICS found = ROW_COUNT;
    wanted := wanted - found;
    high := window_low;
    window_size := window_size * 8;
  END LOOP;
END
$$;
REVOKE SELECT (tenant_id, source, user_id) ON external_people FROM retract_platform;
