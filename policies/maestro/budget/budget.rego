# METADATA
# title: Tenant budgets
# description: >-
#   Caps what a tenant may spend per UTC day (input.tenant.budget.dailyMaxUSD)
#   and per UTC month (input.tenant.budget.monthlyMaxUSD). A run is refused when
#   what the tenant spent in the period (input.tenant.budget.spentUSD for the
#   day, input.tenant.budget.monthlySpentUSD for the month) plus the run's
#   estimated cost (input.plan.estimatedCostUSD, computed by the server's
#   estimator at admission) would exceed the cap, counting what the tenant's
#   runs in progress still hold of their own estimates
#   (input.tenant.budget.reservedUSD and monthlyReservedUSD: the server
#   reserves each admitted run's estimate until it ends and decides the
#   tenant's starts one at a time, so concurrent starts cannot together
#   overshoot a cap). At the warning ratio
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

# Each capped period: its cap, what was spent in it so far and what runs in
# progress still reserve in it.
periods contains {
	"period": "daily",
	"limit": cap,
	"spent": object.get(input, ["tenant", "budget", "spentUSD"], 0),
	"reserved": object.get(input, ["tenant", "budget", "reservedUSD"], 0),
} if {
	cap := input.tenant.budget.dailyMaxUSD
	is_number(cap)
}

periods contains {
	"period": "monthly",
	"limit": cap,
	"spent": object.get(input, ["tenant", "budget", "monthlySpentUSD"], 0),
	"reserved": object.get(input, ["tenant", "budget", "monthlyReservedUSD"], 0),
} if {
	cap := input.tenant.budget.monthlyMaxUSD
	is_number(cap)
}

# What a period's cap already carries: spent plus reserved.
committed(p) := p.spent + p.reserved

# How a denial names the reserved part (nothing when no run holds a reservation).
reserved_text(p) := "" if p.reserved == 0

reserved_text(p) := sprintf(" and %v USD reserved by runs in progress", [p.reserved]) if p.reserved != 0

deny contains lib.reason(
	"budget_exceeded",
	sprintf(
		"the run's estimated cost of %v USD on top of %v USD spent%v exceeds the %v budget of %v USD",
		[estimate, p.spent, reserved_text(p), p.period, p.limit],
	),
) if {
	input.action in spending_actions
	some p in periods
	committed(p) + estimate > p.limit
}

obligations contains {
	"type": "budget_warning",
	"period": p.period,
	"spentUSD": p.spent,
	"reservedUSD": p.reserved,
	"estimatedCostUSD": estimate,
	"limitUSD": p.limit,
} if {
	input.action in spending_actions
	some p in periods
	committed(p) + estimate <= p.limit
	committed(p) + estimate >= p.limit * warn_ratio
}

deny_codes := {r.code | some r in deny}
