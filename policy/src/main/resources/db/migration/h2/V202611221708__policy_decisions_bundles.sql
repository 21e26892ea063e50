-- Every loaded bundle's revision by name (the decision point may load several with disjoint
-- roots); bundle_name / bundle_revision keep naming the main one.
ALTER TABLE policy_decisions ADD COLUMN bundles TEXT;
