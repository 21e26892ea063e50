"""Live tests need a server: MAESTRO_URL, MAESTRO_TOKEN (a tenant token that may author, publish,
run and read receipts) and MAESTRO_WORKER_TOKEN (a ``worker`` token holding queue ``py-sdk``).
Without them the live tests are skipped with one line; under CI=true they fail instead."""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from maestro import Client  # noqa: E402

LIVE_ENV = ("MAESTRO_URL", "MAESTRO_TOKEN", "MAESTRO_WORKER_TOKEN")


def _live_or_skip():
    missing = [v for v in LIVE_ENV if not os.environ.get(v)]
    if missing:
        why = "live server tests need " + ", ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but " + why, pytrace=False)
        pytest.skip(why)


@pytest.fixture(scope="session")
def url():
    _live_or_skip()
    return os.environ["MAESTRO_URL"]


@pytest.fixture(scope="session")
def admin(url):
    return Client(url, os.environ["MAESTRO_TOKEN"])


@pytest.fixture(scope="session")
def worker_client(url):
    return Client(url, os.environ["MAESTRO_WORKER_TOKEN"])
