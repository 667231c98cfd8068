-- migrate:up
-- Every table has row-level security enabled and forced (docs/architecture.md, "Tenant isolation"),
-- so a table added without a policy fails closed. KEK retirements are the one table that is not
-- tenant data: every organisation's keys are wrapped under the same master KEKs, so the policy
-- lets every session read them and the rotation record them.
ALTER TABLE kek_retirements ENABLE ROW LEVEL SECURITY;
ALTER TABLE kek_retirements FORCE ROW LEVEL SECURITY;
CREATE POLICY kek_retirements_shared ON kek_retirements USING (true) WITH CHECK (true);

-- migrate:down
DROP POLICY kek_retirements_shared ON kek_retirements;
ALTER TABLE kek_retirements NO FORCE ROW LEVEL SECURITY;
ALTER TABLE kek_retirements DISABLE ROW LEVEL SECURITY;
