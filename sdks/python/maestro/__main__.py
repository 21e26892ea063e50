"""``python -m maestro``: start runs, read them, check manifests.

  python -m maestro run WORKFLOW [--input k=v]... [--inputs JSON] [--wait] [--json]
  python -m maestro status RUN_ID [--json]
  python -m maestro validate FILE (JSON, or YAML when PyYAML is installed)

The server and token come from --url/--token or MAESTRO_URL/MAESTRO_TOKEN. A refusal prints one
line on stderr and exits 1; bad usage exits 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any, Optional

from . import __version__
from .client import ApiError, Client
from .manifest import validate

ENDED = ("SUCCEEDED", "FAILED", "CANCELLED")


def _client(args: argparse.Namespace) -> Client:
    token = args.token or os.environ.get("MAESTRO_TOKEN")
    if not token:
        raise _Usage("no token: pass --token or set MAESTRO_TOKEN")
    url = args.url or os.environ.get("MAESTRO_URL") or "http://127.0.0.1:8080"
    return Client(url, token)


class _Usage(Exception):
    pass


def _inputs(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if args.inputs:
        try:
            parsed = json.loads(args.inputs)
        except ValueError as e:
            raise _Usage(f"--inputs is not JSON: {e}") from None
        if not isinstance(parsed, dict):
            raise _Usage("--inputs must be a JSON object")
        out.update(parsed)
    for item in args.input or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise _Usage(f"--input takes key=value, got '{item}'")
        try:
            out[key] = json.loads(value)  # numbers, booleans, lists, quoted strings
        except ValueError:
            out[key] = value
    return out


def _print_run(run: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(run, indent=2, sort_keys=True))
        return
    print(f"{run.get('id')} {run.get('status')} {run.get('workflow', '')}".rstrip())
    for s in run.get("steps", []):
        print(f"  {s.get('id')} {s.get('status')}")


def cmd_run(args: argparse.Namespace) -> int:
    client = _client(args)
    ref = client.start_run(args.workflow, _inputs(args))
    if not args.wait:
        print(json.dumps(ref.dict()) if args.json else ref.id)
        return 0
    deadline = time.monotonic() + args.timeout
    run = client.run(ref.id)
    while run.get("status") not in ENDED:
        if time.monotonic() > deadline:
            print(f"maestro: run {ref.id} did not end within {args.timeout:g} s "
                  f"(status {run.get('status')})", file=sys.stderr)
            return 1
        time.sleep(0.2)
        run = client.run(ref.id)
    _print_run(run, args.json)
    return 0 if run["status"] == "SUCCEEDED" else 1


def cmd_status(args: argparse.Namespace) -> int:
    _print_run(_client(args).run(args.run_id), args.json)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        with open(args.file, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise _Usage(f"cannot read {args.file}: {e.strerror}") from None
    try:
        data = json.loads(text)
    except ValueError:
        try:
            import yaml  # type: ignore[import-untyped]
        except ImportError:
            raise _Usage(f"{args.file} is not JSON, and PyYAML is not installed") from None
        data = yaml.safe_load(text)
    problems = validate(data)
    for p in problems:
        print(f"{args.file}: {p}", file=sys.stderr)
    if not problems:
        print(f"{args.file}: valid")
    return 1 if problems else 0


def main(argv: Optional[list[str]] = None) -> int:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--url", help="server base URL (MAESTRO_URL)")
    common.add_argument("--token", help="bearer token (MAESTRO_TOKEN)")
    common.add_argument("--json", action="store_true", help="print the server's JSON")
    parser = argparse.ArgumentParser(prog="python -m maestro")
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", parents=[common], help="start a run of a published workflow")
    run.add_argument("workflow")
    run.add_argument("--input", action="append", metavar="KEY=VALUE")
    run.add_argument("--inputs", metavar="JSON", help="all inputs as one JSON object")
    run.add_argument("--wait", action="store_true", help="wait for the run to end")
    run.add_argument("--timeout", type=float, default=300.0, help="seconds to --wait")
    run.set_defaults(func=cmd_run)
    status = sub.add_parser("status", parents=[common], help="show a run and its steps")
    status.add_argument("run_id")
    status.set_defaults(func=cmd_status)
    val = sub.add_parser("validate", help="check a manifest with the SDK's rules")
    val.add_argument("file")
    val.set_defaults(func=cmd_validate)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except _Usage as e:
        print(f"maestro: {e}", file=sys.stderr)
        return 2
    except ApiError as e:
        print(f"maestro: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"maestro: cannot reach the server: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
