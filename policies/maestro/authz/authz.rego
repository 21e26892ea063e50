# METADATA
# title: Authorization entry point
# description: >-
#   The decision for every API action: data.maestro.authz.decision is
#   {allow, reasons[{code, message}], obligations[]}. It combines the packs the
#   tenant's profile enables; tenant isolation and RBAC are always on. Deny by
#   default: an action is allowed only when a role grants it and no enabled pack
#   gives a reason to refuse. Obligations are returned only with an allow.
# custom:
#   severity: critical
#   controls: ["SOC 2 CC6.1", "ISO 27001 A.5.15", "ISO 27001 A.8.2"]
#   profiles: [all]
#   entrypoint: data.maestro.authz.decision
#   reasons:
#     profile_unknown: The tenant's profile is not in the bundle.
#   examples:
#     - name: An operator runs a low-risk workflow in its own tenant
#       query: data.maestro.authz.decision.allow
#       input: {"action": "workflow.run", "actor": {"sub": "ops@acme", "roles": ["operator"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default", "quota": {"maxConcurrent": 25}, "usage": {"concurrentRuns": 1}}, "platform": {"profile": "conductor-governance-internal"}, "resource": {"type": "workflow", "tenant": "acme", "attributes": {"environment": "dev", "risk_profile": "low"}}}
#       expect: true
#     - name: Nothing is allowed without roles
#       query: data.maestro.authz.decision
#       input: {"action": "workflow.read", "actor": {"sub": "nobody@acme", "roles": [], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}, "resource": {"type": "workflow", "tenant": "acme"}}
#       expect: {"allow": false, "obligations": [], "reasons": [{"code": "role_not_permitted", "message": "no role of the actor grants \"workflow.read\""}]}
package maestro.authz

import data.maestro.abac
import data.maestro.budget
import data.maestro.governance
import data.maestro.isolation
import data.maestro.lib
import data.maestro.lifecycle
import data.maestro.packages
import data.maestro.quota
import data.maestro.rbac
import data.maestro.sku
import data.maestro.worker

# Packs every profile enforces, whatever it lists.
# Budgets are a spending cap every tenant has (its default cap comes with provisioning), so no
# profile can leave them out. Release governance (ramps, kill switches, freezes) decides from the
# tenant's own controls, so every profile enforces it too.
# External workers act only on the queues their tokens hold, under every profile; purges need
# two approvers whatever the profile; the SKU's feature gates are the platform's. A tampered or
# badly signed workflow package is never published; whether signing is required is a profile
# setting the packages pack reads.
mandatory := {"maestro.isolation", "maestro.rbac", "maestro.budget", "maestro.governance", "maestro.worker", "maestro.lifecycle", "maestro.sku", "maestro.packages"}

enabled contains pack if some pack in mandatory

enabled contains pack if some pack in lib.profile.packs

denials contains r if {
	"maestro.isolation" in enabled
	some r in isolation.deny
}

denials contains r if {
	"maestro.rbac" in enabled
	some r in rbac.deny
}

denials contains r if {
	"maestro.abac" in enabled
	some r in abac.deny
}

denials contains r if {
	"maestro.quota" in enabled
	some r in quota.deny
}

denials contains r if {
	"maestro.governance" in enabled
	some r in governance.deny
}

denials contains r if {
	"maestro.lifecycle" in enabled
	some r in lifecycle.deny
}

# A start the governance pack routes to the workflow's stable version does not
# run the version it was estimated for: the server decides it again on the
# stable version with that version's estimate, and the budget judges it there.
routed_away if {
	"maestro.governance" in enabled
	some o in governance.obligations
	o.type == "ramp_routed"
}

denials contains r if {
	"maestro.budget" in enabled
	not routed_away
	some r in budget.deny
}

denials contains r if {
	"maestro.worker" in enabled
	some r in worker.deny
}

denials contains r if {
	"maestro.sku" in enabled
	some r in sku.deny
}

denials contains r if {
	"maestro.packages" in enabled
	some r in packages.deny
}

denials contains lib.reason("profile_unknown", "the tenant's policy profile is not known") if {
	not lib.profile
}

obligations contains o if {
	"maestro.abac" in enabled
	some o in abac.obligations
}

obligations contains o if {
	"maestro.governance" in enabled
	some o in governance.obligations
}

obligations contains o if {
	"maestro.quota" in enabled
	some o in quota.obligations
}

obligations contains o if {
	"maestro.budget" in enabled
	not routed_away
	some o in budget.obligations
}

obligations contains o if {
	"maestro.lifecycle" in enabled
	some o in lifecycle.obligations
}

default allow := false

allow if {
	rbac.permitted
	count(denials) == 0
}

decision := {
	"allow": allow,
	"reasons": [r | some r in denials],
	"obligations": [o | some o in obligations; allow],
}
