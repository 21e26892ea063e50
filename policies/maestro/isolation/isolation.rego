# METADATA
# title: Tenant isolation
# description: >-
#   An actor acts only inside its own tenant, and only while that tenant is
#   provisioned and active (input.tenant.status). A platform role (conductor_admin,
#   support) may cross tenants only for the actions the edition's governance
#   profile grants that role in settings.cross_tenant (or, in a demo tenant, its
#   operator for the actions the tenant's profile lists in settings.demo_operator),
#   and only on a platform token: a token bound to a tenant (tenant_id) is limited to that tenant
#   whatever roles it carries, and platform actions need a platform token.
#   A platform role may still act on a suspended or unprovisioned tenant (to
#   provision or reactivate it).
# custom:
#   severity: critical
#   controls: ["SOC 2 CC6.1", "ISO 27001 A.8.3", "ISO 27001 A.5.15"]
#   profiles: [all]
#   reasons:
#     tenant_missing: The resource or the actor has no tenant.
#     cross_tenant_access: The actor's tenant differs from the resource's tenant.
#     platform_token_required: A platform action was asked with a token bound to a tenant.
#     tenant_suspended: The actor's tenant is suspended.
#     tenant_not_provisioned: The actor's tenant has not been provisioned.
#   examples:
#     - name: Same tenant passes
#       query: data.maestro.isolation.deny_codes
#       input: {"action": "workflow.read", "actor": {"sub": "a@acme", "roles": ["read_only"], "tenant": "acme"}, "resource": {"type": "workflow", "tenant": "acme"}}
#       expect: []
#     - name: Another tenant's workflow is refused
#       query: data.maestro.isolation.deny_codes
#       input: {"action": "workflow.read", "actor": {"sub": "a@acme", "roles": ["tenant_admin"], "tenant": "acme"}, "resource": {"type": "workflow", "tenant": "globex"}}
#       expect: ["cross_tenant_access"]
#     - name: A resource without a tenant is refused
#       query: data.maestro.isolation.deny_codes
#       input: {"action": "run.read", "actor": {"sub": "a@acme", "roles": ["operator"], "tenant": "acme"}, "resource": {"type": "run"}}
#       expect: ["tenant_missing"]
#     - name: A tenant-bound token with a platform role stays in its tenant
#       query: data.maestro.isolation.deny_codes
#       input: {"action": "tenant.read", "actor": {"sub": "root@globex", "roles": ["conductor_admin"], "tenant": "globex"}, "platform": {"profile": "conductor-governance-internal"}, "resource": {"type": "tenant", "tenant": "acme"}}
#       expect: ["cross_tenant_access"]
#     - name: A member of a suspended tenant is refused
#       query: data.maestro.isolation.deny_codes
#       input: {"action": "run.read", "actor": {"sub": "a@acme", "roles": ["operator"], "tenant": "acme"}, "tenant": {"id": "acme", "status": "suspended"}, "resource": {"type": "run", "tenant": "acme"}}
#       expect: ["tenant_suspended"]
package maestro.isolation

import data.maestro.lib

# Actions about the platform itself, which concern no one tenant.
platform_actions := {
	"tenant.create", "demo.create", "brand.manage", "brand.assign",
	"chaos.list", "chaos.inject", "chaos.clear", "chaos.record",
	"drill.read",
}

tenant_scoped if not input.action in platform_actions

# A platform role may cross tenants for an action when the governance profile
# lists the action, or "*", for that role, and only on a platform token: a
# token bound to a tenant is limited to it, whatever roles it carries, so a
# leaked tenant token never reaches another tenant.
cross_tenant_permitted if {
	not lib.actor_tenant
	some role in lib.roles
	role in lib.platform_roles
	granted := lib.governance_setting(["cross_tenant", role], [])
	"*" in granted
}

cross_tenant_permitted if {
	not lib.actor_tenant
	some role in lib.roles
	role in lib.platform_roles
	granted := lib.governance_setting(["cross_tenant", role], [])
	input.action in granted
}

# A demo tenant (provisioned under demo.create) names its operator, the platform
# subject that made it (input.tenant.demo.operator). Its profile may let that
# operator act in it, on a platform token, for the actions it lists in
# settings.demo_operator (partner-demo: author, publish and run the sample
# workflows, read and export the tenant's receipts), whatever the edition's
# governance profile grants platform roles in customers' tenants. No other
# tenant names an operator, so assigning the profile to one grants nothing.
cross_tenant_permitted if {
	not lib.actor_tenant
	lib.is_platform
	operator := input.tenant.demo.operator
	is_string(operator)
	operator == input.actor.sub
	lib.target_tenant == input.tenant.id
	input.action in lib.setting(["demo_operator"], [])
}

deny contains lib.reason("tenant_missing", "the resource names no tenant") if {
	tenant_scoped
	not lib.target_tenant
}

deny contains lib.reason("tenant_missing", "the actor belongs to no tenant") if {
	not lib.actor_tenant
	not lib.is_platform
}

deny contains lib.reason(
	"cross_tenant_access",
	sprintf("an actor of tenant %q may not act on tenant %q", [lib.actor_tenant, lib.target_tenant]),
) if {
	tenant_scoped
	lib.actor_tenant != lib.target_tenant
	not cross_tenant_permitted
}

deny contains lib.reason(
	"cross_tenant_access",
	sprintf("platform roles may not %q in tenant %q under this edition", [input.action, lib.target_tenant]),
) if {
	tenant_scoped
	not lib.actor_tenant
	lib.is_platform
	lib.target_tenant
	not cross_tenant_permitted
}

# The governing tenant's state, as the server reports it in input.tenant.status
# ("active", "suspended" or "not_provisioned"); no status, no refusal.
deny contains lib.reason("tenant_suspended", sprintf("tenant %s is suspended", [input.tenant.id])) if {
	input.tenant.status == "suspended"
	not lib.is_platform
}

deny contains lib.reason("tenant_not_provisioned", sprintf("tenant %s is not provisioned", [input.tenant.id])) if {
	input.tenant.status == "not_provisioned"
	not lib.is_platform
}

deny contains lib.reason(
	"platform_token_required",
	sprintf("%q is a platform action: use a platform token (one without a tenant), not one bound to tenant %q", [input.action, lib.actor_tenant]),
) if {
	not tenant_scoped
	lib.actor_tenant
}

deny_codes := {r.code | some r in deny}
