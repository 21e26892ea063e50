# METADATA
# title: External workers
# description: >-
#   External workers poll, heartbeat, complete and fail the tasks of
#   worker/<queue> steps. A worker acts only on the queues its token names in
#   its worker_queues attribute (queue names separated by spaces or commas);
#   the server puts the queues a request touches in input.request.queues (the
#   queues a poll asks for, or the queue of the task it reports on). Tenant
#   isolation still applies: a token acts only in its own tenant. Always
#   enforced, whatever the profile.
# custom:
#   severity: high
#   controls: ["SOC 2 CC6.1", "ISO 27001 A.5.15"]
#   profiles: [all]
#   reasons:
#     queue_not_granted: The worker's token does not hold a queue the request names.
#   examples:
#     - name: A billing worker polls its queue
#       query: data.maestro.worker.deny_codes
#       input: {"action": "worker.poll", "actor": {"sub": "svc-billing", "roles": ["worker"], "tenant": "acme", "attributes": {"worker_queues": "billing, refunds"}}, "tenant": {"id": "acme"}, "request": {"queues": ["billing"]}}
#       expect: []
#     - name: A billing worker may not poll the shipping queue
#       query: data.maestro.worker.deny_codes
#       input: {"action": "worker.poll", "actor": {"sub": "svc-billing", "roles": ["worker"], "tenant": "acme", "attributes": {"worker_queues": "billing"}}, "tenant": {"id": "acme"}, "request": {"queues": ["billing", "shipping"]}}
#       expect: ["queue_not_granted"]
package maestro.worker

import data.maestro.lib

worker_actions := {"worker.poll", "worker.complete"}

# The queues the token holds, from its worker_queues attribute.
granted contains q if {
	some q in split(replace(input.actor.attributes.worker_queues, ",", " "), " ")
	q != ""
}

deny contains lib.reason("queue_not_granted", sprintf("the token holds no queue %q", [q])) if {
	input.action in worker_actions
	some q in input.request.queues
	not q in granted
}

deny_codes := {r.code | some r in deny}
