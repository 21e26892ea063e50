package maestro

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// APIVersion is the manifest version this SDK writes and checks.
const APIVersion = "maestro/v1"

// Workflow is a v1 workflow manifest. Build one in code and check it with Validate, or read one
// with LoadWorkflow.
type Workflow struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Metadata   Metadata `json:"metadata"`
	Spec       Spec     `json:"spec"`
}

// Metadata names and labels a workflow. Version is a string (YAML's numbers are read as text).
type Metadata struct {
	Name          string            `json:"name"`
	Version       string            `json:"version"`
	Region        string            `json:"region,omitempty"`
	Labels        map[string]string `json:"labels,omitempty"`
	Risk          string            `json:"risk,omitempty"`
	ResourceClass string            `json:"resourceClass,omitempty"`
	Description   string            `json:"description,omitempty"`
}

// Spec holds the inputs' JSON Schema and the tasks.
type Spec struct {
	Inputs map[string]any `json:"inputs,omitempty"`
	Tasks  []Task         `json:"tasks"`
}

// Task is one step. If holds a bool or an expression string; With is the task type's parameters.
type Task struct {
	ID      string            `json:"id"`
	Name    string            `json:"name,omitempty"`
	Uses    string            `json:"uses"`
	With    map[string]any    `json:"with,omitempty"`
	Needs   []string          `json:"needs,omitempty"`
	If      any               `json:"if,omitempty"`
	Retry   *Retry            `json:"retry,omitempty"`
	Timeout string            `json:"timeout,omitempty"`
	Outputs map[string]string `json:"outputs,omitempty"`
	// OnFailure names the compensation tasks that run when this task fails for good.
	OnFailure []string `json:"onFailure,omitempty"`
}

// Retry is a task's retry policy: at most Max retries, Backoff apart, for the error kinds in On.
type Retry struct {
	Max     *int     `json:"max,omitempty"`
	Backoff string   `json:"backoff,omitempty"`
	On      []string `json:"on,omitempty"`
}

// Queue is the worker queue of a worker/<queue> task, or "".
func (t Task) Queue() string {
	q, _ := WorkerQueue(t.Uses)
	return q
}

// Problem is one thing wrong with a manifest, at the path the server reports for it.
type Problem struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

func (p Problem) String() string { return p.Path + ": " + p.Message }

// InvalidError lists every problem of a manifest.
type InvalidError struct{ Problems []Problem }

func (e *InvalidError) Error() string {
	return fmt.Sprintf("%d problem(s): %s", len(e.Problems), e.Problems[0])
}

// Decode reads JSON into the generic form Validate checks (numbers kept as written).
func Decode(data []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// LoadWorkflow validates a JSON manifest and returns it typed; the error is an *InvalidError
// when the manifest has problems.
func LoadWorkflow(data []byte) (*Workflow, error) {
	raw, err := Decode(data)
	if err != nil {
		return nil, err
	}
	if problems := Validate(raw); len(problems) > 0 {
		return nil, &InvalidError{problems}
	}
	// The typed form takes the scalars YAML/JSON allow as text (version: 1, needs: "a").
	norm := normalize(raw.(map[string]any))
	b, err := json.Marshal(norm)
	if err != nil {
		return nil, err
	}
	var w Workflow
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, err
	}
	return &w, nil
}

// Validate checks a workflow built in code with the same rules as a manifest read from text.
func (w Workflow) Validate() []Problem {
	if w.APIVersion == "" {
		w.APIVersion = APIVersion
	}
	if w.Kind == "" {
		w.Kind = "Workflow"
	}
	b, err := json.Marshal(w)
	if err != nil {
		return []Problem{{"", err.Error()}}
	}
	raw, _ := Decode(b)
	return Validate(raw)
}

func normalize(root map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range root {
		out[k] = v
	}
	if _, seed := root["tasks"]; seed && root["apiVersion"] == nil && root["kind"] == nil {
		md := map[string]any{}
		for _, k := range []string{"name", "version", "region", "labels"} {
			if v, ok := root[k]; ok {
				md[k] = v
			}
		}
		out = map[string]any{"apiVersion": APIVersion, "kind": "Workflow", "metadata": md,
			"spec": map[string]any{"tasks": root["tasks"]}}
	}
	if md, ok := out["metadata"].(map[string]any); ok {
		m := map[string]any{}
		for k, v := range md {
			m[k] = v
		}
		if n, ok := m["version"].(json.Number); ok {
			m["version"] = n.String()
		}
		if labels, ok := m["labels"].(map[string]any); ok {
			l := map[string]any{}
			for k, v := range labels {
				l[k] = asText(v)
			}
			m["labels"] = l
		}
		out["metadata"] = m
	}
	if spec, ok := out["spec"].(map[string]any); ok {
		if tasks, ok := spec["tasks"].([]any); ok {
			for i, t := range tasks {
				if tm, ok := t.(map[string]any); ok {
					c := map[string]any{}
					for k, v := range tm {
						c[k] = v
					}
					for _, f := range []string{"needs", "onFailure"} {
						if s, ok := c[f].(string); ok {
							c[f] = []string{s}
						}
					}
					if r, ok := c["retry"].(map[string]any); ok {
						if s, ok := r["on"].(string); ok {
							rc := map[string]any{}
							for k, v := range r {
								rc[k] = v
							}
							rc["on"] = []string{s}
							c["retry"] = rc
						}
					}
					tasks[i] = c
				}
			}
		}
	}
	return out
}

// asText is Jackson's asText(): scalars as written, null as "null", containers as "".
func asText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "true"
		}
		return "false"
	case nil:
		return "null"
	}
	return ""
}

func join(base, key string) string {
	if base == "" {
		return key
	}
	return base + "." + key
}

func hasExpressions(s string) bool { return strings.Contains(s, "${{") }
