# METADATA
# title: Data lifecycle
# description: >-
#   Retention rules, legal holds and dual control over purges. A tenant's
#   retention rule keeps a data class for no fewer days than the platform's
#   minimum and no more than its maximum (input.request.retention: dataClass,
#   keepDays, minDays, maxDays; from configuration and the edition), and for no
#   fewer days than the tenant's profile keeps that class
#   (settings.retention.<class>.min_days; the profile's default_days is the rule
#   of a tenant that sets none); a legal
#   hold and its release say why; no purge is requested while a legal hold is
#   active. Dual control over purges. A purge request needs a reason and a delay no
#   shorter than the profile's minimum; only platform roles purge a whole tenant
#   (offboarding). Approvals are separated from the request: the requester never
#   approves its own purge and each approver counts once, so a purge runs only
#   after two other people said yes (or as many as the profile's settings say).
#   The server puts the purge as stored in input.request.purge ({scope, reason,
#   delaySeconds, requestedBy, approvers, state}). Always enforced, whatever the
#   profile: a purge deletes the tenant's data for good. Support impersonation:
#   a support engineer acts as one member of a tenant only with a reason, within
#   the profile's time box, where the profile permits it and, where it demands,
#   after a tenant administrator other than the requester approved; while
#   impersonating, nothing is approved, purged, exported or granted, and a
#   session not in force acts for no one (input.request.impersonation on
#   requests and approvals; input.actor.impersonation on every request made
#   while impersonating).
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
#     retention_below_profile_minimum: The retention rule keeps data for fewer days than the tenant's policy profile requires for the class.
#     legal_hold_reason_missing: A legal hold, and its release, must say why.
#     fault_injection_disabled: The server is not configured for chaos drills (chaos.enabled).
#     fault_injection_production: The server runs in production mode, where fault injection needs chaos.allowInProduction.
#     impersonation_not_permitted: The tenant's profile does not permit support impersonation.
#     impersonation_reason_missing: An impersonation request must say why.
#     impersonation_too_long: The time box is longer than the profile's maximum.
#     impersonation_not_a_member: The subject to act as is not a member of the tenant.
#     impersonation_self_approval: The engineer who asked for an impersonation cannot approve it.
#     impersonation_inactive: The impersonation session named in the request is not in force (pending, ended, expired or another's).
#     impersonation_action_forbidden: The action is not done while impersonating (approvals, purges, exports, grants, impersonation itself).
#     fault_db_restart_embedded: The server runs on its embedded database, which cannot restart apart from the server.
#     fault_db_restart_unconfigured: No command to restart the server's PostgreSQL is configured (chaos.dbRestartCommand).
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
#     - name: A regulated tenant shortens how long it keeps receipt payloads
#       query: data.maestro.lifecycle.deny_codes
#       input: {"action": "retention.write", "actor": {"sub": "ana@acme", "roles": ["tenant_admin"], "tenant": "acme"}, "tenant": {"id": "acme", "profile": "regulated"}, "request": {"retention": {"dataClass": "receipt_payloads", "keepDays": 30, "minDays": 1}}}
#       expect: ["retention_below_profile_minimum"]
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

# The tenant's profile sets how long it keeps each class at least
# (settings.retention.<class>.min_days); a rule asking for less is refused.
profile_min_days(data_class) := lib.setting(["retention", data_class, "min_days"], 0)

deny contains lib.reason(
	"retention_below_profile_minimum",
	sprintf("keeping %v for %v days is below the %v profile's minimum of %v days", [retention.dataClass, retention.keepDays, input.tenant.profile, profile_min_days(retention.dataClass)]),
) if {
	input.action == "retention.write"
	is_number(retention.keepDays)
	is_string(retention.dataClass)
	retention.keepDays < profile_min_days(retention.dataClass)
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

# db-restart restarts the server's PostgreSQL with the operator's command: the
# server says in fault.dbRestart whether it can (ready), runs on its embedded
# database (embedded) or has no command (unconfigured).
deny contains lib.reason(
	"fault_db_restart_embedded",
	"this server runs on its embedded database, which cannot restart apart from the server; run the drill against a server on PostgreSQL",
) if {
	input.action == "chaos.inject"
	fault.scenario == "db-restart"
	fault.dbRestart == "embedded"
}

deny contains lib.reason(
	"fault_db_restart_unconfigured",
	"no command to restart this server's PostgreSQL is configured (chaos.dbRestartCommand)",
) if {
	input.action == "chaos.inject"
	fault.scenario == "db-restart"
	ability := object.get(fault, "dbRestart", "unconfigured")
	ability != "ready"
	ability != "embedded"
}

# Support impersonation. The server puts the request (subject, reason,
# minutes, member) or the stored session (requestedBy, state) in
# input.request.impersonation; the profile's settings say whether support may
# impersonate at all, whether a tenant administrator approves first, and the
# longest time box.
impersonation := object.get(input, ["request", "impersonation"], {})

impersonation_allowed := lib.setting(["impersonation", "allowed"], true)

impersonation_approval := lib.setting(["impersonation", "approval"], false)

impersonation_max_minutes := lib.setting(["impersonation", "max_minutes"], 60)

default impersonation_needs_approval := false

impersonation_needs_approval if impersonation_approval == true

deny contains lib.reason("impersonation_not_permitted", "this tenant's profile does not permit support impersonation") if {
	input.action == "impersonation.request"
	impersonation_allowed != true
}

deny contains lib.reason("impersonation_reason_missing", "an impersonation request must say why (reason)") if {
	input.action == "impersonation.request"
	is_object(input.request.impersonation)
	trim_space(object.get(impersonation, ["reason"], "")) == ""
}

deny contains lib.reason(
	"impersonation_too_long",
	sprintf("a time box of %v minutes is longer than this profile's maximum of %v", [impersonation.minutes, impersonation_max_minutes]),
) if {
	input.action == "impersonation.request"
	is_number(impersonation.minutes)
	impersonation.minutes > impersonation_max_minutes
}

deny contains lib.reason(
	"impersonation_not_a_member",
	sprintf("%v is not a member of this tenant", [impersonation.subject]),
) if {
	input.action == "impersonation.request"
	impersonation.member == false
}

deny contains lib.reason(
	"impersonation_self_approval",
	sprintf("%v asked for this impersonation; a tenant administrator approves it", [impersonation.requestedBy]),
) if {
	input.action == "impersonation.approve"
	is_string(impersonation.requestedBy)
	person(impersonation.requestedBy) == actor
}

# What the server must keep when it records an allowed request.
obligations contains {"type": "impersonation_control", "approval": impersonation_needs_approval, "maxMinutes": impersonation_max_minutes} if {
	input.action == "impersonation.request"
}

acting_as := object.get(input, ["actor", "impersonation"], null)

deny contains lib.reason(
	"impersonation_inactive",
	sprintf("impersonation %v is not in force (%v): nothing is done under it", [acting_as.id, acting_as.state]),
) if {
	is_object(acting_as)
	acting_as.active != true
}

# What a support engineer never does as someone else: approve, purge, export,
# grant or change access, or impersonate again.
forbidden_while_impersonating := {
	"member.write", "member.remove", "profile.assign", "policy.publish",
	"retention.write", "retention.hold", "retention.run", "budget.set",
	"webhook.manage", "breakglass.open", "export.create", "evidence.export",
	"receipt.export", "tenant.update", "tenant.delete", "support.bundle",
}

impersonation_forbids(a) if a in forbidden_while_impersonating

impersonation_forbids(a) if startswith(a, "purge.")

impersonation_forbids(a) if startswith(a, "impersonation.")

impersonation_forbids(a) if endswith(a, ".approve")

deny contains lib.reason(
	"impersonation_action_forbidden",
	sprintf("%q is not done while impersonating (session %v by %v)", [input.action, acting_as.id, acting_as.by]),
) if {
	is_object(acting_as)
	acting_as.active == true
	impersonation_forbids(input.action)
}

deny_codes := {r.code | some r in deny}
