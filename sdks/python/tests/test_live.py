"""The client, the worker runtime and the CLI against a live server (see conftest.py)."""

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from maestro import ApiError, TaskFailure, Worker, Workflow, validate

QUEUE = "py-sdk"
SDK_ROOT = Path(__file__).resolve().parents[1]


def publish(admin, tasks, inputs=None):
    name = "py-sdk-" + uuid.uuid4().hex[:10]
    wf = Workflow(metadata={"name": name, "version": "1"},
                  spec={"inputs": inputs or {"type": "object", "properties": {
                      "items": {"type": "array", "items": {"type": "integer"}}}},
                        "tasks": tasks})
    assert wf.validate_manifest() == []
    admin.put_workflow(name, "1", wf.to_dict())
    admin.publish(name, "1")
    return name


def await_end(admin, run_id, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run = admin.run(run_id)
        if run["status"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
            return run
        time.sleep(0.05)
    raise AssertionError(f"run {run_id} did not end: {admin.run(run_id)}")


def step(run, step_id):
    return next(s for s in run["steps"] if s["id"] == step_id)


SUM_TASK = {"id": "sum", "uses": "worker/" + QUEUE,
            "retry": {"max": 1, "backoff": "10ms", "on": ["platform"]},
            "with": {"input": {"items": "${{ inputs.items }}"},
                     "output_schema": {"type": "object", "required": ["total"],
                                       "properties": {"total": {"type": "integer"}}}}}


def test_worker_completes_a_step_and_the_receipt_names_it(admin, worker_client):
    name = publish(admin, [SUM_TASK])
    with Worker(worker_client, QUEUE, lambda t: {"total": sum(t.input["items"])},
                identity="py-test-1", concurrency=2, poll_wait=2) as w:
        run = await_end(admin, admin.start_run(name, {"items": [3, 4, 35]}).id)
        assert run["status"] == "SUCCEEDED", run
        assert step(run, "sum")["outputs"] == {"total": 42}
    # Counted once the completion's answer is back: stopping waits for the tasks in flight.
    assert w.completed == 1
    receipts = admin.receipts(type="step.completed", limit=500)
    mine = [r for r in receipts if f"{run['id']}/sum" in json.dumps(r.get("subject"))]
    assert mine, receipts[-3:]
    assert mine[-1]["payload"]["worker"] == "py-test-1"


def test_retryable_failure_is_retried_then_succeeds(admin, worker_client):
    name = publish(admin, [SUM_TASK])

    def flaky(task):
        if task.attempt == 1:
            raise RuntimeError("transient")
        return {"total": sum(task.input["items"])}

    with Worker(worker_client, QUEUE, flaky, identity="py-test-2", poll_wait=2) as w:
        run = await_end(admin, admin.start_run(name, {"items": [1, 2]}).id)
    assert run["status"] == "SUCCEEDED", run
    assert step(run, "sum")["attempt"] == 2
    assert (w.completed, w.failed) == (1, 1)


def test_permanent_failure_fails_the_run(admin, worker_client):
    name = publish(admin, [SUM_TASK])

    def refuse(task):
        raise TaskFailure.permanent("no sums today")

    with Worker(worker_client, QUEUE, refuse, identity="py-test-3", poll_wait=2):
        run = await_end(admin, admin.start_run(name, {"items": [1]}).id)
    assert run["status"] == "FAILED"
    assert "no sums today" in step(run, "sum")["error"]


def test_output_not_matching_the_schema_fails_for_good(admin, worker_client):
    name = publish(admin, [SUM_TASK])
    with Worker(worker_client, QUEUE, lambda t: {"total": "many"}, identity="py-test-4",
                poll_wait=2) as w:
        run = await_end(admin, admin.start_run(name, {"items": [1]}).id)
    assert run["status"] == "FAILED"
    assert "worker_output_invalid" in step(run, "sum")["error"]
    assert w.completed == 0


def test_heartbeat_then_second_completion_is_refused(admin, worker_client):
    name = publish(admin, [SUM_TASK])
    run_id = admin.start_run(name, {"items": [5]}).id
    tasks = []
    deadline = time.monotonic() + 30
    while not tasks and time.monotonic() < deadline:
        tasks = [t for t in worker_client.poll("py-test-5", [QUEUE], 1, 5) if t.run_id == run_id]
    assert tasks, "no task leased"
    task = tasks[0]
    assert (task.step_id, task.workflow, task.delivery) == ("sum", name, 1)
    assert worker_client.heartbeat(task.task_id) >= task.lease_until
    assert worker_client.complete(task.task_id, "py-test-5", {"total": 5}) == "SUCCEEDED"
    with pytest.raises(ApiError) as e:
        worker_client.complete(task.task_id, "py-test-5", {"total": 5})
    assert (e.value.status, e.value.code) == (409, "worker_task_not_held")
    assert await_end(admin, run_id)["status"] == "SUCCEEDED"


def test_poll_of_a_queue_not_held_is_denied(worker_client):
    with pytest.raises(ApiError) as e:
        worker_client.poll("py-test-6", ["somebody-else"], 1, 0)
    assert e.value.status == 403
    assert e.value.reasons == ["queue_not_granted"]


def test_server_refuses_what_the_validator_refuses_at_the_same_paths(admin):
    bad = {"apiVersion": "maestro/v1", "kind": "Workflow",
           "metadata": {"name": "py-sdk-bad", "version": "1"},
           "spec": {"tasks": [{"id": "a", "uses": "worker/" + QUEUE, "needs": ["b"]},
                              {"id": "b", "uses": "core/log", "needs": ["a"], "with": {}}]}}
    expected = sorted(p.path for p in validate(bad))
    assert expected == ["spec.tasks[0].needs", "spec.tasks[1].with"]
    with pytest.raises(ApiError) as e:
        admin.put_workflow("py-sdk-bad", "1", bad)
    assert (e.value.status, e.value.code) == (422, "manifest_invalid")
    assert sorted(x["path"] for x in e.value.body["errors"]) == expected


def cli(*args, token=None):
    env = dict(os.environ, PYTHONPATH=str(SDK_ROOT),
               MAESTRO_TOKEN=token or os.environ["MAESTRO_TOKEN"])
    return subprocess.run([sys.executable, "-m", "maestro", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_cli_runs_and_shows_a_run(admin, worker_client):
    name = publish(admin, [SUM_TASK])
    with Worker(worker_client, QUEUE, lambda t: {"total": sum(t.input["items"])},
                identity="py-test-7", poll_wait=2):
        r = cli("run", name, "--input", "items=[20, 22]", "--wait", "--timeout", "60")
    assert r.returncode == 0, r.stderr
    run_id, status = r.stdout.split()[:2]
    assert status == "SUCCEEDED"
    s = cli("status", run_id, "--json")
    assert s.returncode == 0, s.stderr
    assert step(json.loads(s.stdout), "sum")["outputs"] == {"total": 42}


def test_cli_refusal_is_one_line_and_exit_1(admin):
    r = cli("run", "no-such-workflow-" + uuid.uuid4().hex[:6])
    assert r.returncode == 1
    assert len(r.stderr.strip().splitlines()) == 1
    assert r.stderr.startswith("maestro: 404 ")
