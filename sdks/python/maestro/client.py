"""A small client for the Maestro HTTP API on the standard library (urllib).

Every call sends the bearer token; an answer that is not a success raises ``ApiError`` with the
problem's stable ``code`` (docs/api/errors.md) and, for policy denials, the reason codes.
One instance may be shared by threads: it keeps no per-request state.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Optional

from pydantic import BaseModel


class ApiError(Exception):
    """A problem answer (RFC 9457) from the server."""

    def __init__(self, status: int, code: str, detail: str, reasons: list[str], body: Any):
        super().__init__(f"{status} {code}: {detail}" if detail else f"{status} {code}")
        self.status = status
        self.code = code
        self.detail = detail
        self.reasons = reasons
        self.body = body


class RunRef(BaseModel):
    """The run a start created (``created``), or found again for the same idempotency key."""

    id: str
    created: bool = True


class WorkerTask(BaseModel):
    """A leased task, as ``POST /api/worker/poll`` answers it."""

    task_id: str
    queue: str
    run_id: str
    step_id: str
    workflow: str
    attempt: int
    delivery: int
    idempotency_key: str
    input: Any = None
    lease_until: str
    #: The run's W3C trace context when the server traces (None otherwise): continue it in your
    #: tracer; the worker reports the outcome under it.
    traceparent: Optional[str] = None


class Client:
    """``Client("http://127.0.0.1:8080", token)``; ``timeout`` is per request, in seconds."""

    def __init__(self, base_url: str, token: str, timeout: float = 30.0):
        if not token:
            raise ValueError("a token is required")
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    # -- workflows and runs --------------------------------------------------------------

    def put_workflow(self, name: str, version: str, manifest: Any) -> dict:
        """Saves a draft version; ``manifest`` is YAML/JSON text or a dict (sent as JSON)."""
        if isinstance(manifest, str):
            body, ctype = manifest.encode(), "application/yaml"
        else:
            body, ctype = json.dumps(manifest).encode(), "application/json"
        return self._send("PUT", f"/api/workflows/{_q(name)}/versions/{_q(version)}",
                          raw=body, content_type=ctype)

    def publish(self, name: str, version: str) -> dict:
        return self._send("POST", f"/api/workflows/{_q(name)}/versions/{_q(version)}/publish",
                          body={})

    def start_run(self, workflow: str, inputs: Optional[dict] = None,
                  idempotency_key: Optional[str] = None) -> RunRef:
        """Starts a published workflow (``POST /api/runs``)."""
        body: dict[str, Any] = {"workflow": workflow, "inputs": inputs or {}}
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        r = self._send("POST", "/api/runs", body=body, headers=headers)
        return RunRef(id=r["id"], created=bool(r.get("created", True)))

    def run(self, run_id: str) -> dict:
        """The run with its steps (``GET /api/runs/{id}``)."""
        return self._send("GET", f"/api/runs/{_q(run_id)}")

    def cancel(self, run_id: str) -> dict:
        return self._send("POST", f"/api/runs/{_q(run_id)}/cancel", body={})

    def receipts(self, **query: Any) -> list[dict]:
        """Receipts (``GET /api/receipts``), e.g. ``receipts(type="step.completed", limit=100)``."""
        qs = urllib.parse.urlencode(query)
        return self._send("GET", "/api/receipts" + ("?" + qs if qs else "")).get("receipts", [])

    # -- workers ------------------------------------------------------------------------

    def poll(self, worker: str, queues: list[str], max_tasks: int = 1,
             wait_seconds: int = 30) -> list[WorkerTask]:
        """Leases up to ``max_tasks`` tasks, waiting up to ``wait_seconds`` (0..30) for one."""
        r = self._send("POST", "/api/worker/poll",
                       body={"worker": worker, "queues": queues, "max_tasks": max_tasks,
                             "wait_seconds": wait_seconds},
                       timeout=wait_seconds + self.timeout)
        return [WorkerTask.parse_obj(t) for t in r.get("tasks", [])]

    def heartbeat(self, task_id: str) -> str:
        """Extends the task's lease; returns its new end (ISO-8601)."""
        return self._send("POST", f"/api/worker/tasks/{_q(task_id)}/heartbeat",
                          body={})["lease_until"]

    def complete(self, task_id: str, worker: str, outputs: Any,
                 traceparent: Optional[str] = None) -> str:
        """Completes the task; returns the step's status. ``traceparent`` (the task's) puts the
        server's span of the report into the run's trace."""
        return self._send("POST", f"/api/worker/tasks/{_q(task_id)}/complete",
                          body={"worker": worker, "outputs": outputs},
                          headers=_trace(traceparent))["step_status"]

    def fail(self, task_id: str, worker: str, error: str, retryable: bool = True,
             traceparent: Optional[str] = None) -> str:
        """Fails the task; a retryable failure goes to the task's retry policy."""
        return self._send("POST", f"/api/worker/tasks/{_q(task_id)}/fail",
                          body={"worker": worker, "error": error, "retryable": retryable},
                          headers=_trace(traceparent))["step_status"]

    # -- transport ----------------------------------------------------------------------

    def _send(self, method: str, path: str, body: Any = None, raw: Optional[bytes] = None,
              content_type: str = "application/json", headers: Optional[dict] = None,
              timeout: Optional[float] = None) -> Any:
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        req = urllib.request.Request(self.base_url + path, data=data, method=method)
        req.add_header("Authorization", "Bearer " + self.token)
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", content_type)
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=timeout or self.timeout) as resp:
                text = resp.read()
                return json.loads(text) if text else {}
        except urllib.error.HTTPError as e:
            text = e.read()
            try:
                problem = json.loads(text) if text else {}
            except ValueError:
                problem = {"detail": text.decode(errors="replace")}
            if not isinstance(problem, dict):
                problem = {}
            reasons = [r.get("code", "") for r in problem.get("reasons", []) if isinstance(r, dict)]
            raise ApiError(e.code, problem.get("code") or f"http_{e.code}",
                           problem.get("detail", ""), reasons, problem) from None


def _trace(traceparent: Optional[str]) -> Optional[dict]:
    return {"traceparent": traceparent} if traceparent else None


def _q(segment: str) -> str:
    return urllib.parse.quote(str(segment), safe="")
