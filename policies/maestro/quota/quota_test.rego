package maestro.quota_test

import data.maestro.quota

req(action, quota_caps, usage) := {
	"action": action,
	"tenant": {"id": "acme", "profile": "internal-default", "quota": quota_caps, "usage": usage},
}

test_under_caps if {
	count(quota.deny) == 0 with input as req("workflow.run", {"maxConcurrent": 25, "maxStepsPerMinute": 600}, {"concurrentRuns": 3, "stepsLastMinute": 10})
	count(quota.obligations) == 0 with input as req("workflow.run", {"maxConcurrent": 25, "maxStepsPerMinute": 600}, {"concurrentRuns": 3, "stepsLastMinute": 10})
}

test_concurrency_cap_reached if {
	quota.deny_codes == {"quota_concurrency_exceeded"} with input as req("workflow.run", {"maxConcurrent": 25}, {"concurrentRuns": 25})
}

test_concurrency_message if {
	denials := quota.deny with input as req("run.retry", {"maxConcurrent": 2}, {"concurrentRuns": 5})
	denials == {{"code": "quota_concurrency_exceeded", "message": "the tenant runs 5 of at most 2 concurrent runs"}}
}

test_rate_cap_reached if {
	quota.deny_codes == {"quota_rate_exceeded"} with input as req("workflow.run", {"maxStepsPerMinute": 100}, {"stepsLastMinute": 100})
}

test_both_caps_reached if {
	quota.deny_codes == {"quota_concurrency_exceeded", "quota_rate_exceeded"} with input as req("workflow.run", {"maxConcurrent": 1, "maxStepsPerMinute": 1}, {"concurrentRuns": 1, "stepsLastMinute": 1})
}

test_reads_are_not_capped if {
	count(quota.deny) == 0 with input as req("workflow.read", {"maxConcurrent": 1}, {"concurrentRuns": 9})
}

test_missing_caps_do_not_limit if {
	count(quota.deny) == 0 with input as req("workflow.run", {}, {"concurrentRuns": 1000, "stepsLastMinute": 100000})
}

test_missing_usage_counts_as_zero if {
	count(quota.deny) == 0 with input as req("workflow.run", {"maxConcurrent": 1, "maxStepsPerMinute": 1}, {})
}

test_non_numeric_cap_is_ignored if {
	count(quota.deny) == 0 with input as req("workflow.run", {"maxConcurrent": "25"}, {"concurrentRuns": 30})
}

test_warning_near_concurrency_cap if {
	quota.obligations == {{"type": "quota_warning", "quota": "concurrency", "used": 19, "limit": 25}} with input as req("workflow.run", {"maxConcurrent": 25}, {"concurrentRuns": 19})
}

test_warning_near_rate_cap if {
	quota.obligations == {{"type": "quota_warning", "quota": "step_rate", "used": 90, "limit": 100}} with input as req("workflow.run", {"maxStepsPerMinute": 100}, {"stepsLastMinute": 90})
}

test_warning_ratio_follows_profile if {
	# partner-demo warns only at 90%.
	count(quota.obligations) == 0 with input as object.union(
		req("workflow.run", {"maxStepsPerMinute": 100}, {"stepsLastMinute": 85}),
		{"tenant": {"profile": "partner-demo"}},
	)
}

test_receipt_backlog_cap_reached if {
	denials := quota.deny with input as req("workflow.run", {"maxReceiptBacklog": 100}, {"receiptBacklog": 100})
	denials == {{"code": "quota_receipt_backlog_exceeded", "message": "the tenant has 100 receipts awaiting a signed checkpoint, at most 100"}}
}

test_receipt_backlog_under_cap if {
	count(quota.deny) == 0 with input as req("workflow.run", {"maxReceiptBacklog": 100}, {"receiptBacklog": 99})
}

test_receipt_backlog_does_not_limit_reads if {
	count(quota.deny) == 0 with input as req("run.read", {"maxReceiptBacklog": 1}, {"receiptBacklog": 50})
}
