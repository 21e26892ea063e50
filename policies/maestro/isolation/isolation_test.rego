package maestro.isolation_test

import data.maestro.isolation

req(action, actor, resource_tenant) := {
	"action": action,
	"actor": actor,
	"tenant": {"id": "acme", "profile": "internal-default"},
	"platform": {"profile": "conductor-governance-internal"},
	"resource": {"type": "workflow", "tenant": resource_tenant},
}

member := {"sub": "a@acme", "roles": ["tenant_admin"], "tenant": "acme"}

test_same_tenant_passes if {
	count(isolation.deny) == 0 with input as req("workflow.read", member, "acme")
}

test_cross_tenant_is_denied if {
	isolation.deny_codes == {"cross_tenant_access"} with input as req("workflow.read", member, "globex")
}

test_cross_tenant_message_names_both_tenants if {
	denials := isolation.deny with input as req("workflow.read", member, "globex")
	some r in denials
	r.message == "an actor of tenant \"acme\" may not act on tenant \"globex\""
}

test_resource_without_tenant_falls_back_to_input_tenant if {
	count(isolation.deny) == 0 with input as {
		"action": "tenant.read",
		"actor": member,
		"tenant": {"id": "acme"},
	}
}

test_missing_resource_tenant if {
	isolation.deny_codes == {"tenant_missing"} with input as {
		"action": "run.read",
		"actor": member,
		"resource": {"type": "run"},
	}
}

test_empty_resource_tenant_is_missing if {
	isolation.deny_codes == {"tenant_missing"} with input as req("run.read", member, "")
}

test_actor_without_tenant if {
	isolation.deny_codes == {"tenant_missing"} with input as req("run.read", {"sub": "x", "roles": ["operator"]}, "acme")
}

test_platform_admin_crosses_tenants_in_internal_edition if {
	count(isolation.deny) == 0 with input as req("workflow.author", {"sub": "root", "roles": ["conductor_admin"]}, "globex")
}

# Regression: a token bound to globex carrying conductor_admin read acme's
# tenant record and receipts.
test_tenant_bound_platform_role_stays_in_its_tenant if {
	bound := {"sub": "root", "roles": ["conductor_admin"], "tenant": "globex"}
	isolation.deny_codes == {"cross_tenant_access"} with input as req("workflow.read", bound, "acme")
	isolation.deny_codes == {"cross_tenant_access"} with input as req("tenant.read", bound, "acme")
	isolation.deny_codes == {"cross_tenant_access"} with input as req("receipt.read", bound, "acme")
	count(isolation.deny) == 0 with input as req("workflow.read", bound, "globex")
}

test_tenant_bound_support_stays_in_its_tenant if {
	bound := {"sub": "help", "roles": ["support"], "tenant": "globex"}
	isolation.deny_codes == {"cross_tenant_access"} with input as req("run.read", bound, "acme")
}

test_platform_action_needs_a_platform_token if {
	isolation.deny_codes == {"platform_token_required"} with input as {
		"action": "tenant.create",
		"actor": {"sub": "root", "roles": ["conductor_admin"], "tenant": "globex"},
	}
}

test_support_crosses_for_listed_actions_only if {
	support := {"sub": "help", "roles": ["support"]}
	count(isolation.deny) == 0 with input as req("run.read", support, "globex")
	isolation.deny_codes == {"cross_tenant_access"} with input as req("workflow.run", support, "globex")
}

test_saas_edition_keeps_platform_admin_out_of_authoring if {
	saas := object.union(
		req("workflow.author", {"sub": "root", "roles": ["conductor_admin"]}, "globex"),
		{"platform": {"profile": "conductor-governance-saas"}},
	)
	isolation.deny_codes == {"cross_tenant_access"} with input as saas
}

test_no_governance_profile_means_no_crossing if {
	inp := object.remove(req("run.read", {"sub": "root", "roles": ["conductor_admin"]}, "globex"), ["platform"])
	isolation.deny_codes == {"cross_tenant_access"} with input as inp
}

test_tenant_create_is_platform_scoped if {
	count(isolation.deny) == 0 with input as {
		"action": "tenant.create",
		"actor": {"sub": "root", "roles": ["conductor_admin"]},
	}
}

with_status(status, actor) := object.union(req("run.read", actor, "acme"), {"tenant": {"id": "acme", "profile": "internal-default", "status": status}})

admin := {"sub": "root@platform", "roles": ["conductor_admin"]}

test_active_tenant_passes if {
	count(isolation.deny) == 0 with input as with_status("active", member)
}

test_suspended_tenant_refuses_its_members if {
	denials := isolation.deny with input as with_status("suspended", member)
	denials == {{"code": "tenant_suspended", "message": "tenant acme is suspended"}}
}

test_unprovisioned_tenant_refuses_its_members if {
	denials := isolation.deny with input as with_status("not_provisioned", member)
	denials == {{"code": "tenant_not_provisioned", "message": "tenant acme is not provisioned"}}
}

test_platform_actor_may_act_on_a_suspended_tenant if {
	not "tenant_suspended" in isolation.deny_codes with input as with_status("suspended", admin)
	not "tenant_not_provisioned" in isolation.deny_codes with input as with_status("not_provisioned", admin)
}

# A demo tenant's operator (the platform subject that provisioned it under
# demo.create) acts in it as its partner-demo profile lists, in every edition.
demo_input(action, actor, edition, operator) := {
	"action": action,
	"actor": actor,
	"tenant": {"id": "demo-1a2b3c", "profile": "partner-demo", "demo": {"operator": operator}},
	"platform": {"profile": sprintf("conductor-governance-%s", [edition])},
	"resource": {"type": "workflow", "tenant": "demo-1a2b3c"},
}

olga := {"sub": "olga@platform", "roles": ["conductor_admin"]}

test_demo_operator_authors_publishes_runs_and_exports_in_every_edition if {
	every edition in ["white-label", "saas", "internal"] {
		every action in ["workflow.author", "workflow.publish", "workflow.run", "run.read", "receipt.export"] {
			count(isolation.deny) == 0 with input as demo_input(action, olga, edition, "olga@platform")
		}
	}
}

test_demo_tenant_refuses_another_platform_admin_in_white_label_and_saas if {
	every edition in ["white-label", "saas"] {
		isolation.deny_codes == {"cross_tenant_access"} with input as demo_input("workflow.author", olga, edition, "pat@platform")
	}
}

test_demo_operator_is_limited_to_the_profiles_list if {
	isolation.deny_codes == {"cross_tenant_access"} with input as demo_input("member.write", olga, "saas", "olga@platform")
}

test_demo_operator_needs_a_platform_token if {
	bound := {"sub": "olga@platform", "roles": ["conductor_admin"], "tenant": "acme"}
	isolation.deny_codes == {"cross_tenant_access"} with input as demo_input("workflow.author", bound, "saas", "olga@platform")
}

test_demo_operator_crosses_only_into_its_demo_tenant if {
	elsewhere := object.union(
		demo_input("workflow.author", olga, "saas", "olga@platform"),
		{"resource": {"type": "workflow", "tenant": "acme"}},
	)
	isolation.deny_codes == {"cross_tenant_access"} with input as elsewhere
}

test_partner_demo_on_a_customer_tenant_grants_its_creator_nothing if {
	customer := object.remove(demo_input("workflow.author", olga, "saas", "olga@platform"), ["tenant"])
	inp := object.union(customer, {"tenant": {"id": "demo-1a2b3c", "profile": "partner-demo"}})
	isolation.deny_codes == {"cross_tenant_access"} with input as inp
}

test_demo_operator_gets_nothing_from_another_profile if {
	inp := object.union(
		demo_input("workflow.author", olga, "saas", "olga@platform"),
		{"tenant": {"profile": "internal-default"}},
	)
	isolation.deny_codes == {"cross_tenant_access"} with input as inp
}
