package maestro.budget_test

import data.maestro.budget

req(action, b, est) := {
	"action": action,
	"tenant": {"id": "acme", "profile": "internal-default", "budget": b},
	"plan": {"estimatedCostUSD": est},
}

test_within_budget if {
	count(budget.deny) == 0 with input as req("workflow.run", {"dailyMaxUSD": 500, "spentUSD": 120.43}, 3.27)
	count(budget.obligations) == 0 with input as req("workflow.run", {"dailyMaxUSD": 500, "spentUSD": 120.43}, 3.27)
}

test_daily_budget_exceeded if {
	budget.deny_codes == {"budget_exceeded"} with input as req("workflow.run", {"dailyMaxUSD": 5, "spentUSD": 4}, 1.5)
}

test_daily_message_names_estimate_spent_and_cap if {
	denials := budget.deny with input as req("workflow.run", {"dailyMaxUSD": 5, "spentUSD": 4}, 2)
	denials == {{"code": "budget_exceeded", "message": "the run's estimated cost of 2 USD on top of 4 USD spent exceeds the daily budget of 5 USD"}}
}

test_monthly_budget_exceeded if {
	budget.deny_codes == {"budget_exceeded"} with input as req("workflow.run", {"dailyMaxUSD": 100, "spentUSD": 1, "monthlyMaxUSD": 50, "monthlySpentUSD": 49.5}, 1)
}

test_both_periods_exceeded_give_two_reasons if {
	denials := budget.deny with input as req("workflow.run", {"dailyMaxUSD": 1, "spentUSD": 1, "monthlyMaxUSD": 1, "monthlySpentUSD": 1}, 1)
	count(denials) == 2
}

test_exactly_at_the_cap_is_allowed if {
	count(budget.deny) == 0 with input as req("workflow.run", {"dailyMaxUSD": 5, "spentUSD": 4}, 1)
}

test_estimate_alone_above_cap_is_refused if {
	budget.deny_codes == {"budget_exceeded"} with input as req("workflow.run", {"dailyMaxUSD": 0.001}, 0.0012)
}

test_retry_is_capped_too if {
	budget.deny_codes == {"budget_exceeded"} with input as req("run.retry", {"dailyMaxUSD": 1, "spentUSD": 1}, 0.5)
}

test_reads_are_not_capped if {
	count(budget.deny) == 0 with input as req("workflow.read", {"dailyMaxUSD": 0, "spentUSD": 10}, 1)
}

test_missing_caps_do_not_limit if {
	count(budget.deny) == 0 with input as req("workflow.run", {"spentUSD": 1000000}, 5)
}

test_non_numeric_cap_is_ignored if {
	count(budget.deny) == 0 with input as req("workflow.run", {"dailyMaxUSD": "5", "spentUSD": 10}, 1)
}

test_missing_plan_counts_as_zero if {
	count(budget.deny) == 0 with input as {"action": "workflow.run", "tenant": {"id": "acme", "budget": {"dailyMaxUSD": 5, "spentUSD": 5}}}
	budget.deny_codes == {"budget_exceeded"} with input as {"action": "workflow.run", "tenant": {"id": "acme", "budget": {"dailyMaxUSD": 5, "spentUSD": 5.01}}}
}

test_warning_at_eighty_percent if {
	budget.obligations == {{"type": "budget_warning", "period": "daily", "spentUSD": 3, "reservedUSD": 0, "estimatedCostUSD": 1, "limitUSD": 5}} with input as req("workflow.run", {"dailyMaxUSD": 5, "spentUSD": 3}, 1)
}

test_no_warning_below_eighty_percent if {
	count(budget.obligations) == 0 with input as req("workflow.run", {"dailyMaxUSD": 5, "spentUSD": 2}, 1)
}

test_monthly_warning if {
	budget.obligations == {{"type": "budget_warning", "period": "monthly", "spentUSD": 85, "reservedUSD": 0, "estimatedCostUSD": 1, "limitUSD": 100}} with input as req("workflow.run", {"monthlyMaxUSD": 100, "monthlySpentUSD": 85}, 1)
}

test_no_warning_when_refused if {
	count(budget.obligations) == 0 with input as req("workflow.run", {"dailyMaxUSD": 5, "spentUSD": 5}, 1)
}

test_reservations_of_runs_in_progress_count_against_the_cap if {
	budget.deny_codes == {"budget_exceeded"} with input as req("workflow.run", {"dailyMaxUSD": 5, "spentUSD": 2, "reservedUSD": 2.5}, 1)
	count(budget.deny) == 0 with input as req("workflow.run", {"dailyMaxUSD": 5, "spentUSD": 2, "reservedUSD": 2}, 1)
}

test_denial_names_what_is_reserved if {
	denials := budget.deny with input as req("workflow.run", {"dailyMaxUSD": 5, "spentUSD": 2, "reservedUSD": 2.5}, 1)
	denials == {{"code": "budget_exceeded", "message": "the run's estimated cost of 1 USD on top of 2 USD spent and 2.5 USD reserved by runs in progress exceeds the daily budget of 5 USD"}}
}

test_monthly_reservations_count_too if {
	budget.deny_codes == {"budget_exceeded"} with input as req("workflow.run", {"dailyMaxUSD": 100, "monthlyMaxUSD": 50, "monthlySpentUSD": 40, "monthlyReservedUSD": 9.5}, 1)
}

test_warning_counts_reservations if {
	budget.obligations == {{"type": "budget_warning", "period": "daily", "spentUSD": 1, "reservedUSD": 2, "estimatedCostUSD": 1, "limitUSD": 5}} with input as req("workflow.run", {"dailyMaxUSD": 5, "spentUSD": 1, "reservedUSD": 2}, 1)
}
