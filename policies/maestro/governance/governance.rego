# METADATA
# title: Release governance
# description: >-
#   Ramps, kill switches and freeze windows with break-glass, decided from the
#   controls the server puts in input.governance (killSwitches, ramps, freeze,
#   breakGlass, breakGlassNamed) and what the request names in
#   input.request.workflow ({name, version, bucket, taskTypes}). A run start is
#   refused while a kill switch matches it (global, the tenant, the workflow, the
#   version or one of its task types) and when it falls outside a ramp: its
#   bucket (0-100, from the hash of tenant, workflow and the run's key) must be
#   below the ramp's percentage. While a freeze window is active, privileged
#   actions are refused unless an open break-glass grant names them. Always
#   enforced, whatever the profile: the controls are the tenant's own data.
# custom:
#   severity: high
#   controls: ["SOC 2 CC8.1", "ISO 27001 A.8.32"]
#   profiles: [all]
#   reasons:
#     kill_switch_active: A pulled kill switch matches the run being started.
#     workflow_paused: A kill switch in pause mode holds new starts of the workflow; its running runs are paused (run.pause) until it is released.
#     ramp_excluded: The run falls outside the ramp's percentage (a start that pinned its version, or a ramp on every version; an unpinned start is routed to the stable version).
#     freeze_active: A freeze window is active and no open break-glass grant covers the action.
#     break_glass_expired: The request names a break-glass grant that is expired, closed, unknown or not yet approved.
#     kill_switch_scope_not_permitted: Only platform roles pull or release global kill switches.
#     rollback_must_lower: The rollback controller may only lower a ramp, never raise it.
#     throttled: A throttle holds the tenant's starts to a number of running runs, and it has that many.
#     rollback_breach_unknown: A rollback must name its breach (error_rate, slo_burn, receipt_backlog).
#     run_pause_unmatched: A run is paused only by an active kill switch in pause mode that matches it (the one named in the request).
#     run_still_paused: A paused run resumes only once no kill switch in pause mode matches it.
#   examples:
#     - name: A start inside a 10% ramp
#       query: data.maestro.governance.deny_codes
#       input: {"action": "workflow.run", "tenant": {"id": "acme"}, "request": {"workflow": {"name": "hello", "version": "2", "bucket": 3.5}}, "governance": {"ramps": [{"workflow": "hello", "version": "2", "action": "workflow.run", "percent": 10, "step": 1}]}}
#       expect: []
#     - name: A start outside a 10% ramp
#       query: data.maestro.governance.deny_codes
#       input: {"action": "workflow.run", "tenant": {"id": "acme"}, "request": {"workflow": {"name": "hello", "version": "2", "bucket": 57.1}}, "governance": {"ramps": [{"workflow": "hello", "version": "2", "action": "workflow.run", "percent": 10, "step": 1}]}}
#       expect: ["ramp_excluded"]
#     - name: A publish during a freeze
#       query: data.maestro.governance.deny_codes
#       input: {"action": "workflow.publish", "tenant": {"id": "acme"}, "governance": {"freeze": {"active": true, "window": "fz-1", "until": "2026-12-07T15:00:00Z"}, "breakGlass": []}}
#       expect: ["freeze_active"]
package maestro.governance

import data.maestro.lib

# Actions that start work, which kill switches and ramps apply to.
start_actions := {"workflow.run", "run.retry"}

# Privileged actions a freeze window stops: publishing, ramp changes, profile
# changes, policy publication, purges; tenant.update when it touches quotas or
# the budget (the server names the fields in input.request.fields).
frozen_actions := {"workflow.publish", "ramp.write", "profile.assign", "policy.publish", "tenant.purge"}

frozen_fields := {"quota", "budget"}

workflow := object.get(input, ["request", "workflow"], {})

facts := object.get(input, ["governance"], {})

# Kill switches

switch_matches(k) if k.scope == "global"

switch_matches(k) if k.scope == "tenant"

switch_matches(k) if {
	k.scope == "workflow"
	k.target == workflow.name
}

switch_matches(k) if {
	k.scope == "version"
	k.target == workflow.name
	k.version == workflow.version
}

switch_matches(k) if {
	k.scope == "task_type"
	some t in workflow.taskTypes
	t == k.target
}

switch_mode(k) := object.get(k, "mode", "drain")

matching_switches contains k.id if {
	input.action in start_actions
	some k in object.get(facts, ["killSwitches"], [])
	switch_matches(k)
	switch_mode(k) != "pause"
}

# A kill switch in pause mode holds new starts until it is released (and pauses
# the running runs it matches, below): the refusal says so with its own code. A pause on the start's
# version alone does not hold a start that did not pin its version: it is routed
# to the stable version like a start outside a ramp.
matching_pauses contains k if {
	input.action in start_actions
	some k in object.get(facts, ["killSwitches"], [])
	switch_matches(k)
	switch_mode(k) == "pause"
}

pause_routable if {
	count(matching_pauses) > 0
	unpinned_with_stable
	every k in matching_pauses {
		k.scope == "version"
	}
}

deny contains lib.reason(
	"workflow_paused",
	sprintf("kill switch %v pauses this workflow; its running runs are paused and new starts wait for its release", [concat(", ", sort([k.id | some k in matching_pauses]))]),
) if {
	count(matching_pauses) > 0
	not pause_routable
}

deny contains lib.reason(
	"kill_switch_active",
	sprintf("kill switch %v stops this start", [concat(", ", sort([id | some id in matching_switches]))]),
) if {
	count(matching_switches) > 0
}

# Running runs under a pause. A kill switch in pause mode also pauses the runs
# already running that it matches: each run is paused under its own decision
# (run.pause, by the system actor system:kill-switch), with the run's workflow
# in input.request.workflow ({name, version, taskTypes}) and the switch being
# applied in input.request.killSwitch. Once a switch is released, each run it
# paused is resumed under its own decision (run.resume), unless another switch
# in pause mode still matches it.
run_actions := {"run.pause", "run.resume"}

pausing_switches contains k.id if {
	input.action in run_actions
	some k in object.get(facts, ["killSwitches"], [])
	switch_matches(k)
	switch_mode(k) == "pause"
}

deny contains lib.reason(
	"run_pause_unmatched",
	sprintf("no active kill switch in pause mode named %v matches %v@%v", [object.get(input, ["request", "killSwitch"], "none"), object.get(workflow, "name", "?"), object.get(workflow, "version", "?")]),
) if {
	input.action == "run.pause"
	not object.get(input, ["request", "killSwitch"], "") in pausing_switches
}

deny contains lib.reason(
	"run_still_paused",
	sprintf("kill switch %v still pauses %v@%v", [concat(", ", sort([id | some id in pausing_switches])), object.get(workflow, "name", "?"), object.get(workflow, "version", "?")]),
) if {
	input.action == "run.resume"
	count(pausing_switches) > 0
}

deny contains lib.reason("kill_switch_scope_not_permitted", "only platform roles use global kill switches") if {
	input.action == "workflow.kill"
	input.request.scope == "global"
	not lib.is_platform
}

# Ramps. A rule for the run's version wins over one for every version.

ramp_rules contains r if {
	input.action in start_actions
	is_string(workflow.name)
	some r in object.get(facts, ["ramps"], [])
	r.action == input.action
	r.workflow == workflow.name
}

versioned contains r if {
	some r in ramp_rules
	r.version != ""
	r.version == workflow.version
}

general contains r if {
	some r in ramp_rules
	r.version == ""
}

ramp := r if {
	count(versioned) == 1
	some r in versioned
} else := r if {
	count(versioned) == 0
	count(general) == 1
	some r in general
}

bucket := workflow.bucket if is_number(workflow.bucket)

default bucket_shown := "none"

bucket_shown := bucket

deny contains lib.reason(
	"ramp_excluded",
	sprintf("the ramp of %v admits %v%% of starts; this start falls in bucket %v", [label, ramp.percent, bucket_shown]),
) if {
	not bucket < ramp.percent
	not routable
	label := ramp_label
}

# Canary routing. A start that did not pin its version (the server resolved the
# workflow's active version) and falls outside a ramp on that version runs the
# workflow's stable version instead (the most recently published other one, in
# input.request.workflow.stable); the server decides again on that version.
# A pinned start, or a ramp on every version of the workflow, is refused.
unpinned_with_stable if {
	workflow.pinned == false
	is_string(workflow.stable)
	workflow.stable != workflow.version
}

routable if {
	unpinned_with_stable
	ramp.version != ""
}

ramp_routes if {
	not bucket < ramp.percent
	routable
}

obligations contains {"type": "ramp_routed", "reason": "ramp_excluded", "workflow": ramp.workflow, "from": workflow.version, "to": workflow.stable, "percent": ramp.percent, "step": ramp.step, "bucket": bucket_shown} if {
	ramp_routes
}

# One routing per start: the ramp's, when both a ramp and a pause route it.
obligations contains {"type": "ramp_routed", "reason": "workflow_paused", "workflow": workflow.name, "from": workflow.version, "to": workflow.stable, "switches": sort([k.id | some k in matching_pauses]), "bucket": bucket_shown} if {
	pause_routable
	not ramp_routes
}

ramp_label := sprintf("%v@%v", [ramp.workflow, ramp.version]) if ramp.version != ""

ramp_label := ramp.workflow if ramp.version == ""

obligations contains {"type": "ramp_admitted", "workflow": ramp.workflow, "version": ramp.version, "percent": ramp.percent, "step": ramp.step, "bucket": bucket} if {
	bucket < ramp.percent
}

# Auto-rollback. The controller lowers a breaching canary's ramp with its own
# decision (ramp.rollback); it may never raise one. Rollbacks are not frozen:
# they are the mitigation a freeze must not stop.

deny contains lib.reason(
	"rollback_must_lower",
	sprintf("a rollback lowers a ramp; %v%% to %v%% does not", [input.request.from, input.request.to]),
) if {
	input.action == "ramp.rollback"
	not input.request.to < input.request.from
}

# A rollback names its breach: the reasons the controller saw (error_rate,
# slo_burn, receipt_backlog). One it cannot name is refused.
breach_reasons := {"error_rate", "slo_burn", "receipt_backlog"}

rollback_reasons := object.get(input, ["request", "breach", "reasons"], [])

deny contains lib.reason(
	"rollback_breach_unknown",
	sprintf("a rollback names its breach as one or more of %v; got %v", [concat(", ", sort([r | some r in breach_reasons])), rollback_reasons]),
) if {
	input.action == "ramp.rollback"
	not known_breach
}

known_breach if {
	count(rollback_reasons) > 0
	every r in rollback_reasons {
		r in breach_reasons
	}
}

# Mitigations beyond the rollback, chosen for the breach (the controller applies
# each with this decision and undoes it once the canary recovered):
# - slo_burn: pause the canary's version (a kill switch in pause mode: starts
#   that pin it wait, unpinned ones run the stable version, its running runs
#   are paused until the canary recovers);
#   a profile turns it off with settings.mitigations.pause_on_slo_burn: false.
# - receipt_backlog: throttle the tenant to
#   settings.mitigations.throttle_max_concurrent_runs (2) running runs; 0 turns
#   it off.
obligations contains {"type": "mitigation", "kind": "pause", "scope": "version", "workflow": input.request.workflow, "version": input.request.version} if {
	input.action == "ramp.rollback"
	known_breach
	"slo_burn" in rollback_reasons
	lib.setting(["mitigations", "pause_on_slo_burn"], true) == true
}

throttle_limit_setting := lib.setting(["mitigations", "throttle_max_concurrent_runs"], 2)

obligations contains {"type": "mitigation", "kind": "throttle", "scope": "tenant", "maxConcurrentRuns": throttle_limit_setting} if {
	input.action == "ramp.rollback"
	known_breach
	"receipt_backlog" in rollback_reasons
	throttle_limit_setting > 0
}

# Throttles: while one is active, a start is refused when the tenant already has
# the throttle's number of runs pending or running.
throttle_limits := {t.maxConcurrentRuns | some t in object.get(facts, ["throttles"], [])}

running_runs := object.get(input, ["tenant", "usage", "concurrentRuns"], 0)

deny contains lib.reason(
	"throttled",
	sprintf("the tenant is throttled to %v running runs and has %v", [min(throttle_limits), running_runs]),
) if {
	input.action in start_actions
	count(throttle_limits) > 0
	running_runs >= min(throttle_limits)
}

# Freeze windows and break-glass

privileged if input.action in frozen_actions

privileged if {
	input.action == "tenant.update"
	some f in input.request.fields
	f in frozen_fields
}

freeze_active if facts.freeze.active == true

covering contains g.id if {
	some g in object.get(facts, ["breakGlass"], [])
	g.state == "open"
	input.action in g.actions
}

deny contains lib.reason(
	"freeze_active",
	sprintf("freeze window %v is active until %v; %v needs an open break-glass grant", [facts.freeze.window, facts.freeze.until, input.action]),
) if {
	privileged
	freeze_active
	count(covering) == 0
}

deny contains lib.reason(
	"break_glass_expired",
	sprintf("break-glass grant %v is %v", [facts.breakGlassNamed.id, facts.breakGlassNamed.state]),
) if {
	facts.breakGlassNamed.state != "open"
}

obligations contains {"type": "break_glass_used", "grant": min(covering), "action": input.action} if {
	privileged
	freeze_active
	count(covering) > 0
}

# Opening a grant: whether a second person must approve it before it lets
# anything through. The regulated profile requires one unless its settings say
# otherwise; every other profile only when its settings say so.
second_approver_required if lib.setting(["break_glass", "second_approver"], input.tenant.profile == "regulated")

obligations contains {"type": "break_glass_approval", "required": true} if {
	input.action == "breakglass.open"
	second_approver_required
}

deny_codes := {r.code | some r in deny}
