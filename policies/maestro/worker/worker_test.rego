package maestro.worker_test

import data.maestro.worker

worker_input(queues, held) := {
	"action": "worker.poll",
	"actor": {"sub": "svc", "roles": ["worker"], "tenant": "acme", "attributes": {"worker_queues": held}},
	"tenant": {"id": "acme"},
	"request": {"queues": queues},
}

test_granted_queues_pass if {
	count(worker.deny) == 0 with input as worker_input(["billing", "refunds"], "billing,refunds")
}

test_other_queue_refused if {
	worker.deny_codes == {"queue_not_granted"} with input as worker_input(["shipping"], "billing")
}

test_token_without_queues_refused if {
	worker.deny_codes == {"queue_not_granted"} with input as {
		"action": "worker.complete",
		"actor": {"sub": "svc", "roles": ["worker"], "tenant": "acme"},
		"request": {"queues": ["billing"]},
	}
}

test_other_actions_untouched if {
	count(worker.deny) == 0 with input as {"action": "workflow.run", "request": {"queues": ["x"]}}
}
