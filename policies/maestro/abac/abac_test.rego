package maestro.abac_test

import data.maestro.abac

operator := {"sub": "ops@acme", "roles": ["operator"], "tenant": "acme"}

req(profile, attrs) := {
	"action": "workflow.run",
	"actor": operator,
	"tenant": {"id": "acme", "profile": profile, "regions": ["US", "EU"]},
	"resource": {"type": "workflow", "tenant": "acme", "attributes": attrs},
}

high_prod := {"environment": "prod", "risk_profile": "high"}

with_approvals(r, approvals) := object.union(r, {"approvals": approvals})

test_low_risk_needs_no_approval if {
	count(abac.deny) == 0 with input as req("internal-default", {"environment": "prod", "risk_profile": "low"})
}

test_high_risk_prod_needs_approval if {
	abac.deny_codes == {"approval_required"} with input as req("internal-default", high_prod)
}

test_approval_message if {
	denials := abac.deny with input as req("internal-default", high_prod)
	denials == {{"code": "approval_required", "message": "a high-risk workflow in prod needs 1 approval(s) by workflow_reviewer, has 0"}}
}

test_reviewer_approval_satisfies if {
	count(abac.deny) == 0 with input as with_approvals(req("internal-default", high_prod), [{"by": "rev@acme", "role": "workflow_reviewer"}])
}

test_self_approval_does_not_count if {
	abac.deny_codes == {"approval_required"} with input as with_approvals(req("internal-default", high_prod), [{"by": "ops@acme", "role": "workflow_reviewer"}])
}

test_approval_by_other_role_does_not_count if {
	abac.deny_codes == {"approval_required"} with input as with_approvals(req("internal-default", high_prod), [{"by": "x@acme", "role": "operator"}])
}

test_environment_from_request if {
	inp := object.union(req("internal-default", {"risk_profile": "critical"}), {"request": {"environment": "prod"}})
	abac.deny_codes == {"approval_required"} with input as inp
}

test_dev_environment_needs_no_approval if {
	count(abac.deny) == 0 with input as req("internal-default", {"environment": "dev", "risk_profile": "high"})
}

test_reads_need_no_approval if {
	count(abac.deny) == 0 with input as object.union(req("internal-default", high_prod), {"action": "workflow.read"})
}

test_regulated_needs_two_distinct_approvers if {
	r := req("regulated", {"environment": "staging", "risk_profile": "medium"})
	abac.deny_codes == {"approval_required"} with input as with_approvals(r, [
		{"by": "rev@acme", "role": "workflow_reviewer"},
		{"by": "rev@acme", "role": "tenant_admin"},
	])
	count(abac.deny) == 0 with input as with_approvals(r, [
		{"by": "rev@acme", "role": "workflow_reviewer"},
		{"by": "boss@acme", "role": "tenant_admin"},
	])
}

test_region_must_be_allowed if {
	abac.deny_codes == {"region_not_allowed"} with input as req("internal-default", {"region": "APAC"})
	count(abac.deny) == 0 with input as req("internal-default", {"region": "EU"})
}

test_residency_mismatch if {
	inp := object.union(req("internal-default", {"region": "US"}), {"request": {"region": "EU"}})
	abac.deny_codes == {"residency_mismatch"} with input as inp
}

test_residency_off_when_profile_says_so if {
	inp := object.union(req("none", {"region": "APAC"}), {"request": {"region": "EU"}})
	count(abac.deny) == 0 with input as inp with data.maestro.profiles.none as {"settings": {"abac": {"residency": {"enforce": false}}}}
}

test_clearance_default_internal if {
	count(abac.deny) == 0 with input as req("internal-default", {"data_sensitivity": "internal"})
	abac.deny_codes == {"clearance_insufficient"} with input as req("internal-default", {"data_sensitivity": "confidential"})
}

test_clearance_from_actor_attribute if {
	inp := object.union(req("internal-default", {"data_sensitivity": "restricted"}), {"actor": object.union(operator, {"attributes": {"data_sensitivity": "restricted"}})})
	count(abac.deny) == 0 with input as inp
}

test_regulated_default_clearance_is_public if {
	abac.deny_codes == {"clearance_insufficient"} with input as req("regulated", {"data_sensitivity": "internal"})
}

test_sensitive_data_is_audited if {
	inp := object.union(req("internal-default", {"data_sensitivity": "confidential"}), {"actor": object.union(operator, {"attributes": {"data_sensitivity": "restricted"}})})
	abac.obligations == {{"type": "enhanced_audit", "data_sensitivity": "confidential"}} with input as inp
	count(abac.obligations) == 0 with input as req("internal-default", {"data_sensitivity": "internal"})
}

test_business_unit_enforced_in_regulated if {
	inp := object.union(req("regulated", {"business_unit": "payments"}), {"actor": object.union(operator, {"attributes": {"business_unit": "lending"}})})
	abac.deny_codes == {"business_unit_mismatch"} with input as inp
	count(abac.deny) == 0 with input as object.union(inp, {"tenant": {"profile": "internal-default"}})
}

test_business_unit_does_not_bind_platform_roles if {
	inp := object.union(req("regulated", {"business_unit": "payments"}), {"actor": {"sub": "root", "roles": ["conductor_admin"], "attributes": {"business_unit": "ops"}}})
	count(abac.deny) == 0 with input as inp
}
