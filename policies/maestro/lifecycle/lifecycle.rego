# METADATA
# title: Data lifecycle
# description: >-
#   Retention rules, legal holds and dual control over purges. A tenant's
#   retention rule keeps a data class for no fewer days than the platform's
#   minimum and no more than its maximum (input.request.retention: dataClass,
#   keepDays, minDays, maxDays; from configuration and the edition); a legal
#   hold and its release say why; no purge is requested while a legal hold is
#   active. Dual control over purges. A purge request needs a reason and a delay no
#   shorter than the profile's minimum; only platform roles purge a whole tenant
#   (offboarding). Approvals are separated from the request: the requester never
#   approves its own purge and each approver counts once, so a purge runs only
#   after two other people said yes (or as many as the profile's settings say).
#   The server puts the purge as stored in input.request.purge ({scope, reason,
#   delaySeconds, requestedBy, approvers, state}). Always enforced, whatever the
#   profile: a purge deletes the tenant's data for good.
# custom:
#   severity: critical
#   controls: ["SOC 2 CC6.5", "ISO 27001 A.8.10", "GDPR Art. 17"]
#   profiles: [all]
#   reasons:
#     purge_reason_missing: A purge request must say why.
#     purge_delay_too_short: The requested delay is shorter than the profile's minimum.
#     purge_scope_not_permitted: Only platform roles purge a whole tenant.
#     purge_self_approval: The requester of a purge cannot approve it.
#     purge_duplicate_approver: This person has already approved the purge; a second person must.
#     purge_legal_hold: The tenant is on legal hold; nothing of it is deleted until the hold is released.
#     retention_below_minimum: The retention rule keeps data for fewer days than the platform's minimum.
#     retention_above_maximum: The retention rule keeps data for more days than the platform's maximum.
#     legal_hold_reason_missing: A legal hold, and its release, must say why.
#     fault_injection_disabled: The server is not configured for chaos drills (chaos.enabled).
#     fault_injection_production: The server runs in production mode, where fault injection needs chaos.allowInProduction.
#   examples:
#     - name: The requester approves its own purge
#       query: data.maestro.lifecycle.deny_codes
#       input: {"action": "purge.approve", "actor": {"sub": "ana@acme", "roles": ["tenant_admin"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}, "request": {"purge": {"requestedBy": "ana@acme", "approvers": [], "state": "awaiting_approval"}}}
#       expect: ["purge_self_approval"]
#     - name: A second person approves
#       query: data.maestro.lifecycle.deny_codes
#       input: {"action": "purge.approve", "actor": {"sub": "bo@acme", "roles": ["tenant_admin"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}, "request": {"purge": {"requestedBy": "ana@acme", "approvers": [], "state": "awaiting_approval"}}}
#       expect: []
#     - name: A retention rule shorter than the platform's minimum
#       query: data.maestro.lifecycle.deny_codes
#       input: {"action": "retention.write", "actor": {"sub": "ana@acme", "roles": ["tenant_admin"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "internal-default"}, "request": {"retention": {"dataClass": "runs", "keepDays": 3, "minDays": 7, "maxDays": 3650}}}
#       expect: ["retention_below_minimum"]
#     - name: A fault injected on a production server not allowed to take one
#       query: data.maestro.lifecycle.deny_codes
#       input: {"action": "chaos.inject", "actor": {"sub": "root@platform", "roles": ["conductor_admin"]}, "request": {"fault": {"scenario": "pdp-outage", "enabled": true, "production": true, "allowInProduction": false}}}
#       expect: ["fault_injection_production"]
package maestro.lifecycle

import data.maestro.lib

purge := object.get(input, ["request", "purge"], {})

# The gate decides before the body is read; the server asks again with the
# purge's facts, and only then is there a reason or a requester to judge.
told if is_object(input.request.purge)

# People are compared by their subject, trimmed and case-folded: "Ana@acme " is ana@acme.
person(s) := lower(trim_space(s))

actor := person(object.get(input, ["actor", "sub"], ""))

# How many distinct approvers a purge needs, and its delay: from the profile's
# settings, with two approvers, a one-hour default delay and no minimum.
approvals_required := max([2, lib.setting(["purge", "approvals"], 2)])

default_delay_seconds := lib.setting(["purge", "delay_seconds"], 3600)

min_delay_seconds := lib.setting(["purge", "min_delay_seconds"], 0)

deny contains lib.reason("purge_reason_missing", "a purge request must say why (reason)") if {
	input.action == "purge.request"
	told
	trim_space(object.get(purge, ["reason"], "")) == ""
}

deny contains lib.reason(
	"purge_delay_too_short",
	sprintf("the delay of %vs is shorter than this profile's minimum of %vs", [purge.delaySeconds, min_delay_seconds]),
) if {
	input.action == "purge.request"
	is_number(purge.delaySeconds)
	purge.delaySeconds < min_delay_seconds
}

deny contains lib.reason("purge_scope_not_permitted", "only platform roles purge a whole tenant") if {
	input.action == "purge.request"
	purge.scope == "tenant"
	not lib.is_platform
}

deny contains lib.reason(
	"purge_self_approval",
	sprintf("%v requested this purge; two other people approve it", [purge.requestedBy]),
) if {
	input.action == "purge.approve"
	is_string(purge.requestedBy)
	person(purge.requestedBy) == actor
}

deny contains lib.reason(
	"purge_duplicate_approver",
	sprintf("%v has already approved this purge; another person approves", [input.actor.sub]),
) if {
	input.action == "purge.approve"
	some a in object.get(purge, ["approvers"], [])
	person(a) == actor
}

# What the server must keep when it records an allowed request.
obligations contains {"type": "purge_dual_control", "approvals": approvals_required, "delaySeconds": default_delay_seconds} if {
	input.action == "purge.request"
}

deny contains lib.reason(
	"purge_legal_hold",
	"the tenant is on legal hold; release the hold before purging its data",
) if {
	input.action == "purge.request"
	purge.held == true
}

# Retention rules: the server puts the rule asked for and the platform's bounds
# (from configuration and the edition) in input.request.retention.
retention := object.get(input, ["request", "retention"], {})

deny contains lib.reason(
	"retention_below_minimum",
	sprintf("keeping %v for %v days is below the platform's minimum of %v days", [retention.dataClass, retention.keepDays, retention.minDays]),
) if {
	input.action == "retention.write"
	is_number(retention.keepDays)
	is_number(retention.minDays)
	retention.keepDays < retention.minDays
}

deny contains lib.reason(
	"retention_above_maximum",
	sprintf("keeping %v for %v days is above the platform's maximum of %v days", [retention.dataClass, retention.keepDays, retention.maxDays]),
) if {
	input.action == "retention.write"
	is_number(retention.keepDays)
	is_number(retention.maxDays)
	retention.keepDays > retention.maxDays
}

deny contains lib.reason("legal_hold_reason_missing", "a legal hold and its release must say why (reason)") if {
	input.action == "retention.hold"
	is_object(input.request.retention)
	trim_space(object.get(retention, ["reason"], "")) == ""
}

# Chaos drills: the server puts its configuration in input.request.fault when
# a fault is injected or a drill recorded; the gate's first decision (before
# the body is read) has none and leaves the judgement to that one.
fault := object.get(input, ["request", "fault"], {})

fault_actions := {"chaos.inject", "chaos.record"}

deny contains lib.reason(
	"fault_injection_disabled",
	"this server is not configured for chaos drills (chaos.enabled is false)",
) if {
	input.action in fault_actions
	is_object(input.request.fault)
	fault.enabled != true
}

deny contains lib.reason(
	"fault_injection_production",
	"this server runs in production mode; fault injection there needs chaos.allowInProduction",
) if {
	input.action in fault_actions
	fault.enabled == true
	object.get(fault, "production", true) != false
	fault.allowInProduction != true
}

deny_codes := {r.code | some r in deny}
