"""An example Python worker: serves queue ``python`` (MAESTRO_QUEUE) and describes a number.

    MAESTRO_URL=http://127.0.0.1:8080 MAESTRO_TOKEN=<worker token> \\
        PYTHONPATH=sdks/python python3 sdks/python/examples/worker.py

Input ``{"total": <integer>}``; outputs ``{"parity": "even"|"odd", "square": n*n, "worker": id}``.
Stops gracefully on SIGTERM or Ctrl-C.
"""

import logging
import os
import sys

from maestro import Client, TaskFailure, Worker


def describe(task):
    total = (task.input or {}).get("total")
    if not isinstance(total, int) or isinstance(total, bool):
        raise TaskFailure.permanent(f"input.total must be an integer, got {total!r}")
    return {"parity": "even" if total % 2 == 0 else "odd", "square": total * total,
            "worker": IDENTITY}


IDENTITY = os.environ.get("MAESTRO_WORKER_ID", "python-example-1")

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(name)s %(levelname)s %(message)s")
    queue = os.environ.get("MAESTRO_QUEUE", "python")
    client = Client(os.environ.get("MAESTRO_URL", "http://127.0.0.1:8080"),
                    os.environ["MAESTRO_TOKEN"])
    worker = Worker(client, [queue], describe, identity=IDENTITY, concurrency=2, poll_wait=5)
    print(f"python worker {IDENTITY} polling {queue}", flush=True)
    worker.run_until_signal()
    print(f"python worker {IDENTITY} stopped after {worker.completed} task(s)", flush=True)
    sys.exit(0)
