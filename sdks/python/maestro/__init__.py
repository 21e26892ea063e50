"""Maestro Conductor's Python SDK: manifest models and validator, API client, worker runtime.

The version is the server's (the Maven project version); a test in the Maven build checks it.
"""

from .client import ApiError, Client, RunRef, WorkerTask
from .manifest import ManifestInvalid, Problem, Workflow, validate
from .worker import Task, TaskFailure, Worker

__version__ = "0.1.0-SNAPSHOT"

__all__ = [
    "ApiError", "Client", "ManifestInvalid", "Problem", "RunRef", "Task", "TaskFailure",
    "Worker", "WorkerTask", "Workflow", "validate", "__version__",
]
