"""The CLI's own checks, without a server."""

import json
import os
import subprocess
import sys
from pathlib import Path

import maestro

SDK_ROOT = Path(__file__).resolve().parents[1]
CORPUS = SDK_ROOT.parent / "contract" / "manifests"


def cli(*args, env_extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAESTRO_")}
    env["PYTHONPATH"] = str(SDK_ROOT)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "maestro", *args], env=env,
                          capture_output=True, text=True, timeout=60)


def test_validate_accepts_a_valid_manifest(tmp_path):
    f = tmp_path / "m.json"
    f.write_text(json.dumps(json.loads((CORPUS / "valid-two-workers.json").read_text())["manifest"]))
    r = cli("validate", str(f))
    assert (r.returncode, r.stdout.strip()) == (0, f"{f}: valid")


def test_validate_lists_every_problem_and_exits_1(tmp_path):
    f = tmp_path / "m.json"
    case = json.loads((CORPUS / "invalid-needs.json").read_text())
    f.write_text(json.dumps(case["manifest"]))
    r = cli("validate", str(f))
    assert r.returncode == 1
    assert len(r.stderr.strip().splitlines()) == len(case["errors"])


def test_run_without_a_token_is_a_usage_error():
    r = cli("run", "anything")
    assert r.returncode == 2
    assert r.stderr.strip() == "maestro: no token: pass --token or set MAESTRO_TOKEN"


def test_bad_input_is_a_usage_error():
    r = cli("run", "wf", "--token", "t", "--input", "novalue")
    assert (r.returncode, r.stderr.strip()) == (2, "maestro: --input takes key=value, got 'novalue'")


def test_unreachable_server_is_one_line():
    r = cli("status", "r1", "--token", "t", "--url", "http://127.0.0.1:9")
    assert r.returncode == 1
    assert r.stderr.startswith("maestro: cannot reach the server:")
    assert len(r.stderr.strip().splitlines()) == 1


def test_version_is_the_package_version():
    r = cli("--version")
    assert r.stdout.strip() == maestro.__version__
