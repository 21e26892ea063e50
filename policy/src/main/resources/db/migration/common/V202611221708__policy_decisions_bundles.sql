-- Every loaded bundle's revision by name (the decision point may load several with disjoint
-- roots); bundle_name / bundle_revision keep naming the main one. ${json}: jsonb on PostgreSQL,
-- text on H2.
ALTER TABLE policy_decisions ADD COLUMN bundles ${json};
