# METADATA
# title: Tenant budgets
# description: >-
#   Caps what a tenant may spend per UTC day (input.tenant.budget.dailyMaxUSD)
#   and per UTC month (input.tenant.budget.monthlyMaxUSD). A run is refused when
#   what the tenant spent in the period (input.tenant.budget.spentUSD for the
#   day, input.tenant.budget.monthlySpentUSD for the month) plus the run's
#   estimated cost (input.plan.estimatedCostUSD, computed by the server's
#   estimator at admission) would exceed the cap. At the warning ratio
#   (settings.budget.warn_ratio, 0.8 unless the profile says otherwise) the
#   decision carries a budget_warning obligation. A cap that is not set does not
#   limit. Every profile enforces this pack.
# custom:
#   severity: high
#   controls: ["SOC 2 A1.1", "ISO 27001 A.5.23"]
#   profiles: [all]
#   reasons:
#     budget_exceeded: The run's estimated cost would take the tenant over its daily or monthly budget.
#   examples:
#     - name: Well within the daily budget
#       query: data.maestro.budget.deny_codes
#       input: {"action": "workflow.run", "tenant": {"id": "acme", "budget": {"dailyMaxUSD": 500, "spentUSD": 120.43}}, "plan": {"estimatedCostUSD": 3.27}}
#       expect: []
#     - name: The estimate would exceed the daily budget
#       query: data.maestro.budget.deny_codes
#       input: {"action": "workflow.run", "tenant": {"id": "acme", "budget": {"dailyMaxUSD": 5, "spentUSD": 4}}, "plan": {"estimatedCostUSD": 1.5}}
#       expect: ["budget_exceeded"]
package maestro.budget

import data.maestro.lib

# Actions that start runs and so spend money.
spending_actions := {"workflow.run", "run.retry"}

estimate := object.get(input, ["plan", "estimatedCostUSD"], 0)

warn_ratio := lib.setting(["budget", "warn_ratio"], 0.8)

# Each capped period: its cap and what was spent in it so far.
periods contains {"period": "daily", "limit": cap, "spent": object.get(input, ["tenant", "budget", "spentUSD"], 0)} if {
	cap := input.tenant.budget.dailyMaxUSD
	is_number(cap)
}

periods contains {"period": "monthly", "limit": cap, "spent": object.get(input, ["tenant", "budget", "monthlySpentUSD"], 0)} if {
	cap := input.tenant.budget.monthlyMaxUSD
	is_number(cap)
}

deny contains lib.reason(
	"budget_exceeded",
	sprintf(
		"the run's estimated cost of %v USD on top of %v USD spent exceeds the %v budget of %v USD",
		[estimate, p.spent, p.period, p.limit],
	),
) if {
	input.action in spending_actions
	some p in periods
	p.spent + estimate > p.limit
}

obligations contains {
	"type": "budget_warning",
	"period": p.period,
	"spentUSD": p.spent,
	"estimatedCostUSD": estimate,
	"limitUSD": p.limit,
} if {
	input.action in spending_actions
	some p in periods
	p.spent + estimate <= p.limit
	p.spent + estimate >= p.limit * warn_ratio
}

deny_codes := {r.code | some r in deny}
