"""Workflow manifests: the server's validation rules (a documented subset) and pydantic models.

``validate(data)`` checks a parsed manifest (a ``dict`` as read from JSON or YAML) and returns
every problem with the same path the server reports (``spec.tasks[2].needs[0]``). The rules are
those of the server's ``ManifestLoader``; see README.md for the list, and for the checks only the
server makes (expressions are not compiled here, and ``with`` is checked only for ``worker/<queue>``
and ``core/log``). ``sdks/contract/manifests`` holds the corpus that keeps the two in step.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Optional, Union

from pydantic import BaseModel, Extra, Field, StrictBool, StrictFloat, StrictInt, StrictStr

API_VERSION = "maestro/v1"
MAX_TASKS = 1000

_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")
_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")
_TASK_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,62}")
_QUEUE = re.compile(r"[a-z0-9][a-z0-9_.-]{0,62}")
_SHORT_DURATION = re.compile(r"([0-9]{1,9})(ms|s|m|h|d)")
_ISO_DURATION = re.compile(
    r"([-+]?)P(?:([-+]?[0-9]+)D)?"
    r"(T(?:([-+]?[0-9]+)H)?(?:([-+]?[0-9]+)M)?(?:([-+]?[0-9]+)(?:[.,]([0-9]{0,9}))?S)?)?",
    re.IGNORECASE,
)
_REF = r"(?<![.\w]){}\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*[\"']([^\"']+)[\"']\s*])"
_TASK_REF = re.compile(_REF.format("tasks"), re.ASCII)
_INPUT_REF = re.compile(_REF.format("inputs"), re.ASCII)

_TOP = {"apiVersion", "kind", "metadata", "spec"}
_METADATA = {"name", "version", "region", "labels", "risk", "resourceClass", "description"}
_SPEC = {"inputs", "tasks", "schedules"}
_TASK = {"id", "uses", "with", "needs", "if", "retry", "timeout", "outputs", "onFailure", "name"}
_RETRY = {"max", "backoff", "on"}
_SEED = {"name", "version", "region", "tasks", "labels"}

#: The task types of a server (``core/exec`` only where its sandbox is available); a
#: ``worker/<queue>`` type names any queue.
CORE_TASK_TYPES = (
    "core/approval",
    "core/exec",
    "core/fail",
    "core/http",
    "core/log",
    "core/noop",
    "core/wait",
    "core/workflow",
)
WORKER_PREFIX = "worker/"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a manifest, at the server's path for it."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ManifestInvalid(ValueError):
    """A manifest with problems; ``problems`` lists every one (the server's ``errors``)."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s): {problems[0]}")
        self.problems = list(problems)


def worker_queue(uses: str) -> Optional[str]:
    """The queue a ``worker/<queue>`` task type names, or None."""
    if not isinstance(uses, str) or not uses.startswith(WORKER_PREFIX):
        return None
    name = uses[len(WORKER_PREFIX):]
    return name if _QUEUE.fullmatch(name) else None


def known_task_type(uses: str) -> bool:
    # The server registers worker tasks as the pattern "worker/*", so that literal name is known.
    return uses in CORE_TASK_TYPES or uses == "worker/*" or worker_queue(uses) is not None


def parse_duration(text: str) -> float:
    """Seconds of a manifest duration (``500ms``, ``30s``, ``5m``, ``2h``, ``1d`` or ISO-8601)."""
    t = text.strip()
    m = _SHORT_DURATION.fullmatch(t)
    if m:
        n = int(m.group(1))
        return n * {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]
    m = _ISO_DURATION.fullmatch(t)
    if m and (m.group(3) or "").upper() != "T" and any(m.group(i) for i in (2, 4, 5, 6)):
        sign = -1 if m.group(1) == "-" else 1
        days, hours, minutes, secs = (int(m.group(i) or 0) for i in (2, 4, 5, 6))
        frac = m.group(7) or ""
        nanos = int((frac + "000000000")[:9]) if frac else 0
        if secs < 0 or (m.group(6) or "").startswith("-"):
            nanos = -nanos
        total = sign * (days * 86400 + hours * 3600 + minutes * 60 + secs + nanos / 1e9)
        if total < 0:
            raise ValueError(f"a duration must not be negative: {text}")
        return total
    raise ValueError(f"'{text}' is not a duration (use e.g. 500ms, 30s, 5m, 2h, 1d or PT30S)")


def _is_text(v: Any) -> bool:
    return isinstance(v, str)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _number_text(v: Union[int, float]) -> str:
    return str(v)


def _join(base: str, key: str) -> str:
    return key if not base else f"{base}.{key}"


class _Check:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def unknown_fields(self, obj: dict, path: str, allowed: set[str]) -> None:
        for f in obj:
            if f not in allowed:
                self.add(_join(path, f), f"unknown field '{f}'")

    def text(self, obj: dict, field: str, path: str, required: bool) -> Optional[str]:
        v = obj.get(field)
        if v is None:
            if required:
                self.add(path, f"{field} is required")
            return None
        if not _is_text(v):
            self.add(path, f"{field} must be a string")
            return None
        return v

    def scalar(self, obj: dict, field: str, path: str, required: bool) -> Optional[str]:
        v = obj.get(field)
        if _is_number(v):
            return _number_text(v)
        return self.text(obj, field, path, required)

    def duration(self, v: Any, path: str) -> None:
        if not _is_text(v):
            self.add(path, "a duration is a string such as 30s, 5m or PT1H")
            return
        try:
            parse_duration(v)
        except ValueError as e:
            self.add(path, str(e))


def validate(data: Any) -> list[Problem]:
    """Every problem the implemented rules find in ``data`` (empty when it is valid)."""
    c = _Check()
    if not isinstance(data, dict):
        c.add("", "a manifest is an object with apiVersion, kind, metadata and spec")
        return c.problems
    seed = "apiVersion" not in data and "kind" not in data and "tasks" in data
    if seed:
        c.unknown_fields(data, "", _SEED)
        v1 = {"metadata": {k: data[k] for k in ("name", "version", "region", "labels") if k in data}}
        v1["spec"] = {"tasks": data["tasks"]} if "tasks" in data else {}
        _build(v1, c, "", "")
    else:
        c.unknown_fields(data, "", _TOP)
        api = c.text(data, "apiVersion", "apiVersion", True)
        if api is not None and api != API_VERSION:
            c.add("apiVersion", f"unsupported apiVersion '{api}'; expected {API_VERSION}")
        kind = c.text(data, "kind", "kind", True)
        if kind is not None and kind != "Workflow":
            c.add("kind", f"unsupported kind '{kind}'; expected Workflow")
        _build(data, c, "metadata", "spec")
    return c.problems


def check(data: Any) -> None:
    """Raises ManifestInvalid when ``validate`` finds problems."""
    problems = validate(data)
    if problems:
        raise ManifestInvalid(problems)


def _build(root: dict, c: _Check, meta_path: str, spec_path: str) -> None:
    md = root.get("metadata")
    if not isinstance(md, dict):
        c.add("metadata", "metadata must be an object with at least name and version")
        md = {}
    elif meta_path:
        c.unknown_fields(md, meta_path, _METADATA)
    name = c.text(md, "name", _join(meta_path, "name"), True) or ""
    if name and not _NAME.fullmatch(name):
        c.add(_join(meta_path, "name"),
              f"name '{name}' must be 1-100 lower-case letters, digits, '.', '_' or '-'")
    version = c.scalar(md, "version", _join(meta_path, "version"), True) or ""
    if version and not _VERSION.fullmatch(version):
        c.add(_join(meta_path, "version"), f"version '{version}' has characters not allowed")
    c.text(md, "region", _join(meta_path, "region"), False)
    if "labels" in md:
        labels = md["labels"]
        if not isinstance(labels, dict):
            c.add(_join(meta_path, "labels"), "labels must be a map of strings")
        else:
            for k, v in labels.items():
                if v is None or isinstance(v, (dict, list)):
                    c.add(_join(meta_path, "labels." + k), "a label value must be a string")
    risk = c.text(md, "risk", _join(meta_path, "risk"), False)
    if risk is not None and risk.upper() not in ("LOW", "MEDIUM", "HIGH"):
        c.add(_join(meta_path, "risk"), "risk must be low, medium or high")
    c.text(md, "resourceClass", _join(meta_path, "resourceClass"), False)

    spec = root.get("spec")
    if not isinstance(spec, dict):
        c.add("spec", "spec must be an object with tasks")
        spec = {}
    elif spec_path:
        c.unknown_fields(spec, spec_path, _SPEC)
    # Schedules: only their form here; the server checks each one's cron, time zone and interval.
    schedules = spec.get("schedules")
    if schedules is not None and not isinstance(schedules, list):
        c.add(_join(spec_path, "schedules"), "schedules must be a list")
    inputs = spec.get("inputs")
    input_names: set[str] = set()
    if inputs is not None:
        if not isinstance(inputs, dict):
            c.add(_join(spec_path, "inputs"), "inputs must be a JSON Schema object")
        else:
            props = inputs.get("properties", {})
            if "properties" in inputs and not isinstance(props, dict):
                c.add(_join(spec_path, "inputs.properties"), "properties must be an object")
            elif isinstance(props, dict):
                input_names.update(props)
    _tasks(spec.get("tasks"), _join(spec_path, "tasks"), c, input_names)


@dataclass
class _Task:
    id: str
    uses: str
    with_: dict
    needs: list[str]
    condition: Optional[str]
    outputs: dict[str, str]
    on_failure: list[str]


def _tasks(arr: Any, path: str, c: _Check, input_names: set[str]) -> None:
    if not isinstance(arr, list) or not arr:
        c.add(path, "tasks must be a non-empty list")
        return
    if len(arr) > MAX_TASKS:
        # The server refuses this before looking at any task, with only this problem.
        c.problems[:] = [Problem(path, f"a workflow may have at most {MAX_TASKS} tasks "
                                       f"(this one has {len(arr)})")]
        return
    out: list[_Task] = []
    id_paths: dict[str, str] = {}
    for i, t in enumerate(arr):
        tp = f"{path}[{i}]"
        if not isinstance(t, dict):
            c.add(tp, "a task must be an object with id and uses")
            continue
        c.unknown_fields(t, tp, _TASK)
        tid = c.text(t, "id", tp + ".id", True) or ""
        if tid:
            if not _TASK_ID.fullmatch(tid):
                c.add(tp + ".id", f"task id '{tid}' must be letters, digits, '_' or '-'")
            if tid in id_paths:
                c.add(tp + ".id", f"duplicate task id '{tid}' (first at {id_paths[tid]})")
            else:
                id_paths[tid] = tp
        uses = c.text(t, "uses", tp + ".uses", True) or ""
        with_ = t.get("with")
        if with_ is None:
            with_ = {}
        elif not isinstance(with_, dict):
            c.add(tp + ".with", "with must be an object")
            with_ = {}
        if uses:
            if not known_task_type(uses):
                c.add(tp + ".uses", f"unknown task type '{uses}'")
            else:
                for key, message in _check_with(uses, with_):
                    c.add(tp + ".with" + ("." + key if key else ""), message)
        needs = _ids(t, "needs", tp, c)
        on_failure = _ids(t, "onFailure", tp, c)
        cond = None
        iff = t.get("if", _MISSING)
        if isinstance(iff, bool):
            cond = "true" if iff else "false"
        elif isinstance(iff, str):
            cond = iff
        elif iff is not _MISSING:
            c.add(tp + ".if", "if must be an expression")
        _retry(t.get("retry"), tp + ".retry", c)
        if "timeout" in t:
            c.duration(t["timeout"], tp + ".timeout")
        outputs: dict[str, str] = {}
        o = t.get("outputs", _MISSING)
        if isinstance(o, dict):
            for k, v in o.items():
                if isinstance(v, str):
                    outputs[k] = v
                else:
                    c.add(f"{tp}.outputs.{k}", "an output is an expression string")
        elif o is not _MISSING:
            c.add(tp + ".outputs", "outputs must map names to expressions")
        out.append(_Task(tid, uses, with_, needs, cond, outputs, on_failure))
    index: dict[str, int] = {}
    for i, t in enumerate(out):
        index.setdefault(t.id, i)
    _check_graph(out, index, path, c)
    _check_compensations(out, index, path, c)
    for i, t in enumerate(out):
        _check_expressions(t, f"{path}[{i}]", c, out, index, input_names)


_MISSING = object()


def _ids(t: dict, field: str, tp: str, c: _Check) -> list[str]:
    """A task's field that names tasks: one task id or a list of them."""
    ids: list[str] = []
    n = t.get(field, _MISSING)
    if isinstance(n, str):
        ids.append(n)
    elif isinstance(n, list):
        for j, x in enumerate(n):
            if isinstance(x, str):
                ids.append(x)
            else:
                c.add(f"{tp}.{field}[{j}]", f"{field} lists task ids")
    elif n is not _MISSING:
        c.add(f"{tp}.{field}", f"{field} must be a task id or a list of task ids")
    return ids


def _check_compensations(tasks: list[_Task], index: dict[str, int], path: str, c: _Check) -> None:
    """onFailure as the server checks it (the engine's manifest.Compensations): a task named in
    another task's onFailure is a compensation task; it declares no onFailure, no ordinary task
    needs it, and the compensation tasks it needs are named in the same onFailure."""
    compensation = {n for t in tasks for n in t.on_failure if n != t.id}
    for i, t in enumerate(tasks):
        tp = f"{path}[{i}]"
        if t.id in compensation and t.on_failure:
            c.add(tp + ".onFailure", f"compensation task '{t.id}' cannot declare onFailure: "
                                     "it runs only when another task fails")
        if t.id not in compensation:
            for j, need in enumerate(t.needs):
                if need in compensation:
                    c.add(f"{tp}.needs[{j}]", f"needs compensation task '{need}', which runs "
                                              "only when a task fails (see onFailure)")
        for j, named in enumerate(t.on_failure):
            np = f"{tp}.onFailure[{j}]"
            if named == t.id:
                c.add(np, f"task '{t.id}' names itself in onFailure")
            elif named not in index:
                c.add(np, f"onFailure names unknown task '{named}'")
            else:
                for need in tasks[index[named]].needs:
                    if need in compensation and need not in t.on_failure:
                        c.add(np, f"compensation task '{named}' needs compensation task "
                                  f"'{need}': name it in this onFailure too")


def _check_with(uses: str, with_: dict) -> list[tuple[str, str]]:
    if worker_queue(uses) is not None or uses == "worker/*":
        p = [(k, f"unknown parameter '{k}'") for k in with_ if k not in ("input", "output_schema")]
        if "output_schema" in with_ and not isinstance(with_["output_schema"], dict):
            p.append(("output_schema", "output_schema must be a JSON Schema object"))
        return p
    if uses == "core/log":
        p = [(k, f"unknown parameter '{k}'") for k in with_ if k != "message"]
        if with_.get("message") is None:
            p.append(("", "'message' is required"))
        return p
    return []


def _retry(r: Any, path: str, c: _Check) -> None:
    if r is None:
        return
    if not isinstance(r, dict):
        c.add(path, "retry must be an object with max, backoff and on")
        return
    c.unknown_fields(r, path, _RETRY)
    if "max" in r:
        m = r["max"]
        if isinstance(m, int) and not isinstance(m, bool) and -(2**31) <= m < 2**31:
            if m < 0 or m > 100:
                c.add(path + ".max", "max must be between 0 and 100")
        else:
            c.add(path + ".max", "max must be an integer")
    if "backoff" in r:
        c.duration(r["backoff"], path + ".backoff")
    if "on" in r:
        on = r["on"]
        items = on if isinstance(on, list) else [on]
        for x in items:
            if _as_text(x).lower() not in ("error", "platform", "timeout"):
                c.add(path + ".on", "retry.on takes error, platform and timeout")


def _as_text(v: Any) -> str:
    # Jackson's asText(): scalars as written, containers and null as "" (or "null").
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (str, int, float)):
        return str(v)
    return "null" if v is None else ""


def _check_graph(tasks: list[_Task], index: dict[str, int], path: str, c: _Check) -> None:
    for i, t in enumerate(tasks):
        for j, need in enumerate(t.needs):
            np = f"{path}[{i}].needs[{j}]"
            if need == t.id:
                c.add(np, f"task '{t.id}' needs itself")
            elif need not in index:
                c.add(np, f"needs unknown task '{need}'")
    # The server's iterative depth-first search, in the same order, so that each cycle is
    # reported at the same task.
    state: dict[str, int] = {}
    reported: set[str] = set()
    for root in tasks:
        if root.id in state:
            continue
        stack = [root.id]
        nxt = [0]
        depth = {root.id: 0}
        state[root.id] = 1
        while stack:
            top = len(stack) - 1
            tid = stack[top]
            needs = tasks[index[tid]].needs
            k = nxt[top]
            if k == len(needs):
                state[tid] = 2
                depth.pop(tid, None)
                stack.pop()
                nxt.pop()
                continue
            nxt[top] = k + 1
            need = needs[k]
            if need not in index or need == tid:
                continue
            s = state.get(need)
            if s is None:
                state[need] = 1
                depth[need] = len(stack)
                stack.append(need)
                nxt.append(0)
            elif s == 1:
                cycle = stack[depth[need]:]
                key = ">".join(dict.fromkeys(cycle))
                if key not in reported:
                    reported.add(key)
                    c.add(f"{path}[{index[need]}].needs",
                          "cycle in needs: " + " -> ".join(cycle + [need]))


def _upstream(task: _Task, ref: str, tasks: list[_Task], index: dict[str, int]) -> bool:
    if ref in task.needs:
        return True
    seen: set[str] = set()
    todo = list(task.needs)
    while todo:
        n = todo.pop()
        if n == ref:
            return True
        i = index.get(n)
        if n not in seen and i is not None:
            seen.add(n)
            todo.extend(tasks[i].needs)
    return False


def _template_expressions(text: str) -> list[str]:
    """The expressions of a ``${{ … }}`` template; ValueError when one is unclosed or empty."""
    out = []
    i = 0
    while i < len(text):
        start = text.find("${{", i)
        if start < 0:
            break
        end = text.find("}}", start + 3)
        if end < 0:
            raise ValueError(f"'${{{{' at offset {start} is not closed by '}}}}'")
        source = text[start + 3:end].strip()
        if not source:
            raise ValueError(f"empty expression at offset {start}")
        out.append(source)
        i = end + 2
    return out


def _refs(pattern: re.Pattern, source: str) -> list[str]:
    return [m.group(1) if m.group(1) is not None else m.group(2) for m in pattern.finditer(source)]


def _check_expressions(t: _Task, tp: str, c: _Check, tasks: list[_Task],
                       index: dict[str, int], input_names: set[str]) -> None:
    def one(source: str, path: str) -> None:
        for ref in _refs(_TASK_REF, source):
            if ref not in index:
                c.add(path, f"expression refers to unknown task '{ref}'")
            elif not _upstream(t, ref, tasks, index):
                c.add(path, f"expression refers to task '{ref}', which is not upstream: "
                            "add it to needs")
        for ref in _refs(_INPUT_REF, source):
            if ref not in input_names:
                c.add(path, f"expression refers to undeclared input '{ref}'")

    def text(value: str, path: str) -> None:
        if "${{" not in value:
            return
        try:
            sources = _template_expressions(value)
        except ValueError as e:
            c.add(path, str(e))
            return
        for s in sources:
            one(s, path)

    def walk(n: Any, path: str) -> None:
        if isinstance(n, str):
            text(n, path)
        elif isinstance(n, dict):
            for k, v in n.items():
                walk(v, f"{path}.{k}")
        elif isinstance(n, list):
            for i, v in enumerate(n):
                walk(v, f"{path}[{i}]")

    if t.condition is not None:
        cond = t.condition.strip()
        if cond.startswith("${{") and cond.endswith("}}"):
            cond = cond[3:-2].strip()
        one(cond, tp + ".if")
    walk(t.with_, tp + ".with")
    for k, v in t.outputs.items():
        if "${{" in v:
            text(v, f"{tp}.outputs.{k}")
        else:
            one(v, f"{tp}.outputs.{k}")


# ---- typed models (pydantic) -------------------------------------------------------------


class _Model(BaseModel):
    class Config:
        extra = Extra.forbid
        allow_population_by_field_name = True


class Retry(_Model):
    max: int = 0
    backoff: str = "1s"
    on: Union[list[str], str] = Field(default_factory=lambda: ["platform", "timeout"])


class Task(_Model):
    id: str
    uses: str
    name: Optional[str] = None
    with_: dict[str, Any] = Field(default_factory=dict, alias="with")
    needs: Union[list[str], str] = Field(default_factory=list)
    if_: Optional[Union[StrictBool, StrictStr]] = Field(default=None, alias="if")
    retry: Optional[Retry] = None
    timeout: Optional[str] = None
    outputs: dict[str, str] = Field(default_factory=dict)
    onFailure: Union[list[str], str] = Field(default_factory=list)

    @property
    def queue(self) -> Optional[str]:
        """The worker queue of a ``worker/<queue>`` task."""
        return worker_queue(self.uses)


class Metadata(_Model):
    name: str
    version: Union[StrictStr, StrictInt, StrictFloat]
    region: Optional[str] = None
    labels: dict[str, Union[StrictStr, StrictBool, StrictInt, StrictFloat]] = Field(default_factory=dict)
    risk: Optional[str] = None
    resourceClass: Optional[str] = None
    description: Optional[str] = None


class Spec(_Model):
    inputs: Optional[dict[str, Any]] = None
    tasks: list[Task]


class Workflow(_Model):
    """A v1 workflow manifest. Build one in code, or read one with ``Workflow.load``."""

    apiVersion: str = API_VERSION
    kind: str = "Workflow"
    metadata: Metadata
    spec: Spec

    @classmethod
    def load(cls, data: Any) -> "Workflow":
        """Validates ``data`` (a dict, or JSON text) and returns the model.

        Raises ManifestInvalid with every problem, at the server's paths.
        """
        if isinstance(data, (str, bytes)):
            data = json.loads(data)
        check(data)
        return cls.parse_obj(data)

    def to_dict(self) -> dict[str, Any]:
        """The manifest as the server reads it (``with``/``if`` keys, no unset fields)."""
        return json.loads(self.json(by_alias=True, exclude_none=True))

    def validate_manifest(self) -> list[Problem]:
        """The problems the implemented rules find in this model (e.g. a cycle in ``needs``)."""
        return validate(self.to_dict())
