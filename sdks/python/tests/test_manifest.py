"""The Python validator against the shared corpus (sdks/contract/manifests) and its own cases."""

import json
from pathlib import Path

import pytest

from maestro.manifest import ManifestInvalid, Workflow, parse_duration, validate

CORPUS = Path(__file__).resolve().parents[2] / "contract" / "manifests"
FILES = sorted(CORPUS.glob("*.json"))


def test_corpus_is_there():
    assert len(FILES) >= 20
    kinds = {json.loads(f.read_text())["valid"] for f in FILES}
    assert kinds == {True, False}


@pytest.mark.parametrize("file", FILES, ids=[f.stem for f in FILES])
def test_validator_agrees_with_the_corpus(file):
    case = json.loads(file.read_text())
    problems = validate(case["manifest"])
    assert sorted(p.path for p in problems) == sorted(case["errors"]), problems
    assert (not problems) == case["valid"]


def test_load_raises_with_every_problem():
    bad = {"apiVersion": "maestro/v1", "kind": "Workflow", "metadata": {"name": "x"},
           "spec": {"tasks": [{"id": "a", "uses": "core/noop", "needs": "a"}]}}
    with pytest.raises(ManifestInvalid) as e:
        Workflow.load(json.dumps(bad))
    assert [p.path for p in e.value.problems] == ["metadata.version", "spec.tasks[0].needs[0]"]


def test_model_round_trips_with_and_if_aliases():
    wf = Workflow.load({
        "apiVersion": "maestro/v1", "kind": "Workflow",
        "metadata": {"name": "m", "version": "1"},
        "spec": {"tasks": [
            {"id": "a", "uses": "worker/go", "with": {"input": {"n": 1}}},
            {"id": "b", "uses": "core/log", "needs": ["a"], "if": True,
             "with": {"message": "${{ tasks.a.outputs.n }}"}}]}})
    assert wf.spec.tasks[0].queue == "go"
    d = wf.to_dict()
    assert d["spec"]["tasks"][1]["with"] == {"message": "${{ tasks.a.outputs.n }}"}
    assert d["spec"]["tasks"][1]["if"] is True
    assert wf.validate_manifest() == []


def test_model_built_in_code_is_checked_by_the_validator():
    wf = Workflow(metadata={"name": "c", "version": "1"},
                  spec={"tasks": [{"id": "a", "uses": "core/noop", "needs": ["b"]},
                                  {"id": "b", "uses": "core/noop", "needs": ["a"]}]})
    assert [p.path for p in wf.validate_manifest()] == ["spec.tasks[0].needs"]


@pytest.mark.parametrize("text,seconds", [
    ("500ms", 0.5), ("30s", 30), ("5m", 300), ("2h", 7200), ("1d", 86400),
    ("PT1H30M", 5400), ("pt0.5s", 0.5), ("P1DT1S", 86401), (" 7s ", 7)])
def test_durations(text, seconds):
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "PT", "P", "-PT1S", "1w", "10 s", "٣s", "P1DT"])
def test_not_durations(text):
    with pytest.raises(ValueError):
        parse_duration(text)


GOLDEN = Path(__file__).resolve().parents[3] / "examples" / "golden"
GOLDEN_MANIFESTS = sorted(
    f for f in GOLDEN.glob("*/*.json") if json.loads(f.read_text()).get("kind") == "Workflow"
)


def test_golden_workflows_are_there():
    assert len(GOLDEN_MANIFESTS) >= 7


@pytest.mark.parametrize(
    "file", GOLDEN_MANIFESTS, ids=[f"{f.parent.name}/{f.stem}" for f in GOLDEN_MANIFESTS]
)
def test_golden_workflow_is_valid(file):
    problems = validate(json.loads(file.read_text()))
    assert problems == [], problems


def test_model_keeps_on_failure():
    w = Workflow.load({
        "apiVersion": "maestro/v1", "kind": "Workflow",
        "metadata": {"name": "saga", "version": "1"},
        "spec": {"tasks": [
            {"id": "a", "uses": "core/noop", "onFailure": ["undo"]},
            {"id": "undo", "uses": "core/noop"}]}})
    assert w.spec.tasks[0].onFailure == ["undo"]
    assert w.to_dict()["spec"]["tasks"][0]["onFailure"] == ["undo"]
    assert validate(w.to_dict()) == []
