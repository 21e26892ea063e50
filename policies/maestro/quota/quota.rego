# METADATA
# title: Tenant quotas
# description: >-
#   Caps a tenant's concurrent runs (input.tenant.quota.maxConcurrent), its
#   step rate (input.tenant.quota.maxStepsPerMinute) and its receipts awaiting a
#   signed checkpoint (input.tenant.quota.maxReceiptBacklog) against current usage
#   (input.tenant.usage). The server reads usage for the actions in
#   consuming_actions only. A cap that is not set does not limit. Near a cap the
#   decision carries a quota_warning obligation.
# custom:
#   severity: high
#   controls: ["SOC 2 A1.1", "ISO 27001 A.8.6"]
#   profiles: [internal-default, regulated, partner-demo, hosted-saas]
#   reasons:
#     quota_concurrency_exceeded: The tenant already runs its maximum of concurrent runs.
#     quota_rate_exceeded: The tenant executed its maximum of steps in the last minute.
#     quota_receipt_backlog_exceeded: The tenant has its maximum of receipts awaiting a signed checkpoint.
#   examples:
#     - name: Under both caps
#       query: data.maestro.quota.deny_codes
#       input: {"action": "workflow.run", "tenant": {"id": "acme", "quota": {"maxConcurrent": 25, "maxStepsPerMinute": 600}, "usage": {"concurrentRuns": 3, "stepsLastMinute": 10}}}
#       expect: []
#     - name: At the concurrency cap
#       query: data.maestro.quota.deny_codes
#       input: {"action": "workflow.run", "tenant": {"id": "acme", "quota": {"maxConcurrent": 25}, "usage": {"concurrentRuns": 25}}}
#       expect: ["quota_concurrency_exceeded"]
package maestro.quota

import data.maestro.lib

# Actions that start work and so consume run and step capacity. The server reads
# this set from the bundle to know when to put the tenant's usage in the input.
consuming_actions := {"workflow.run", "run.retry"}

running := object.get(input, ["tenant", "usage", "concurrentRuns"], 0)

steps := object.get(input, ["tenant", "usage", "stepsLastMinute"], 0)

max_concurrent := input.tenant.quota.maxConcurrent if is_number(input.tenant.quota.maxConcurrent)

max_steps := input.tenant.quota.maxStepsPerMinute if is_number(input.tenant.quota.maxStepsPerMinute)

backlog := object.get(input, ["tenant", "usage", "receiptBacklog"], 0)

max_backlog := input.tenant.quota.maxReceiptBacklog if is_number(input.tenant.quota.maxReceiptBacklog)

warn_ratio := lib.setting(["quota", "warn_ratio"], 0.8)

deny contains lib.reason(
	"quota_concurrency_exceeded",
	sprintf("the tenant runs %v of at most %v concurrent runs", [running, max_concurrent]),
) if {
	input.action in consuming_actions
	running >= max_concurrent
}

deny contains lib.reason(
	"quota_rate_exceeded",
	sprintf("the tenant ran %v of at most %v steps in the last minute", [steps, max_steps]),
) if {
	input.action in consuming_actions
	steps >= max_steps
}

deny contains lib.reason(
	"quota_receipt_backlog_exceeded",
	sprintf("the tenant has %v receipts awaiting a signed checkpoint, at most %v", [backlog, max_backlog]),
) if {
	input.action in consuming_actions
	backlog >= max_backlog
}

obligations contains {"type": "quota_warning", "quota": "concurrency", "used": running, "limit": max_concurrent} if {
	input.action in consuming_actions
	running < max_concurrent
	running + 1 >= max_concurrent * warn_ratio
}

obligations contains {"type": "quota_warning", "quota": "step_rate", "used": steps, "limit": max_steps} if {
	input.action in consuming_actions
	steps < max_steps
	steps >= max_steps * warn_ratio
}

deny_codes := {r.code | some r in deny}
