package maestro.rbac_test

import data.maestro.rbac

actor(roles) := {"sub": "u@acme", "roles": roles, "tenant": "acme"}

req(action, roles) := {
	"action": action,
	"actor": actor(roles),
	"tenant": {"id": "acme", "profile": "internal-default"},
	"platform": {"profile": "conductor-governance-internal"},
}

test_operator_may_run if {
	rbac.permitted with input as req("workflow.run", ["operator"])
	count(rbac.deny) == 0 with input as req("workflow.run", ["operator"])
}

test_author_may_author_but_not_publish if {
	rbac.permitted with input as req("workflow.author", ["workflow_author"])
	rbac.deny_codes == {"role_not_permitted"} with input as req("workflow.publish", ["workflow_author"])
}

test_reviewer_may_approve_and_publish if {
	rbac.permitted with input as req("workflow.approve", ["workflow_reviewer"])
	rbac.permitted with input as req("workflow.publish", ["workflow_reviewer"])
	not rbac.permitted with input as req("workflow.run", ["workflow_reviewer"])
}

test_read_only_reads_but_not_exports if {
	rbac.permitted with input as req("run.read", ["read_only"])
	not rbac.permitted with input as req("export.read", ["read_only"])
	not rbac.permitted with input as req("run.cancel", ["read_only"])
}

test_tenant_admin_manages_members_not_tenants if {
	rbac.permitted with input as req("member.write", ["tenant_admin"])
	not rbac.permitted with input as req("tenant.create", ["tenant_admin"])
	not rbac.permitted with input as req("policy.publish", ["tenant_admin"])
}

test_conductor_admin_may_do_everything_but_the_controllers_work if {
	every a in rbac.actions - rbac.controller_actions {
		rbac.permitted with input as req(a, ["conductor_admin"])
	}
}

test_support_reads_and_cancels_only if {
	rbac.permitted with input as req("tenant.read", ["support"])
	rbac.permitted with input as req("run.cancel", ["support"])
	not rbac.permitted with input as req("workflow.run", ["support"])
}

test_no_roles_no_permission if {
	rbac.deny_codes == {"role_not_permitted"} with input as req("workflow.read", [])
}

test_roles_combine if {
	rbac.permitted with input as req("workflow.publish", ["workflow_author", "workflow_reviewer"])
}

test_non_string_roles_are_ignored if {
	not rbac.permitted with input as req("workflow.read", [7, {"role": "read_only"}])
}

test_unknown_action if {
	rbac.deny_codes == {"action_unknown"} with input as req("workflow.explode", ["conductor_admin"])
}

test_missing_action if {
	rbac.deny_codes == {"action_missing"} with input as {"actor": actor(["operator"])}
}

test_kill_switch_by_profile if {
	# internal-default gives kill switches to operators.
	count(rbac.deny) == 0 with input as req("workflow.kill", ["operator"])

	# regulated reserves them to administrators.
	rbac.deny_codes == {"kill_switch_not_permitted"} with input as object.union(
		req("workflow.kill", ["operator"]),
		{"tenant": {"id": "acme", "profile": "regulated"}},
	)
	count(rbac.deny) == 0 with input as object.union(
		req("run.kill", ["tenant_admin"]),
		{"tenant": {"id": "acme", "profile": "regulated"}},
	)
}

test_platform_kill_switch_follows_governance_profile if {
	count(rbac.deny) == 0 with input as req("workflow.kill", ["conductor_admin"])
	rbac.deny_codes == {"kill_switch_not_permitted"} with input as object.union(
		req("workflow.kill", ["conductor_admin"]),
		{"platform": {"profile": "none"}, "tenant": {"id": "acme", "profile": "internal-default"}},
	) with data.maestro.profiles.none as {"settings": {"kill_switch_roles": []}}
}

test_every_grant_names_a_known_action if {
	every role, granted in rbac.grants {
		every a in granted {
			a in rbac.actions
		}
	}
}

test_every_tenant_role_reads_and_lists_its_receipt_log if {
	every role in ["tenant_admin", "workflow_author", "workflow_reviewer", "operator", "read_only"] {
		every a in ["receipt.list", "receipt.read", "checkpoint.read"] {
			count(rbac.deny) == 0 with input as req(a, [role])
		}
	}
}

test_only_administrators_export_the_receipt_log if {
	count(rbac.deny) == 0 with input as req("receipt.export", ["tenant_admin"])
	count(rbac.deny) == 0 with input as req("receipt.export", ["conductor_admin"])
	every role in ["support", "workflow_author", "workflow_reviewer", "operator", "read_only"] {
		rbac.deny_codes == {"role_not_permitted"} with input as req("receipt.export", [role])
	}
}

test_support_reads_receipts_and_checkpoints if {
	rbac.permitted with input as req("receipt.list", ["support"])
	rbac.permitted with input as req("receipt.read", ["support"])
	rbac.permitted with input as req("checkpoint.read", ["support"])
}

test_receipt_actions_need_a_role if {
	rbac.deny_codes == {"role_not_permitted"} with input as req("receipt.read", [])
}

test_administrators_and_readers_see_usage_and_metered_events if {
	every role in ["tenant_admin", "read_only", "support", "conductor_admin"] {
		every a in ["usage.read", "metering.read"] {
			count(rbac.deny) == 0 with input as req(a, [role])
		}
	}
	every role in ["operator", "workflow_author", "workflow_reviewer"] {
		rbac.deny_codes == {"role_not_permitted"} with input as req("usage.read", [role])
	}
}

test_only_administrators_manage_billing_webhooks if {
	every role in ["tenant_admin", "conductor_admin"] {
		count(rbac.deny) == 0 with input as req("webhook.manage", [role])
	}
	every role in ["operator", "read_only", "support", "workflow_author"] {
		rbac.deny_codes == {"role_not_permitted"} with input as req("webhook.manage", [role])
	}
	count(rbac.deny) == 0 with input as req("webhook.read", ["read_only"])
}

update(roles, fields) := object.union(req("tenant.update", roles), {"request": {"fields": fields}})

test_tenant_admin_may_not_change_governing_fields if {
	denials := rbac.deny with input as update(["tenant_admin"], ["status"])
	denials == {{"code": "platform_only", "message": "status, quotas, budget and regions are set by the platform"}}
	rbac.deny_codes == {"platform_only"} with input as update(["tenant_admin"], ["quota", "budget"])
}

test_tenant_admin_may_rename if {
	count(rbac.deny) == 0 with input as update(["tenant_admin"], ["name"])
}

test_platform_admin_may_change_governing_fields if {
	count(rbac.deny) == 0 with input as update(["conductor_admin"], ["status", "quota"])
}

test_tenant_admin_may_not_change_regions if {
	rbac.deny_codes == {"platform_only"} with input as update(["tenant_admin"], ["regions"])
}

test_operator_changing_quota_is_refused_as_platform_only if {
	rbac.deny_codes == {"platform_only"} with input as update(["operator"], ["quota"])
}

test_tenant_admin_sets_its_budget if {
	count(rbac.deny) == 0 with input as {"action": "budget.set", "actor": {"sub": "admin@acme", "roles": ["tenant_admin"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}}
}

test_operator_reads_but_does_not_set_the_budget if {
	count(rbac.deny) == 0 with input as {"action": "budget.read", "actor": {"sub": "ops@acme", "roles": ["operator"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}}
	rbac.deny_codes == {"role_not_permitted"} with input as {"action": "budget.set", "actor": {"sub": "ops@acme", "roles": ["operator"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}}
}

test_authors_and_operators_estimate_plans if {
	count(rbac.deny) == 0 with input as {"action": "plan.estimate", "actor": {"sub": "dev@acme", "roles": ["workflow_author"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}}
	rbac.deny_codes == {"role_not_permitted"} with input as {"action": "plan.estimate", "actor": {"sub": "viewer@acme", "roles": ["read_only"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}}
}

test_only_the_system_controller_rolls_ramps_back if {
	count(rbac.deny) == 0 with input as {"action": "ramp.rollback", "actor": {"sub": "system:rollback-controller", "roles": [], "tenant": "acme", "via": "system"}, "tenant": {"id": "acme", "profile": "internal-default"}}
	rbac.deny_codes == {"role_not_permitted"} with input as {"action": "ramp.rollback", "actor": {"sub": "root@platform", "roles": ["conductor_admin"]}, "tenant": {"id": "acme", "profile": "internal-default"}}
	rbac.deny_codes == {"role_not_permitted"} with input as {"action": "ramp.rollback", "actor": {"sub": "admin@acme", "roles": ["tenant_admin"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}}
}

test_only_the_system_controller_undoes_mitigations if {
	count(rbac.deny) == 0 with input as {"action": "mitigation.undo", "actor": {"sub": "system:rollback-controller", "roles": [], "tenant": "acme", "via": "system"}, "tenant": {"id": "acme", "profile": "internal-default"}}
	rbac.deny_codes == {"role_not_permitted"} with input as {"action": "mitigation.undo", "actor": {"sub": "root@platform", "roles": ["conductor_admin"]}, "tenant": {"id": "acme", "profile": "internal-default"}}
}

test_operators_lift_throttles_viewers_read_them if {
	count(rbac.deny) == 0 with input as {"action": "throttle.release", "actor": {"sub": "ops@acme", "roles": ["operator"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}}
	count(rbac.deny) == 0 with input as {"action": "throttle.read", "actor": {"sub": "viewer@acme", "roles": ["read_only"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}}
	rbac.deny_codes == {"role_not_permitted"} with input as {"action": "throttle.release", "actor": {"sub": "viewer@acme", "roles": ["read_only"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}}
}

test_operators_close_incidents_viewers_read_them if {
	count(rbac.deny) == 0 with input as {"action": "incident.close", "actor": {"sub": "ops@acme", "roles": ["operator"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}}
	count(rbac.deny) == 0 with input as {"action": "incident.read", "actor": {"sub": "viewer@acme", "roles": ["read_only"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}}
	rbac.deny_codes == {"role_not_permitted"} with input as {"action": "incident.close", "actor": {"sub": "viewer@acme", "roles": ["read_only"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}}
}

test_only_administrators_export_disclosure_packs if {
	rbac.permitted with input as req("evidence.export", ["tenant_admin"])
	rbac.permitted with input as req("evidence.export", ["conductor_admin"])
	every role in ["operator", "workflow_author", "workflow_reviewer", "read_only", "support"] {
		rbac.deny_codes == {"role_not_permitted"} with input as req("evidence.export", [role])
	}
}

brand(ratios) := object.union(req("brand.manage", ["conductor_admin"]), {"request": {"brand": {"contrast": [{"text": "fg", "background": "bg", "ratio": r} | some r in ratios]}}})

test_brand_packs_are_managed_and_assigned_by_the_platform_only if {
	rbac.permitted with input as req("brand.manage", ["conductor_admin"])
	rbac.permitted with input as req("brand.assign", ["conductor_admin"])
	not rbac.permitted with input as req("brand.manage", ["tenant_admin"])
	not rbac.permitted with input as req("brand.assign", ["tenant_admin"])
}

test_every_tenant_role_sees_its_brand if {
	every role in ["tenant_admin", "workflow_author", "workflow_reviewer", "operator", "read_only"] {
		rbac.permitted with input as req("brand.read", [role])
	}
	not rbac.permitted with input as req("brand.read", ["worker"])
}

test_brand_contrast_below_aa_is_refused if {
	rbac.deny_codes == {"brand_contrast_insufficient"} with input as brand([12.6, 4.49])
	count(rbac.deny) == 0 with input as brand([12.6, 4.5])
	count(rbac.deny) == 0 with input as req("brand.manage", ["conductor_admin"])
}

test_the_scheduler_and_webhook_triggers_start_runs_and_nothing_else if {
	count(rbac.deny) == 0 with input as {"action": "workflow.run", "actor": {"sub": "system:scheduler", "roles": [], "tenant": "acme", "via": "system"}, "tenant": {"id": "acme", "profile": "internal-default"}}
	count(rbac.deny) == 0 with input as {"action": "workflow.run", "actor": {"sub": "system:webhook-trigger", "roles": [], "tenant": "acme", "via": "system"}, "tenant": {"id": "acme", "profile": "internal-default"}}
	rbac.deny_codes == {"role_not_permitted"} with input as {"action": "workflow.publish", "actor": {"sub": "system:scheduler", "roles": [], "tenant": "acme", "via": "system"}, "tenant": {"id": "acme", "profile": "internal-default"}}
}

test_a_token_naming_the_scheduler_does_not_start_runs if {
	rbac.deny_codes == {"role_not_permitted"} with input as {"action": "workflow.run", "actor": {"sub": "system:scheduler", "roles": [], "tenant": "acme", "via": "oidc"}, "tenant": {"id": "acme", "profile": "internal-default"}}
	rbac.deny_codes == {"role_not_permitted"} with input as {"action": "workflow.run", "actor": {"sub": "system:other", "roles": [], "tenant": "acme", "via": "system"}, "tenant": {"id": "acme", "profile": "internal-default"}}
}

test_schedules_and_triggers_by_role if {
	count(rbac.deny) == 0 with input as {"action": "schedule.write", "actor": {"sub": "ops@acme", "roles": ["operator"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}}
	count(rbac.deny) == 0 with input as {"action": "schedule.read", "actor": {"sub": "viewer@acme", "roles": ["read_only"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}}
	rbac.deny_codes == {"role_not_permitted"} with input as {"action": "schedule.write", "actor": {"sub": "viewer@acme", "roles": ["read_only"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}}
	count(rbac.deny) == 0 with input as {"action": "trigger.write", "actor": {"sub": "admin@acme", "roles": ["tenant_admin"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}}
	rbac.deny_codes == {"role_not_permitted"} with input as {"action": "trigger.write", "actor": {"sub": "ops@acme", "roles": ["operator"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}}
}

test_administrators_audit_residency_readers_see_findings if {
	rbac.permitted with input as req("residency.audit", ["tenant_admin"])
	rbac.permitted with input as req("residency.audit", ["conductor_admin"])
	every role in ["read_only", "support", "tenant_admin"] {
		rbac.permitted with input as req("residency.read", [role])
	}
	every role in ["operator", "workflow_author", "workflow_reviewer", "read_only", "support"] {
		rbac.deny_codes == {"role_not_permitted"} with input as req("residency.audit", [role])
	}
}

test_only_system_actors_pause_and_resume_runs if {
	every a in ["run.pause", "run.resume"] {
		count(rbac.deny) == 0 with input as {"action": a, "actor": {"sub": "system:kill-switch", "roles": [], "tenant": "acme", "via": "system"}, "tenant": {"id": "acme", "profile": "internal-default"}}
		rbac.deny_codes == {"role_not_permitted"} with input as {"action": a, "actor": {"sub": "ops@acme", "roles": ["operator"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}}
		rbac.deny_codes == {"role_not_permitted"} with input as {"action": a, "actor": {"sub": "root@platform", "roles": ["conductor_admin"]}, "tenant": {"id": "acme", "profile": "internal-default"}}
	}
}

test_only_the_platform_admin_creates_demo_tenants if {
	rbac.permitted with input as req("demo.create", ["conductor_admin"])
	rbac.deny_codes == {"role_not_permitted"} with input as req("demo.create", ["tenant_admin"])
	rbac.deny_codes == {"role_not_permitted"} with input as req("demo.create", ["support"])
}
