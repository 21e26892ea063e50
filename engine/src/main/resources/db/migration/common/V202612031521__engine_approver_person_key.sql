-- Approvers are recorded as people, issuer|normalized subject (PersonId), a few characters longer
-- than the subject alone.
ALTER TABLE engine_approvals ALTER COLUMN approver SET DATA TYPE VARCHAR(300);
