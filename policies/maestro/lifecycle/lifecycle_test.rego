package maestro.lifecycle_test

import data.maestro.authz
import data.maestro.lifecycle

approve(sub, purge) := {
	"action": "purge.approve",
	"actor": {"sub": sub, "roles": ["tenant_admin"], "tenant": "acme"},
	"tenant": {"id": "acme", "profile": "internal-default"},
	"platform": {"profile": "conductor-governance-internal"},
	"resource": {"type": "purge", "tenant": "acme"},
	"request": {"purge": purge},
}

request(roles, purge) := {
	"action": "purge.request",
	"actor": {"sub": "ana@acme", "roles": roles, "tenant": "acme"},
	"tenant": {"id": "acme", "profile": "internal-default"},
	"platform": {"profile": "conductor-governance-internal"},
	"resource": {"type": "purge", "tenant": "acme"},
	"request": {"purge": purge},
}

pending := {"requestedBy": "ana@acme", "approvers": ["bo@acme"], "state": "awaiting_approval"}

test_requester_cannot_approve if {
	lifecycle.deny_codes == {"purge_self_approval"} with input as approve("ana@acme", pending)
}

test_requester_cannot_approve_with_other_spelling if {
	lifecycle.deny_codes == {"purge_self_approval"} with input as approve(" ANA@acme", pending)
}

test_same_approver_counts_once if {
	lifecycle.deny_codes == {"purge_duplicate_approver"} with input as approve("bo@acme", pending)
}

test_second_distinct_approver_allowed if {
	authz.decision.allow with input as approve("cy@acme", pending)
}

test_refusal_is_the_decision if {
	d := authz.decision with input as approve("ana@acme", pending)
	not d.allow
	d.reasons[0].code == "purge_self_approval"
}

test_request_needs_reason if {
	lifecycle.deny_codes == {"purge_reason_missing"} with input as request(["tenant_admin"], {"scope": "runs", "reason": " "})
}

test_request_carries_dual_control_obligation if {
	d := authz.decision with input as request(["tenant_admin"], {"scope": "runs", "reason": "GDPR erasure"})
	d.allow
	{"type": "purge_dual_control", "approvals": 2, "delaySeconds": 3600} in d.obligations
}

test_tenant_scope_is_platform_only if {
	lifecycle.deny_codes == {"purge_scope_not_permitted"} with input as request(["tenant_admin"], {"scope": "tenant", "reason": "offboarding"})
}

test_operator_may_not_request if {
	not authz.decision.allow with input as request(["operator"], {"scope": "runs", "reason": "x"})
}

test_gate_allows_before_the_body_is_read if {
	inp := object.remove(request(["tenant_admin"], {}), ["request"])
	authz.decision.allow with input as inp
}

retention(action, roles, facts) := {
	"action": action,
	"actor": {"sub": "ana@acme", "roles": roles, "tenant": "acme"},
	"tenant": {"id": "acme", "profile": "internal-default"},
	"platform": {"profile": "conductor-governance-internal"},
	"resource": {"type": "retention", "tenant": "acme"},
	"request": {"retention": facts},
}

test_retention_rule_within_bounds_allowed if {
	authz.decision.allow with input as retention("retention.write", ["tenant_admin"], {"dataClass": "runs", "keepDays": 30, "minDays": 7, "maxDays": 3650})
}

test_retention_rule_below_minimum_refused if {
	d := authz.decision with input as retention("retention.write", ["tenant_admin"], {"dataClass": "runs", "keepDays": 6, "minDays": 7, "maxDays": 3650})
	not d.allow
	d.reasons[0].code == "retention_below_minimum"
}

test_retention_rule_at_minimum_allowed if {
	lifecycle.deny_codes == set() with input as retention("retention.write", ["tenant_admin"], {"dataClass": "runs", "keepDays": 7, "minDays": 7})
}

test_retention_rule_above_maximum_refused if {
	lifecycle.deny_codes == {"retention_above_maximum"} with input as retention("retention.write", ["tenant_admin"], {"dataClass": "metering_events", "keepDays": 4000, "minDays": 7, "maxDays": 3650})
}

test_retention_rule_without_maximum_allowed if {
	lifecycle.deny_codes == set() with input as retention("retention.write", ["tenant_admin"], {"dataClass": "runs", "keepDays": 36500, "minDays": 1})
}

test_retention_write_not_for_operators if {
	not authz.decision.allow with input as retention("retention.write", ["operator"], {"dataClass": "runs", "keepDays": 30, "minDays": 1})
}

test_retention_read_for_read_only if {
	authz.decision.allow with input as retention("retention.read", ["read_only"], {})
}

test_legal_hold_needs_reason if {
	lifecycle.deny_codes == {"legal_hold_reason_missing"} with input as retention("retention.hold", ["tenant_admin"], {"reason": "  "})
}

test_legal_hold_with_reason_allowed if {
	authz.decision.allow with input as retention("retention.hold", ["tenant_admin"], {"reason": "litigation 2026-17"})
}

test_gate_before_facts_allows_hold if {
	lifecycle.deny_codes == set() with input as object.remove(retention("retention.hold", ["tenant_admin"], {}), ["request"])
}

test_purge_refused_while_on_legal_hold if {
	d := authz.decision with input as request(["tenant_admin"], {"scope": "runs", "reason": "DSR-42", "held": true})
	not d.allow
	d.reasons[0].code == "purge_legal_hold"
}

chaos(action, roles, facts) := {
	"action": action,
	"actor": {"sub": "root@platform", "roles": roles},
	"tenant": {"profile": "internal-default"},
	"platform": {"profile": "conductor-governance-internal"},
	"resource": {"type": "fault"},
	"request": {"fault": facts},
}

dev_enabled := {"scenario": "pdp-outage", "enabled": true, "production": false, "allowInProduction": false}

test_fault_injection_allowed_for_platform_admin_on_a_configured_dev_server if {
	authz.decision.allow with input as chaos("chaos.inject", ["conductor_admin"], dev_enabled)
}

test_fault_injection_refused_when_not_enabled if {
	d := authz.decision with input as chaos("chaos.inject", ["conductor_admin"], object.union(dev_enabled, {"enabled": false}))
	not d.allow
	d.reasons[0].code == "fault_injection_disabled"
}

test_fault_injection_refused_in_production_unless_allowed if {
	lifecycle.deny_codes == {"fault_injection_production"} with input as chaos("chaos.inject", ["conductor_admin"], object.union(dev_enabled, {"production": true}))
	lifecycle.deny_codes == set() with input as chaos("chaos.inject", ["conductor_admin"], object.union(dev_enabled, {"production": true, "allowInProduction": true}))
}

test_fault_injection_refused_when_the_mode_is_not_said if {
	lifecycle.deny_codes == {"fault_injection_production"} with input as chaos("chaos.inject", ["conductor_admin"], object.remove(dev_enabled, ["production"]))
}

test_drill_record_refused_when_not_enabled if {
	lifecycle.deny_codes == {"fault_injection_disabled"} with input as chaos("chaos.record", ["conductor_admin"], object.union(dev_enabled, {"enabled": false}))
}

test_fault_injection_not_for_tenant_or_support_roles if {
	every role in ["tenant_admin", "support", "operator", "read_only"] {
		not authz.decision.allow with input as chaos("chaos.inject", [role], dev_enabled)
	}
	not authz.decision.allow with input as chaos("chaos.list", ["support"], dev_enabled)
	not authz.decision.allow with input as chaos("chaos.clear", ["tenant_admin"], dev_enabled)
}

test_clearing_a_fault_is_not_judged_on_the_configuration if {
	lifecycle.deny_codes == set() with input as chaos("chaos.clear", ["conductor_admin"], object.union(dev_enabled, {"enabled": false}))
}

test_fault_injection_needs_a_platform_token if {
	inp := json.patch(chaos("chaos.inject", ["conductor_admin"], dev_enabled), [{"op": "add", "path": "/actor/tenant", "value": "acme"}])
	d := authz.decision with input as inp
	not d.allow
	"platform_token_required" in {r.code | some r in d.reasons}
}

db_restart(ability) := object.union(dev_enabled, {"scenario": "db-restart", "dbRestart": ability})

test_db_restart_allowed_where_the_server_can_restart_its_database if {
	authz.decision.allow with input as chaos("chaos.inject", ["conductor_admin"], db_restart("ready"))
}

test_db_restart_refused_on_the_embedded_database if {
	lifecycle.deny_codes == {"fault_db_restart_embedded"} with input as chaos("chaos.inject", ["conductor_admin"], db_restart("embedded"))
}

test_db_restart_refused_without_a_restart_command if {
	d := authz.decision with input as chaos("chaos.inject", ["conductor_admin"], db_restart("unconfigured"))
	not d.allow
	d.reasons[0].code == "fault_db_restart_unconfigured"
	lifecycle.deny_codes == {"fault_db_restart_unconfigured"} with input as chaos("chaos.inject", ["conductor_admin"], object.remove(db_restart("x"), ["dbRestart"]))
}

test_db_restart_facts_do_not_touch_other_scenarios if {
	lifecycle.deny_codes == set() with input as chaos("chaos.inject", ["conductor_admin"], object.union(dev_enabled, {"dbRestart": "embedded"}))
}

impersonation_request(profile, facts) := {
	"action": "impersonation.request",
	"actor": {"sub": "sue@platform", "roles": ["support"]},
	"tenant": {"id": "acme", "profile": profile},
	"platform": {"profile": "conductor-governance-internal"},
	"resource": {"type": "impersonation", "tenant": "acme"},
	"request": {"impersonation": facts},
}

asked := {"subject": "ana@acme", "reason": "ticket 4711: cannot see run", "minutes": 20, "member": true}

test_support_may_request_impersonation_with_a_reason if {
	d := authz.decision with input as impersonation_request("internal-default", asked)
	d.allow
	some o in d.obligations
	o == {"type": "impersonation_control", "approval": false, "maxMinutes": 60}
}

test_regulated_profile_demands_approval_and_a_shorter_time_box if {
	d := authz.decision with input as impersonation_request("regulated", asked)
	d.allow
	some o in d.obligations
	o.type == "impersonation_control"
	o.approval == true
	o.maxMinutes == 30
	lifecycle.deny_codes == {"impersonation_too_long"} with input as impersonation_request("regulated", object.union(asked, {"minutes": 45}))
}

test_impersonation_needs_a_reason if {
	lifecycle.deny_codes == {"impersonation_reason_missing"} with input as impersonation_request("internal-default", object.union(asked, {"reason": "  "}))
}

test_impersonation_only_of_a_member if {
	lifecycle.deny_codes == {"impersonation_not_a_member"} with input as impersonation_request("internal-default", object.union(asked, {"member": false}))
}

test_a_profile_may_forbid_impersonation if {
	lifecycle.deny_codes == {"impersonation_not_permitted"} with input as impersonation_request("internal-default", asked)
		with data.maestro.profiles["internal-default"].settings.impersonation as {"allowed": false}
}

test_tenant_roles_cannot_request_impersonation if {
	every role in ["tenant_admin", "operator", "read_only"] {
		not authz.decision.allow with input as object.union(impersonation_request("internal-default", asked), {"actor": {"sub": "x@acme", "roles": [role], "tenant": "acme"}})
	}
}

impersonation_approve(sub, requested_by) := {
	"action": "impersonation.approve",
	"actor": {"sub": sub, "roles": ["tenant_admin"], "tenant": "acme"},
	"tenant": {"id": "acme", "profile": "regulated"},
	"platform": {"profile": "conductor-governance-internal"},
	"resource": {"type": "impersonation", "tenant": "acme"},
	"request": {"impersonation": {"requestedBy": requested_by, "state": "pending_approval"}},
}

test_a_tenant_admin_approves_impersonation if {
	authz.decision.allow with input as impersonation_approve("ana@acme", "sue@platform")
}

test_the_requester_never_approves_its_own_impersonation if {
	lifecycle.deny_codes == {"impersonation_self_approval"} with input as impersonation_approve(" SUE@platform", "sue@platform")
}

test_support_cannot_approve_impersonation if {
	not authz.decision.allow with input as object.union(impersonation_approve("bo@platform", "sue@platform"), {"actor": {"sub": "bo@platform", "roles": ["support"]}})
}

as_ana(action, active) := {
	"action": action,
	"actor": {"sub": "ana@acme", "roles": ["tenant_admin"], "tenant": "acme", "impersonation": {"id": "imp_1", "by": "sue@platform", "byVia": "oidc", "active": active, "state": "active"}},
	"tenant": {"id": "acme", "profile": "internal-default"},
	"platform": {"profile": "conductor-governance-internal"},
	"resource": {"type": "run", "tenant": "acme"},
}

test_while_impersonating_ordinary_actions_go_on if {
	authz.decision.allow with input as as_ana("run.read", true)
	authz.decision.allow with input as as_ana("workflow.run", true)
}

test_while_impersonating_no_approvals_purges_exports_or_grants if {
	every action in ["purge.request", "purge.approve", "workflow.approve", "breakglass.approve", "member.write", "evidence.export", "impersonation.request", "impersonation.approve"] {
		lifecycle.deny_codes == {"impersonation_action_forbidden"} with input as as_ana(action, true)
	}
}

test_a_session_not_in_force_acts_for_no_one if {
	d := authz.decision with input as as_ana("run.read", false)
	not d.allow
	d.reasons[0].code == "impersonation_inactive"
}

profiled_retention(profile, facts) := object.union(
	retention("retention.write", ["tenant_admin"], facts),
	{"tenant": {"id": "acme", "profile": profile}},
)

test_regulated_refuses_shortening_receipt_payloads_below_its_minimum if {
	d := authz.decision with input as profiled_retention("regulated", {"dataClass": "receipt_payloads", "keepDays": 30, "minDays": 1})
	not d.allow
	d.reasons[0].code == "retention_below_profile_minimum"
	contains(d.reasons[0].message, "regulated profile's minimum of 2555 days")
}

test_regulated_allows_a_rule_at_its_minimum if {
	lifecycle.deny_codes == set() with input as profiled_retention("regulated", {"dataClass": "evidence_packs", "keepDays": 2555, "minDays": 1})
}

test_regulated_minimum_is_per_class if {
	lifecycle.deny_codes == set() with input as profiled_retention("regulated", {"dataClass": "runs", "keepDays": 400, "minDays": 1})
	lifecycle.deny_codes == {"retention_below_profile_minimum"} with input as profiled_retention("regulated", {"dataClass": "runs", "keepDays": 364, "minDays": 1})
}

test_demo_profile_has_no_minimum if {
	lifecycle.deny_codes == set() with input as profiled_retention("partner-demo", {"dataClass": "receipt_payloads", "keepDays": 1, "minDays": 1})
}

test_profile_and_platform_minimum_both_reported if {
	lifecycle.deny_codes == {"retention_below_minimum", "retention_below_profile_minimum"} with input as profiled_retention("hosted-saas", {"dataClass": "runs", "keepDays": 5, "minDays": 7})
}

test_profile_minimum_not_judged_without_a_class if {
	lifecycle.deny_codes == set() with input as profiled_retention("regulated", {"keepDays": 3})
}

test_regulated_keeps_longer_than_the_demo_profile if {
	every c in ["receipt_payloads", "evidence_packs", "decision_inputs", "runs"] {
		data.maestro.profiles.regulated.settings.retention[c].default_days > data.maestro.profiles["partner-demo"].settings.retention[c].default_days
	}
}

drills(roles, tenant) := {
	"action": "drill.read",
	"actor": object.union({"sub": "ops@platform", "roles": roles}, tenant),
	"tenant": {"profile": "internal-default"},
	"platform": {"profile": "conductor-governance-internal"},
	"resource": {"type": "drill"},
}

test_drill_history_for_platform_operators_and_support if {
	authz.decision.allow with input as drills(["conductor_admin"], {})
	authz.decision.allow with input as drills(["support"], {})
}

test_drill_history_not_for_tenant_roles if {
	every role in ["tenant_admin", "operator", "read_only", "workflow_reviewer"] {
		not authz.decision.allow with input as drills([role], {"tenant": "acme"})
	}
}

test_drill_history_needs_a_platform_token if {
	d := authz.decision with input as drills(["conductor_admin"], {"tenant": "acme"})
	not d.allow
	d.reasons[0].code == "platform_token_required"
}
