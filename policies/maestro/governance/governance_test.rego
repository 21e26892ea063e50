package maestro.governance_test

import data.maestro.authz
import data.maestro.governance

ramp10 := {"workflow": "hello", "version": "2", "action": "workflow.run", "percent": 10, "step": 3}

start(wf, facts) := {
	"action": "workflow.run",
	"actor": {"sub": "ops@acme", "roles": ["operator"], "tenant": "acme"},
	"tenant": {"id": "acme", "profile": "internal-default"},
	"resource": {"type": "workflow", "tenant": "acme"},
	"request": {"workflow": wf},
	"governance": facts,
}

hello2(bucket) := {"name": "hello", "version": "2", "bucket": bucket, "taskTypes": ["http", "log"]}

test_inside_ramp_admitted_with_step if {
	inp := start(hello2(9.99), {"ramps": [ramp10]})
	count(governance.deny) == 0 with input as inp
	governance.obligations == {{"type": "ramp_admitted", "workflow": "hello", "version": "2", "percent": 10, "step": 3, "bucket": 9.99}} with input as inp
}

test_outside_ramp_excluded_with_percentage if {
	denials := governance.deny with input as start(hello2(10), {"ramps": [ramp10]})
	denials == {{"code": "ramp_excluded", "message": "the ramp of hello@2 admits 10% of starts; this start falls in bucket 10"}}
}

test_missing_bucket_is_excluded if {
	governance.deny_codes == {"ramp_excluded"} with input as start({"name": "hello", "version": "2"}, {"ramps": [ramp10]})
}

test_version_rule_wins_over_general_rule if {
	general := {"workflow": "hello", "version": "", "action": "workflow.run", "percent": 0, "step": 1}
	count(governance.deny) == 0 with input as start(hello2(5), {"ramps": [ramp10, general]})
	governance.deny_codes == {"ramp_excluded"} with input as start({"name": "hello", "version": "1", "bucket": 5}, {"ramps": [ramp10, general]})
}

test_general_rule_message_names_workflow if {
	general := {"workflow": "hello", "version": "", "action": "workflow.run", "percent": 0, "step": 1}
	denials := governance.deny with input as start(hello2(0), {"ramps": [general]})
	denials == {{"code": "ramp_excluded", "message": "the ramp of hello admits 0% of starts; this start falls in bucket 0"}}
}

test_other_workflows_and_actions_unramped if {
	count(governance.deny) == 0 with input as start({"name": "other", "version": "1", "bucket": 99}, {"ramps": [ramp10]})
	count(governance.deny) == 0 with input as object.union(start(hello2(99), {"ramps": [ramp10]}), {"action": "workflow.read"})
}

test_hundred_percent_admits_everything if {
	all := object.union(ramp10, {"percent": 100})
	count(governance.deny) == 0 with input as start(hello2(99.99), {"ramps": [all]})
}

switch(scope, target, version) := {"id": "ks-1", "scope": scope, "target": target, "version": version, "tenant": "acme"}

test_kill_switch_scopes_match if {
	every k in [switch("global", "", ""), switch("tenant", "", ""), switch("workflow", "hello", ""), switch("version", "hello", "2"), switch("task_type", "http", "")] {
		governance.deny_codes == {"kill_switch_active"} with input as start(hello2(1), {"killSwitches": [k]})
	}
}

test_kill_switch_message if {
	denials := governance.deny with input as start(hello2(1), {"killSwitches": [switch("workflow", "hello", "")]})
	denials == {{"code": "kill_switch_active", "message": "kill switch ks-1 stops this start"}}
}

test_kill_switches_that_do_not_match if {
	every k in [switch("workflow", "other", ""), switch("version", "hello", "1"), switch("task_type", "exec", "")] {
		count(governance.deny) == 0 with input as start(hello2(1), {"killSwitches": [k]})
	}
}

test_kill_switch_does_not_stop_reads if {
	count(governance.deny) == 0 with input as object.union(start(hello2(1), {"killSwitches": [switch("global", "", "")]}), {"action": "run.read"})
}

test_global_switch_needs_platform_role if {
	inp := object.union(start(hello2(1), {}), {"action": "workflow.kill", "request": {"scope": "global"}})
	governance.deny_codes == {"kill_switch_scope_not_permitted"} with input as inp
	count(governance.deny) == 0 with input as object.union(inp, {"actor": {"roles": ["conductor_admin"]}})
}

frozen := {"freeze": {"active": true, "window": "fz-1", "until": "2026-12-07T15:00:00Z"}, "breakGlass": []}

publish(facts) := object.union(start(hello2(1), facts), {"action": "workflow.publish"})

test_freeze_denies_publish if {
	denials := governance.deny with input as publish(frozen)
	denials == {{"code": "freeze_active", "message": "freeze window fz-1 is active until 2026-12-07T15:00:00Z; workflow.publish needs an open break-glass grant"}}
}

test_no_freeze_no_denial if {
	count(governance.deny) == 0 with input as publish({"freeze": {"active": false}})
	count(governance.deny) == 0 with input as publish({})
}

test_freeze_denies_quota_change_only if {
	upd := object.union(publish(frozen), {"action": "tenant.update", "request": {"fields": ["quota"]}})
	governance.deny_codes == {"freeze_active"} with input as upd
	count(governance.deny) == 0 with input as object.union(upd, {"request": {"fields": ["name"]}})
}

test_freeze_leaves_runs_alone if {
	count(governance.deny) == 0 with input as start(hello2(1), frozen)
}

test_open_grant_lets_named_action_through if {
	facts := object.union(frozen, {"breakGlass": [{"id": "bg-1", "state": "open", "actions": ["workflow.publish"]}]})
	count(governance.deny) == 0 with input as publish(facts)
	governance.obligations == {{"type": "break_glass_used", "grant": "bg-1", "action": "workflow.publish"}} with input as publish(facts)
}

test_grant_for_other_action_or_unapproved_does_not_help if {
	other := object.union(frozen, {"breakGlass": [{"id": "bg-1", "state": "open", "actions": ["ramp.write"]}]})
	governance.deny_codes == {"freeze_active"} with input as publish(other)
	waiting := object.union(frozen, {"breakGlass": [{"id": "bg-1", "state": "awaiting_approval", "actions": ["workflow.publish"]}]})
	governance.deny_codes == {"freeze_active"} with input as publish(waiting)
}

test_named_expired_grant_refused if {
	facts := object.union(frozen, {"breakGlassNamed": {"id": "bg-9", "state": "expired"}})
	governance.deny_codes == {"freeze_active", "break_glass_expired"} with input as publish(facts)
	count(governance.deny) == 0 with input as publish({"breakGlassNamed": {"id": "bg-9", "state": "open"}})
}

test_regulated_requires_second_approver if {
	inp := object.union(publish({}), {"action": "breakglass.open", "tenant": {"profile": "regulated"}})
	governance.obligations == {{"type": "break_glass_approval", "required": true}} with input as inp
	count(governance.obligations) == 0 with input as object.union(inp, {"tenant": {"profile": "internal-default"}})
}

test_authz_combines_governance_reasons if {
	d := authz.decision with input as start(hello2(50), {"ramps": [ramp10]})
	d.allow == false
	{r.code | some r in d.reasons} == {"ramp_excluded"}
}

test_authz_passes_ramp_obligation if {
	d := authz.decision with input as start(hello2(5), {"ramps": [ramp10]})
	d.allow == true
	d.obligations == [{"type": "ramp_admitted", "workflow": "hello", "version": "2", "percent": 10, "step": 3, "bucket": 5}]
}

rollback(from, to) := {
	"action": "ramp.rollback",
	"actor": {"sub": "system:rollback-controller", "roles": [], "tenant": "acme", "via": "system"},
	"tenant": {"id": "acme", "profile": "internal-default"},
	"request": {"workflow": "hello", "version": "2", "from": from, "to": to, "breach": {"reasons": ["error_rate"]}},
	"governance": frozen,
}

with_reasons(reasons) := object.union(rollback(10, 0), {"request": {"breach": {"reasons": reasons}}})

test_rollback_on_each_breach_reason if {
	every r in ["error_rate", "slo_burn", "receipt_backlog"] {
		count(governance.deny) == 0 with input as with_reasons([r])
	}
	count(governance.deny) == 0 with input as with_reasons(["error_rate", "slo_burn", "receipt_backlog"])
}

test_rollback_without_a_known_breach_is_refused if {
	governance.deny_codes == {"rollback_breach_unknown"} with input as with_reasons([])
	governance.deny_codes == {"rollback_breach_unknown"} with input as with_reasons(["error_rate", "boredom"])
	governance.deny_codes == {"rollback_breach_unknown"} with input as object.remove(rollback(10, 0), ["request"])
}

test_rollback_lowers_even_during_a_freeze if {
	count(governance.deny) == 0 with input as rollback(10, 0)
}

test_rollback_never_raises if {
	governance.deny_codes == {"rollback_must_lower"} with input as rollback(10, 50)
	governance.deny_codes == {"rollback_must_lower"} with input as rollback(10, 10)
}

unpinned(bucket, stable) := object.union(hello2(bucket), {"pinned": false, "stable": stable})

test_unpinned_start_outside_ramp_is_routed_to_stable if {
	inp := start(unpinned(57.31, "1"), {"ramps": [ramp10]})
	count(governance.deny) == 0 with input as inp
	governance.obligations == {{"type": "ramp_routed", "reason": "ramp_excluded", "workflow": "hello", "from": "2", "to": "1", "percent": 10, "step": 3, "bucket": 57.31}} with input as inp
}

test_unpinned_start_inside_ramp_is_admitted_not_routed if {
	inp := start(unpinned(3, "1"), {"ramps": [ramp10]})
	governance.obligations == {{"type": "ramp_admitted", "workflow": "hello", "version": "2", "percent": 10, "step": 3, "bucket": 3}} with input as inp
}

test_pinned_start_outside_ramp_is_excluded if {
	pinned := object.union(hello2(57.31), {"pinned": true, "stable": "1"})
	governance.deny_codes == {"ramp_excluded"} with input as start(pinned, {"ramps": [ramp10]})
}

test_unpinned_start_without_stable_version_is_excluded if {
	governance.deny_codes == {"ramp_excluded"} with input as start(object.union(hello2(57.31), {"pinned": false}), {"ramps": [ramp10]})
}

test_general_ramp_is_never_routed if {
	general := {"workflow": "hello", "version": "", "action": "workflow.run", "percent": 10, "step": 1}
	governance.deny_codes == {"ramp_excluded"} with input as start(unpinned(57.31, "1"), {"ramps": [general]})
}

pause(scope, version) := {"id": "ks-p", "scope": scope, "target": "hello", "version": version, "tenant": "acme", "mode": "pause"}

test_pause_holds_starts_with_its_own_code if {
	denials := governance.deny with input as start(hello2(1), {"killSwitches": [pause("workflow", "")]})
	denials == {{"code": "workflow_paused", "message": "kill switch ks-p pauses this workflow; its running runs are paused and new starts wait for its release"}}
}

test_pause_of_the_workflow_holds_unpinned_starts_too if {
	governance.deny_codes == {"workflow_paused"} with input as start(unpinned(1, "1"), {"killSwitches": [pause("workflow", "")]})
}

test_pause_of_a_version_routes_unpinned_starts_to_stable if {
	inp := start(unpinned(1, "1"), {"killSwitches": [pause("version", "2")]})
	count(governance.deny) == 0 with input as inp
	governance.obligations == {{"type": "ramp_routed", "reason": "workflow_paused", "workflow": "hello", "from": "2", "to": "1", "switches": ["ks-p"], "bucket": 1}} with input as inp
	governance.deny_codes == {"workflow_paused"} with input as start(object.union(hello2(1), {"pinned": true, "stable": "1"}), {"killSwitches": [pause("version", "2")]})
}

test_drain_switch_without_mode_is_still_a_kill_switch if {
	governance.deny_codes == {"kill_switch_active"} with input as start(hello2(1), {"killSwitches": [object.union(pause("workflow", ""), {"mode": "drain"})]})
}

mitigations(inp) := {o | some o in governance.obligations with input as inp; o.type == "mitigation"}

test_slo_burn_pauses_the_canary_version if {
	mitigations(with_reasons(["slo_burn"])) == {{"type": "mitigation", "kind": "pause", "scope": "version", "workflow": "hello", "version": "2"}}
	mitigations(with_reasons(["error_rate"])) == set()
}

test_a_profile_turns_the_mitigations_off if {
	inp := object.union(with_reasons(["slo_burn", "receipt_backlog"]), {"tenant": {"profile": "calm"}})
	profiles := {"calm": {"settings": {"mitigations": {"pause_on_slo_burn": false, "throttle_max_concurrent_runs": 0}}}}
	ms := {o | some o in governance.obligations with input as inp with data.maestro.profiles.calm as profiles.calm; o.type == "mitigation"}
	ms == set()
}

test_receipt_backlog_throttles_the_tenant if {
	mitigations(with_reasons(["receipt_backlog"])) == {{"type": "mitigation", "kind": "throttle", "scope": "tenant", "maxConcurrentRuns": 2}}
}

test_no_mitigation_for_an_unknown_breach if {
	mitigations(with_reasons(["receipt_backlog", "boredom"])) == set()
}

test_throttle_refuses_starts_at_its_limit if {
	inp := start(hello2(1), {"throttles": [{"id": "th_1", "maxConcurrentRuns": 2}, {"id": "th_2", "maxConcurrentRuns": 3}]})
	denials := governance.deny with input as object.union(inp, {"tenant": {"usage": {"concurrentRuns": 2}}})
	denials == {{"code": "throttled", "message": "the tenant is throttled to 2 running runs and has 2"}}
	count(governance.deny) == 0 with input as object.union(inp, {"tenant": {"usage": {"concurrentRuns": 1}}})
	count(governance.deny) == 0 with input as start(hello2(1), {"throttles": []})
}

test_ramp_and_pause_route_a_start_once if {
	inp := start(unpinned(57.31, "1"), {"ramps": [ramp10], "killSwitches": [pause("version", "2")]})
	count(governance.deny) == 0 with input as inp
	[o.reason | some o in governance.obligations with input as inp] == ["ramp_excluded"]
}

# Running runs under a pause: each run is paused and resumed under its own decision.

run_control(action, wf, killswitch, facts) := {
	"action": action,
	"actor": {"sub": "system:kill-switch", "roles": [], "tenant": "acme", "via": "system"},
	"tenant": {"id": "acme", "profile": "internal-default"},
	"resource": {"type": "run", "id": "run_1", "tenant": "acme"},
	"request": {"workflow": wf, "killSwitch": killswitch},
	"governance": facts,
}

test_pause_switch_pauses_the_runs_it_matches if {
	every k in [pause("workflow", ""), pause("version", "2"), object.union(switch("tenant", "", ""), {"mode": "pause"}), object.union(switch("task_type", "http", ""), {"mode": "pause", "id": "ks-p"})] {
		inp := run_control("run.pause", hello2(1), "ks-p", {"killSwitches": [object.union(k, {"id": "ks-p"})]})
		count(governance.deny) == 0 with input as inp
		authz.decision.allow with input as inp
	}
}

test_run_pause_refused_without_a_matching_pause_switch if {
	denials := governance.deny with input as run_control("run.pause", hello2(1), "ks-p", {"killSwitches": [pause("version", "1")]})
	denials == {{"code": "run_pause_unmatched", "message": "no active kill switch in pause mode named ks-p matches hello@2"}}
	governance.deny_codes == {"run_pause_unmatched"} with input as run_control("run.pause", hello2(1), "ks-p", {"killSwitches": [object.union(pause("workflow", ""), {"mode": "drain"})]})
	governance.deny_codes == {"run_pause_unmatched"} with input as run_control("run.pause", hello2(1), "ks-other", {"killSwitches": [pause("workflow", "")]})
	governance.deny_codes == {"run_pause_unmatched"} with input as run_control("run.pause", hello2(1), "ks-p", {})
}

test_run_resumes_once_no_pause_switch_matches if {
	count(governance.deny) == 0 with input as run_control("run.resume", hello2(1), "ks-p", {"killSwitches": []})
	count(governance.deny) == 0 with input as run_control("run.resume", hello2(1), "ks-p", {"killSwitches": [pause("version", "1"), switch("workflow", "hello", "")]})
	authz.decision.allow with input as run_control("run.resume", hello2(1), "ks-p", {"killSwitches": []})
}

test_run_stays_paused_while_another_pause_switch_matches if {
	other := object.union(switch("tenant", "", ""), {"id": "ks-t", "mode": "pause"})
	denials := governance.deny with input as run_control("run.resume", hello2(1), "ks-p", {"killSwitches": [other]})
	denials == {{"code": "run_still_paused", "message": "kill switch ks-t still pauses hello@2"}}
}

test_people_do_not_pause_runs_directly if {
	system := run_control("run.pause", hello2(1), "ks-p", {"killSwitches": [pause("workflow", "")]})
	inp := json.patch(system, [{"op": "replace", "path": "/actor", "value": {"sub": "ops@acme", "roles": ["operator"], "tenant": "acme"}}])
	authz.decision.allow with input as system
	not authz.decision.allow with input as inp
}
