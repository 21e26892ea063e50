# METADATA
# title: Decision log masking
# description: >-
#   Which input fields never reach the decision log, in the form of OPA's
#   system.log.mask: JSON pointers to erase, or upsert operations that replace a
#   value. The decision itself always sees the full input.
# custom:
#   pack: false
package maestro.log

# Run parameters and request headers may carry secrets.
mask contains "/input/request/parameters" if input.input.request.parameters

mask contains "/input/request/headers" if input.input.request.headers

# Keep that a subject acted, not who: the subject stays in receipts, which are
# access-controlled, but operational logs are read more widely.
mask contains {"op": "upsert", "path": "/input/actor/sub", "value": "<masked>"} if {
	input.input.actor.sub
	input.input.tenant.profile == "regulated"
}
