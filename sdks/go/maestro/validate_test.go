package maestro

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

type corpusCase struct {
	Valid    bool            `json:"valid"`
	Errors   []string        `json:"errors"`
	Manifest json.RawMessage `json:"manifest"`
}

func corpusFiles(t *testing.T) []string {
	files, err := filepath.Glob(filepath.Join("..", "..", "contract", "manifests", "*.json"))
	if err != nil || len(files) < 20 {
		t.Fatalf("corpus not found or too small: %v %d", err, len(files))
	}
	return files
}

func TestValidatorAgreesWithTheCorpus(t *testing.T) {
	for _, f := range corpusFiles(t) {
		f := f
		t.Run(strings.TrimSuffix(filepath.Base(f), ".json"), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var c corpusCase
			if err := json.Unmarshal(b, &c); err != nil {
				t.Fatal(err)
			}
			raw, err := Decode(c.Manifest)
			if err != nil {
				t.Fatal(err)
			}
			problems := Validate(raw)
			got := []string{}
			for _, p := range problems {
				got = append(got, p.Path)
			}
			want := append([]string{}, c.Errors...)
			sort.Strings(got)
			sort.Strings(want)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("paths %q, want %q (%v)", got, want, problems)
			}
			if (len(problems) == 0) != c.Valid {
				t.Fatalf("valid=%v but %d problems", c.Valid, len(problems))
			}
			if c.Valid {
				if _, err := LoadWorkflow(c.Manifest); err != nil {
					t.Fatalf("LoadWorkflow: %v", err)
				}
			}
		})
	}
}

func TestLoadWorkflowReturnsEveryProblem(t *testing.T) {
	_, err := LoadWorkflow([]byte(`{"apiVersion":"maestro/v1","kind":"Workflow","metadata":{"name":"x"},
		"spec":{"tasks":[{"id":"a","uses":"core/noop","needs":"a"}]}}`))
	inv, ok := err.(*InvalidError)
	if !ok {
		t.Fatalf("want *InvalidError, got %v", err)
	}
	var paths []string
	for _, p := range inv.Problems {
		paths = append(paths, p.Path)
	}
	if !reflect.DeepEqual(paths, []string{"metadata.version", "spec.tasks[0].needs[0]"}) {
		t.Fatalf("paths %v", paths)
	}
}

func TestWorkflowBuiltInCodeIsValidated(t *testing.T) {
	w := Workflow{Metadata: Metadata{Name: "c", Version: "1"}, Spec: Spec{Tasks: []Task{
		{ID: "a", Uses: "worker/go", Needs: []string{"b"}},
		{ID: "b", Uses: "core/log", Needs: []string{"a"}, With: map[string]any{"message": "${{ tasks.a.outputs.x }}"}},
	}}}
	got := w.Validate()
	if len(got) != 1 || got[0].Path != "spec.tasks[0].needs" {
		t.Fatalf("problems %v", got)
	}
	w.Spec.Tasks[0].Needs = nil
	if p := w.Validate(); len(p) != 0 {
		t.Fatalf("problems %v", p)
	}
	if w.Spec.Tasks[0].Queue() != "go" {
		t.Fatal("queue")
	}
}

func TestLoadWorkflowNormalizesScalars(t *testing.T) {
	w, err := LoadWorkflow([]byte(`{"name":"seed","version":2,"labels":{"tier":2},
		"tasks":[{"id":"a","uses":"core/noop"},{"id":"b","uses":"core/noop","needs":"a","retry":{"on":"platform"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if w.Metadata.Version != "2" || w.Metadata.Labels["tier"] != "2" || w.Spec.Tasks[1].Needs[0] != "a" ||
		w.Spec.Tasks[1].Retry.On[0] != "platform" {
		t.Fatalf("%+v", w)
	}
}

func TestLoadWorkflowKeepsOnFailure(t *testing.T) {
	w, err := LoadWorkflow([]byte(`{"name":"saga","version":"1",
		"tasks":[{"id":"a","uses":"core/noop","onFailure":"undo"},{"id":"undo","uses":"core/noop"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Spec.Tasks[0].OnFailure) != 1 || w.Spec.Tasks[0].OnFailure[0] != "undo" {
		t.Fatalf("%+v", w.Spec.Tasks[0])
	}
}

func TestDurations(t *testing.T) {
	good := map[string]float64{"500ms": 0.5, "30s": 30, "5m": 300, "2h": 7200, "1d": 86400,
		"PT1H30M": 5400, "pt0.5s": 0.5, "P1DT1S": 86401, " 7s ": 7}
	for text, want := range good {
		got, err := ParseDuration(text)
		if err != nil || got != want {
			t.Errorf("%q: %v %v, want %v", text, got, err, want)
		}
	}
	for _, text := range []string{"", "PT", "P", "-PT1S", "1w", "10 s", "P1DT"} {
		if _, err := ParseDuration(text); err == nil {
			t.Errorf("%q accepted", text)
		}
	}
}

func TestRefsSkipPrecededMatches(t *testing.T) {
	got := refs(reTaskRef, `xtasks.a + tasks.b + y.tasks.c + tasks['d-e'] + (tasks . f)`)
	if !reflect.DeepEqual(got, []string{"b", "d-e", "f"}) {
		t.Fatalf("%v", got)
	}
}

// The golden workflows (examples/golden/*/): every manifest in them is valid for this validator,
// as the server's GoldenWorkflowsTest finds when it publishes and runs them.
func TestGoldenWorkflowsAreValid(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "..", "examples", "golden", "*", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var head struct {
			Kind string `json:"kind"`
		}
		if json.Unmarshal(b, &head) != nil || head.Kind != "Workflow" {
			continue
		}
		checked++
		raw, err := Decode(b)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if problems := Validate(raw); len(problems) != 0 {
			t.Errorf("%s: %v", f, problems)
		}
	}
	if checked < 7 {
		t.Fatalf("found %d golden manifests under examples/golden, want at least 7", checked)
	}
}
