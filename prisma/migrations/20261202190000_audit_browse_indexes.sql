-- migrate:up

-- Browsing a large log: GET /api/v1/audit (audit-entries.service.ts).
--
-- Under Row Level Security PostgreSQL evaluates the policy before any filter that is not
-- leakproof, so such a filter cannot be an index condition. Enum equality (`action = …`) and
-- LIKE (`q`) are not leakproof: with the API's role every page filtered by action or text walked
-- the tenant's whole log in seq order (or scanned it), and audit_entries_action_idx and
-- audit_entries_search_trgm_idx were never used. audit_browse_seqs() finds the seqs of one page as
-- retract_platform (BYPASSRLS, no login), confined to the transaction's own tenant exactly as
-- the policy is (app_current_tenant()), with every filter planned for its actual values; the
-- caller then reads those rows itself, under RLS. The platform role sees only the searchable
-- columns, never the leaves.
GRANT SELECT (tenant_id, seq, occurred_at, action, actor_id, subject_user_id, conversation_id, message_id, search_text)
  ON audit_entries TO retract_platform;

-- Seqs of one page, newest first: at most p_limit entries below p_before (all when NULL) that match
-- every given filter (NULL = no filter). p_pattern is a LIKE pattern over search_text.
--
-- occurred_at never decreases along seq (AuditLog.append keeps it so and verification reports any
-- entry that goes back), so a time range is a seq range, found with two probes of
-- audit_entries_time_idx; the page is then a keyset range scan of the primary key or of the
-- filter's (tenant_id, column, seq) index. The time conditions stay in the query as well, so a
-- log whose times were tampered with can lose entries from a time filter but never show others;
-- written as `occurred_at + interval '0'`, they are checked on the rows the range scan finds
-- without being counted a second time by the planner (which then sorted the whole range out of
-- audit_entries_time_idx: 33 ms for the last 7 days, 240 ms for an action in one week).
--
-- Text is searched newest first in seq windows growing eightfold from 4,096 entries. How many
-- entries contain a term is what the planner guesses worst (pg_trgm estimates were 30 times off),
-- and a wrong guess is expensive either way: walking the log in seq order reads every row until
-- enough match, and the trigram index reads the whole posting list of every trigram of the term
-- (170 ms for "wrong customer" at 10 M entries, however few entries contain it). The small first
-- window bounds the walk; after it, a rare or absent term goes to the trigram index. At
-- 10 M entries: a common term ~10 ms, one in 0.4% of entries ~30 ms, an absent one ~25 ms, where
-- the whole log used to be walked (40-70 s).
CREATE FUNCTION audit_browse_seqs(
  p_before bigint, p_limit integer, p_action audit_action, p_actor uuid, p_subject uuid,
  p_conversation uuid, p_message uuid, p_from timestamptz, p_to timestamptz, p_pattern text
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
  -- EXECUTE plans each statement for its values: no generic plan for optional filters.
  IF p_pattern IS NULL THEN
    RETURN QUERY EXECUTE query || ' ORDER BY seq DESC LIMIT $12'
      USING tenant, low, high, p_action, p_actor, p_subject, p_conversation, p_message, p_from, p_to, p_pattern, wanted;
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
      USING tenant, window_low, high, p_action, p_actor, p_subject, p_conversation, p_message, p_from, p_to, p_pattern, wanted;
    GET DIAGNOSTICS found = ROW_COUNT;
    wanted := wanted - found;
    high := window_low;
    window_size := window_size * 8;
  END LOOP;
END
$$;
ALTER FUNCTION audit_browse_seqs(bigint, integer, audit_action, uuid, uuid, uuid, uuid, timestamptz, timestamptz, text) OWNER TO retract_platform;
REVOKE ALL ON FUNCTION audit_browse_seqs(bigint, integer, audit_action, uuid, uuid, uuid, uuid, timestamptz, timestamptz, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_browse_seqs(bigint, integer, audit_action, uuid, uuid, uuid, uuid, timestamptz, timestamptz, text) TO retract_app;

-- The console keeps a person or conversation filter when an action is picked (and the other way
-- round). With only (tenant_id, actor_id, seq) such a page walked all of the person's entries
-- looking for the action: 5 s at 10 M entries for an active sender and an action they never take.
-- These answer every person/conversation + action page with one range scan. On a large live log,
-- build them beforehand with CREATE INDEX CONCURRENTLY under the same names (this migration then
-- skips them): a plain CREATE INDEX holds appends while it runs.
CREATE INDEX IF NOT EXISTS audit_entries_actor_action_idx ON audit_entries (tenant_id, actor_id, action, seq DESC);
CREATE INDEX IF NOT EXISTS audit_entries_subject_action_idx ON audit_entries (tenant_id, subject_user_id, action, seq DESC);
CREATE INDEX IF NOT EXISTS audit_entries_conversation_action_idx ON audit_entries (tenant_id, conversation_id, action, seq DESC);

-- migrate:down
DROP INDEX IF EXISTS audit_entries_conversation_action_idx, audit_entries_subject_action_idx, audit_entries_actor_action_idx;
DROP FUNCTION IF EXISTS audit_browse_seqs(bigint, integer, audit_action, uuid, uuid, uuid, uuid, timestamptz, timestamptz, text);
REVOKE SELECT (tenant_id, seq, occurred_at, action, actor_id, subject_user_id, conversation_id, message_id, search_text) ON audit_entries FROM retract_platform;
