package maestro.authz_test

import data.maestro.authz

base := {
	"action": "workflow.run",
	"actor": {"sub": "ops@acme", "roles": ["operator"], "tenant": "acme"},
	"tenant": {
		"id": "acme",
		"profile": "internal-default",
		"regions": ["US"],
		"quota": {"maxConcurrent": 25, "maxStepsPerMinute": 600},
		"usage": {"concurrentRuns": 3, "stepsLastMinute": 40},
	},
	"platform": {"profile": "conductor-governance-internal"},
	"request": {"resourceClass": "medium", "region": "US"},
	"plan": {"estimatedCostUSD": 3.27},
	"resource": {"type": "workflow", "id": "wf-1", "tenant": "acme", "attributes": {"environment": "dev", "risk_profile": "low", "region": "US"}},
}

codes(d) := {r.code | some r in d.reasons}

test_allowed_decision_shape if {
	d := authz.decision with input as base
	d == {"allow": true, "reasons": [], "obligations": []}
}

test_deny_by_default_on_empty_input if {
	d := authz.decision with input as {}
	d.allow == false
	count(d.reasons) > 0
}

test_denied_without_roles if {
	d := authz.decision with input as object.union(base, {"actor": {"sub": "x", "roles": [], "tenant": "acme"}})
	d.allow == false
	codes(d) == {"role_not_permitted"}
}

test_cross_tenant_denied_even_with_role if {
	d := authz.decision with input as object.union(base, {"resource": {"tenant": "globex"}})
	d.allow == false
	codes(d) == {"cross_tenant_access"}
}

test_reasons_from_several_packs_combine if {
	inp := object.union(base, {
		"resource": {"tenant": "globex", "attributes": {"environment": "prod", "risk_profile": "high"}},
		"tenant": {"usage": {"concurrentRuns": 25}},
	})
	d := authz.decision with input as inp
	codes(d) == {"cross_tenant_access", "approval_required", "quota_concurrency_exceeded"}
}

test_unknown_profile_denies if {
	d := authz.decision with input as object.union(base, {"tenant": {"profile": "nope"}})
	d.allow == false
	"profile_unknown" in codes(d)
}

test_missing_profile_denies if {
	d := authz.decision with input as object.remove(base, ["tenant"])
	d.allow == false
	"profile_unknown" in codes(d)
}

test_profile_without_abac_skips_it if {
	inp := object.union(base, {
		"tenant": {"profile": "partner-demo"},
		"resource": {"attributes": {"environment": "prod", "risk_profile": "high"}},
	})
	d := authz.decision with input as inp
	d.allow == true
}

test_obligations_only_with_allow if {
	near := object.union(base, {"tenant": {"usage": {"concurrentRuns": 22}}})
	allowed := authz.decision with input as near
	allowed.allow == true
	allowed.obligations == [{"type": "quota_warning", "quota": "concurrency", "used": 22, "limit": 25}]

	denied := authz.decision with input as object.union(near, {"actor": {"roles": ["read_only"]}})
	denied.allow == false
	denied.obligations == []
}

test_reasons_are_code_and_message if {
	d := authz.decision with input as object.union(base, {"action": "workflow.delete"})
	some r in d.reasons
	object.keys(r) == {"code", "message"}
	r.code == "action_unknown"
}

test_every_profile_enables_known_packs if {
	known := {"maestro.isolation", "maestro.rbac", "maestro.abac", "maestro.quota"}
	every id, p in data.maestro.profiles {
		p.id == id
		every pack in p.packs {
			pack in known
		}
	}
}

# A canary start routed to the stable version is judged against the budget on
# the stable version's estimate, in the server's second decision: the first
# decision neither refuses nor warns on the canary's estimate.
canary_over_budget(pinned) := object.union(base, {
	"tenant": {"budget": {"dailyMaxUSD": 5, "spentUSD": 4}},
	"plan": {"estimatedCostUSD": 1.5},
	"request": {"workflow": {"name": "hello", "version": "2", "bucket": 57.31, "taskTypes": ["log"], "pinned": pinned, "stable": "1"}},
	"governance": {"ramps": [{"workflow": "hello", "version": "2", "action": "workflow.run", "percent": 10, "step": 3}]},
})

test_routed_start_is_not_judged_on_the_canarys_estimate if {
	d := authz.decision with input as canary_over_budget(false)
	d.allow == true
	[o.type | some o in d.obligations] == ["ramp_routed"]
}

test_pinned_canary_over_budget_is_refused_for_both if {
	d := authz.decision with input as canary_over_budget(true)
	d.allow == false
	codes(d) == {"ramp_excluded", "budget_exceeded"}
}

test_budget_warning_only_for_the_version_that_runs if {
	near := object.union(canary_over_budget(false), {"plan": {"estimatedCostUSD": 0.5}})
	routed := authz.decision with input as near
	[o.type | some o in routed.obligations] == ["ramp_routed"]
	inside := authz.decision with input as object.union(near, {"request": {"workflow": {"bucket": 5}}})
	"budget_warning" in {o.type | some o in inside.obligations}
}
