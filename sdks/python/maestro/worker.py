"""The worker runtime: polls queues, runs a handler per task, heartbeats, reports the outcome.

``handler(task)`` receives a ``Task`` and returns the outputs (any JSON value; None is ``{}``).
Raising ``TaskFailure`` fails the task (``TaskFailure.permanent`` for good); any other exception
fails it as retryable. Delivery is at least once: a lease that runs out is redelivered with the
same ``idempotency_key``, so handlers should be idempotent. ``task.lost`` is set when the lease was
lost (another worker holds the task now) or when the worker stops past its grace period: a
long-running handler should check it and give up, since its report would be refused.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from typing import Any, Callable, Optional

from .client import ApiError, Client, WorkerTask

LOG = logging.getLogger("maestro.worker")


class TaskFailure(Exception):
    """Fails the task; ``retryable`` failures go to the task's retry policy."""

    def __init__(self, message: str, retryable: bool = True):
        super().__init__(message)
        self.retryable = retryable

    @classmethod
    def permanent(cls, message: str) -> "TaskFailure":
        return cls(message, retryable=False)


class Task:
    """A leased task and its cancellation flag (``lost``)."""

    def __init__(self, leased: WorkerTask):
        self.leased = leased
        self.lost = threading.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.leased, name)


Handler = Callable[[Task], Any]


class Worker:
    """``Worker(client, ["billing"], handler, identity="billing-1", concurrency=4).start()``.

    Use it as a context manager, or ``run_until_signal()`` in a process of its own.
    """

    def __init__(self, client: Client, queues: list[str] | str, handler: Handler,
                 identity: Optional[str] = None, concurrency: int = 1, poll_wait: int = 20,
                 heartbeat_every: float = 10.0, grace: float = 30.0):
        if isinstance(queues, str):
            queues = [queues]
        if not queues:
            raise ValueError("at least one queue")
        if concurrency < 1 or concurrency > 100:
            raise ValueError("concurrency must be from 1 to 100")
        if poll_wait < 0 or poll_wait > 30:
            raise ValueError("poll_wait must be from 0 to 30 s")
        self.client = client
        self.queues = list(queues)
        self.handler = handler
        self.identity = identity or f"{socket.gethostname()}-{os.getpid()}"
        self.concurrency = concurrency
        self.poll_wait = poll_wait
        self.heartbeat_every = heartbeat_every
        self.grace = grace
        self.completed = 0
        self.failed = 0
        self._slots = threading.Semaphore(concurrency)
        self._lock = threading.Lock()
        self._in_flight: dict[str, tuple[Task, threading.Thread]] = {}
        self._stopping = threading.Event()
        self._poller: Optional[threading.Thread] = None
        self._heartbeater: Optional[threading.Thread] = None

    def start(self) -> "Worker":
        if self._poller is not None:
            raise RuntimeError("already started")
        self._poller = threading.Thread(target=self._poll_loop, name="maestro-poll", daemon=True)
        self._heartbeater = threading.Thread(target=self._heartbeats, name="maestro-heartbeat",
                                             daemon=True)
        self._poller.start()
        self._heartbeater.start()
        LOG.info("worker %s polling %s", self.identity, ", ".join(self.queues))
        return self

    def stop(self) -> None:
        """Stops polling, lets tasks in flight finish within the grace period, then sets the
        ``lost`` flag of the rest (their leases expire and the server redelivers them)."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        if self._poller is not None:
            self._poller.join(self.grace)
        for task, thread in list(self._in_flight.values()):
            thread.join(self.grace)
            if thread.is_alive():
                task.lost.set()
        if self._heartbeater is not None:
            self._heartbeater.join(1)

    def __enter__(self) -> "Worker":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def run_until_signal(self) -> None:
        """Starts, then stops gracefully on SIGTERM or SIGINT (call from the main thread)."""
        done = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: done.set())
        self.start()
        while not done.wait(0.5):
            pass
        LOG.info("worker %s stopping", self.identity)
        self.stop()

    # -- internals ----------------------------------------------------------------------

    def _poll_loop(self) -> None:
        while not self._stopping.is_set():
            if not self._slots.acquire(timeout=0.5):
                continue
            free = 1
            while free < self.concurrency and self._slots.acquire(blocking=False):
                free += 1
            try:
                tasks = self.client.poll(self.identity, self.queues, free, self.poll_wait)
            except ApiError as e:
                LOG.warning("poll refused: %s", e)
                tasks = []
                self._stopping.wait(1.0)
            except OSError as e:
                LOG.warning("poll failed: %s", e)
                tasks = []
                self._stopping.wait(1.0)
            for _ in range(free - len(tasks)):
                self._slots.release()
            # Tasks leased by a poll that was under way when stop() came are still run: failing
            # them would spend a retry, and dropping them would delay them by a whole lease.
            for leased in tasks:
                task = Task(leased)
                thread = threading.Thread(target=self._run, args=(task,), daemon=True,
                                          name="maestro-task-" + leased.task_id)
                with self._lock:
                    self._in_flight[leased.task_id] = (task, thread)
                thread.start()

    def _run(self, task: Task) -> None:
        tid = task.leased.task_id
        try:
            try:
                outputs = self.handler(task)
            except TaskFailure as f:
                self._report_failure(task, str(f), f.retryable)
                return
            except Exception as e:  # noqa: BLE001 - any handler error is the task's failure
                self._report_failure(task, f"{type(e).__name__}: {e}", True)
                return
            if task.lost.is_set():
                return
            try:
                self.client.complete(tid, self.identity, {} if outputs is None else outputs,
                                     traceparent=task.leased.traceparent)
                with self._lock:
                    self.completed += 1
            except ApiError as e:
                LOG.warning("task %s not completed: %s", tid, e)
                if e.code in ("worker_output_invalid", "worker_output_too_large"):
                    # The lease is kept after a refused completion: say why, for good.
                    self._report_failure(task, f"{e.code}: {e.detail}", False)
        except (ApiError, OSError) as e:
            LOG.warning("task %s not reported: %s", tid, e)
        finally:
            with self._lock:
                self._in_flight.pop(tid, None)
            self._slots.release()

    def _report_failure(self, task: Task, error: str, retryable: bool) -> None:
        if task.lost.is_set():
            return
        self.client.fail(task.leased.task_id, self.identity, error, retryable,
                         traceparent=task.leased.traceparent)
        with self._lock:
            self.failed += 1

    def _heartbeats(self) -> None:
        # Runs until the worker stopped and no task is in flight: while stopping, the tasks that
        # are finishing keep their leases.
        while True:
            deadline = time.monotonic() + self.heartbeat_every
            while time.monotonic() < deadline:
                if self._stopping.is_set() and not self._in_flight:
                    return
                time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
            with self._lock:
                tasks = [t for t, _ in self._in_flight.values()]
            for task in tasks:
                try:
                    self.client.heartbeat(task.leased.task_id)
                except ApiError as e:
                    if e.code == "worker_task_not_held":
                        # Another worker holds it now, or the run ended: stop working on it.
                        task.lost.set()
                except OSError as e:
                    LOG.debug("heartbeat failed for %s: %s", task.leased.task_id, e)
