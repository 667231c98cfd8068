-- migrate:up

-- Free-text search over audit metadata (`q`) is a substring match; trigrams keep it from scanning the log.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX audit_entries_search_trgm_idx ON audit_entries USING gin (search_text gin_trgm_ops);

-- migrate:down
DROP INDEX IF EXISTS audit_entries_search_trgm_idx;
