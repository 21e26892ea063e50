# A realistic authorization policy for the benchmark: RBAC over role bindings held in data,
# ABAC on request and resource attributes, tenant isolation, quota and budget checks.
package bench.authz

default allow := false

allow if {
	count(deny) == 0
	input.action in permissions
}

decision := {"allow": allow, "reasons": deny, "mfa": requires_mfa}

# RBAC: bindings are data keyed by tenant and subject, the way a loader prepares them.
roles contains binding.role if {
	some binding in data.bindings[input.actor.tenant][input.actor.sub]
	binding.expires_ns > input.now_ns
}

roles contains role if some role in input.actor.roles

permissions contains p if {
	some role in roles
	some p in data.roles[role].permissions
}

# Tenant isolation.
deny contains "tenant_mismatch" if input.actor.tenant != input.resource.tenant

deny contains "tenant_unknown" if not data.tenants[input.actor.tenant]

deny contains "tenant_suspended" if data.tenants[input.actor.tenant].suspended

# ABAC.
deny contains "region_not_allowed" if {
	not input.request.region in data.tenants[input.actor.tenant].regions
}

class_rank := {"small": 1, "medium": 2, "large": 3}

deny contains "resource_class_too_large" if {
	limit := data.tenants[input.actor.tenant].max_class
	class_rank[input.request.resourceClass] > class_rank[limit]
}

deny contains "high_risk_needs_approver" if {
	input.resource.attributes.risk == "high"
	not "approver" in roles
}

deny contains "classification_too_high" if {
	input.resource.attributes.classification == "restricted"
	not data.tenants[input.actor.tenant].restricted_allowed
}

# Quota and budget.
deny contains "quota_exceeded" if {
	input.usage.concurrentRuns >= input.tenant.quota.maxConcurrent
}

deny contains "budget_exceeded" if {
	input.usage.spentTodayUSD + input.plan.estimatedCostUSD > input.tenant.budget.dailyMaxUSD
}

# Action-specific obligations, selected by equality on input.action (indexed rules).
default requires_mfa := false

requires_mfa if input.action == "workflow.publish"

requires_mfa if input.action == "workflow.kill"

requires_mfa if input.action == "run.kill"

requires_mfa if input.action == "tenant.delete"

requires_mfa if input.action == "member.remove"

requires_mfa if input.action == "policy.publish"

requires_mfa if input.action == "export.create"

requires_mfa if input.action == "profile.assign"
