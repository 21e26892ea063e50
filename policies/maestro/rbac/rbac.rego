# METADATA
# title: Role-based access
# description: >-
#   What each role may do. An action is permitted when one of the actor's roles
#   grants it; anything not granted is denied. Every role may read and list its
#   tenant's receipts and checkpoints; only administrators may export the log.
#   Kill switches additionally need a role the profile names in
#   settings.kill_switch_roles.
# custom:
#   severity: critical
#   controls: ["SOC 2 CC6.1", "SOC 2 CC6.3", "ISO 27001 A.5.15"]
#   profiles: [all]
#   reasons:
#     action_missing: The input names no action.
#     action_unknown: The action is not one Maestro defines.
#     role_not_permitted: None of the actor's roles grants the action.
#     kill_switch_not_permitted: The actor may not use kill switches under this profile.
#     platform_only: A tenant's status, quotas and budget are set by platform roles only.
#     brand_contrast_insufficient: A brand pack's text colour has less than 4.5:1 contrast (WCAG AA) on its background.
#   examples:
#     - name: An operator may run a workflow
#       query: data.maestro.rbac.deny_codes
#       input: {"action": "workflow.run", "actor": {"sub": "ops@acme", "roles": ["operator"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}}
#       expect: []
#     - name: A read-only member may not publish
#       query: data.maestro.rbac.deny_codes
#       input: {"action": "workflow.publish", "actor": {"sub": "viewer@acme", "roles": ["read_only"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}}
#       expect: ["role_not_permitted"]
#     - name: An operator may read its tenant's receipts
#       query: data.maestro.rbac.deny_codes
#       input: {"action": "receipt.list", "actor": {"sub": "ops@acme", "roles": ["operator"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}}
#       expect: []
#     - name: Only administrators may export the receipt log
#       query: data.maestro.rbac.deny_codes
#       input: {"action": "receipt.export", "actor": {"sub": "ops@acme", "roles": ["operator"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}}
#       expect: ["role_not_permitted"]
#     - name: A brand pack whose banner text fails WCAG AA is refused
#       query: data.maestro.rbac.deny_codes
#       input: {"action": "brand.manage", "actor": {"sub": "root@platform", "roles": ["conductor_admin"]}, "request": {"brand": {"contrast": [{"text": "banner_fg", "background": "banner_bg", "ratio": 2.1}]}}}
#       expect: ["brand_contrast_insufficient"]
#     - name: Only administrators may export a run's disclosure pack
#       query: data.maestro.rbac.deny_codes
#       input: {"action": "evidence.export", "actor": {"sub": "viewer@acme", "roles": ["read_only"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}}
#       expect: ["role_not_permitted"]
package maestro.rbac

import data.maestro.lib

# Every action Maestro asks the policy about, by resource.
actions := {
	"workflow.read", "workflow.author", "workflow.publish", "workflow.run",
	"workflow.approve", "workflow.cancel", "workflow.kill",
	"run.read", "run.cancel", "run.retry", "run.kill",
	"tenant.read", "tenant.create", "tenant.update", "tenant.delete",
	"member.read", "member.write", "member.remove",
	"profile.read", "profile.assign",
	"policy.read", "policy.simulate", "policy.publish",
	"export.read", "export.create",
	"receipt.list", "receipt.read", "receipt.export", "checkpoint.read",
	"evidence.export", "compliance.read",
	"usage.read", "metering.read",
	"ramp.read", "ramp.write", "freeze.read", "freeze.write",
	"breakglass.read", "breakglass.open", "breakglass.approve",
	"plan.estimate", "budget.read", "budget.set",
	"webhook.read", "webhook.manage",
	"incident.read", "incident.close", "ramp.rollback", "slo.read",
	"throttle.read", "throttle.release", "mitigation.undo",
	"run.pause", "run.resume",
	"worker.poll", "worker.complete",
	"schedule.read", "schedule.write", "trigger.read", "trigger.write",
	"purge.read", "purge.request", "purge.approve", "purge.cancel",
	"retention.read", "retention.write", "retention.hold", "retention.run",
	"brand.read", "brand.manage", "brand.assign",
	"residency.read", "residency.audit",
	"chaos.list", "chaos.inject", "chaos.clear", "chaos.record",
	"drill.read",
	"impersonation.read", "impersonation.request", "impersonation.approve", "impersonation.stop",
	"support.bundle",
	"demo.create",
}

# Actions only the platform's own controllers take (an actor the server
# authenticated as "system", never a token): lowering a breaching canary's ramp,
# undoing the mitigations it applied once the canary recovered, and pausing and
# resuming running runs for a kill switch in pause mode (a person pulls the
# switch; what it does to each run is decided per run for system:kill-switch).
controller_actions := {"ramp.rollback", "mitigation.undo", "run.pause", "run.resume"}

# The system actors that start runs on their own: the scheduler (a schedule's
# tick) and webhook triggers (a signed request). They start runs through the
# same decision as a person's POST /api/runs (workflow.run), and nothing else.
system_starters := {"system:scheduler", "system:webhook-trigger"}

read_actions := {a | some a in actions; endswith(a, ".read")}

# Reading the tenant's own receipt log: every tenant role may see what was done
# in its tenant and check it against the signed checkpoints. Exporting the whole
# log (receipt.export) stays with administrators.
log_readers := {"receipt.list", "receipt.read", "checkpoint.read"}

# Every tenant role sees its tenant's brand (the console is drawn with it).
# Brand packs themselves, and which tenant wears which, are the platform's.
shown := log_readers | {"brand.read"}

# The role matrix. Platform roles act across tenants only where the isolation
# pack lets them; this matrix says what they may do at all.
grants := {
	"conductor_admin": actions - controller_actions,
	"support": (read_actions | log_readers) | {"run.cancel", "policy.simulate", "impersonation.request", "impersonation.stop", "support.bundle"},
	"tenant_admin": {
		"workflow.read", "workflow.author", "workflow.publish", "workflow.run",
		"workflow.approve", "workflow.cancel", "workflow.kill",
		"run.read", "run.cancel", "run.retry", "run.kill",
		"tenant.read", "tenant.update",
		"member.read", "member.write", "member.remove",
		"profile.read", "policy.read", "policy.simulate",
		"export.read", "export.create",
		"receipt.list", "receipt.read", "receipt.export", "checkpoint.read",
		"evidence.export", "compliance.read",
		"usage.read", "metering.read",
		"ramp.read", "ramp.write", "freeze.read", "freeze.write",
		"breakglass.read", "breakglass.open", "breakglass.approve",
		"plan.estimate", "budget.read", "budget.set",
		"webhook.read", "webhook.manage",
		"incident.read", "incident.close", "slo.read", "throttle.read", "throttle.release",
		"purge.read", "purge.request", "purge.approve", "purge.cancel",
		"retention.read", "retention.write", "retention.hold", "retention.run",
		"brand.read",
		"schedule.read", "schedule.write", "trigger.read", "trigger.write",
		"residency.read", "residency.audit",
		"impersonation.read", "impersonation.approve", "impersonation.stop",
		"support.bundle",
	},
	"workflow_author": {
		"workflow.read", "workflow.author", "run.read", "plan.estimate",
		"schedule.read", "schedule.write", "trigger.read",
		"policy.read", "policy.simulate", "profile.read",
	} | shown,
	"workflow_reviewer": {
		"workflow.read", "workflow.approve", "workflow.publish", "run.read",
		"policy.read", "policy.simulate", "profile.read",
		"ramp.read", "ramp.write", "freeze.read", "breakglass.read", "breakglass.approve",
		"incident.read", "slo.read", "throttle.read",
		"purge.read", "purge.approve", "retention.read",
	} | shown,
	"operator": {
		"workflow.read", "workflow.run", "plan.estimate", "budget.read", "workflow.cancel", "workflow.kill",
		"run.read", "run.cancel", "run.retry", "run.kill", "profile.read",
		"ramp.read", "freeze.read", "breakglass.read", "breakglass.open",
		"incident.read", "incident.close", "slo.read", "throttle.read", "throttle.release",
		"schedule.read", "schedule.write", "trigger.read",
	} | shown,
	# The platform's restore-drill history is for platform roles (drill.read is a
	# platform action), not a tenant's read-only members.
	"read_only": (read_actions - {"export.read", "drill.read"}) | log_readers,
	# External workers (service tokens): poll and report on tasks, nothing else. Which queues,
	# the maestro.worker pack decides.
	"worker": {"worker.poll", "worker.complete"},
}

kill_actions := {"workflow.kill", "run.kill"}

permitted if {
	some role in lib.roles
	input.action in grants[role]
}

permitted if {
	input.action in controller_actions
	input.actor.via == "system"
}

permitted if {
	input.action == "workflow.run"
	input.actor.via == "system"
	input.actor.sub in system_starters
}

# Tenant roles hold kill switches as the tenant's profile says; platform roles as
# the edition's governance profile says.
kill_switch_holder if {
	some role in lib.roles
	not role in lib.platform_roles
	role in lib.setting(["kill_switch_roles"], [])
}

kill_switch_holder if {
	some role in lib.roles
	role in lib.platform_roles
	role in lib.governance_setting(["kill_switch_roles"], ["conductor_admin"])
}

deny contains lib.reason("action_missing", "the request names no action") if {
	not is_string(input.action)
}

deny contains lib.reason("action_unknown", sprintf("unknown action %q", [input.action])) if {
	is_string(input.action)
	not input.action in actions
}

deny contains lib.reason("role_not_permitted", sprintf("no role of the actor grants %q", [input.action])) if {
	input.action in actions
	not permitted
	not platform_only_refused
}

# A tenant's status, quotas, budget and regions bound what it may consume and
# where its data may live: its own administrators may read them but only
# platform roles set them. The server names the fields a tenant.update touches
# in input.request.fields.
governing_fields := {"status", "quota", "budget", "regions"}

platform_only_refused if {
	input.action == "tenant.update"
	some field in input.request.fields
	field in governing_fields
	not lib.is_platform
}

deny contains lib.reason("platform_only", "status, quotas, budget and regions are set by the platform") if {
	platform_only_refused
}

deny contains lib.reason("kill_switch_not_permitted", "this profile reserves kill switches to other roles") if {
	input.action in kill_actions
	permitted
	not kill_switch_holder
}

# A brand pack's text colours must reach WCAG AA (4.5:1) on their backgrounds.
# The server reports each text/background pair's contrast ratio in
# input.request.brand.contrast when a pack is saved.
deny contains lib.reason(
	"brand_contrast_insufficient",
	sprintf("%s on %s has contrast %v:1, below WCAG AA (4.5:1)", [p.text, p.background, p.ratio]),
) if {
	input.action == "brand.manage"
	some p in input.request.brand.contrast
	p.ratio < 4.5
}

deny_codes := {r.code | some r in deny}
