package maestro

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client calls the Maestro HTTP API with a bearer token. Safe for concurrent use.
type Client struct {
	BaseURL string
	Token   string
	HTTP    *http.Client
}

// NewClient returns a client for baseURL (e.g. http://127.0.0.1:8080).
func NewClient(baseURL, token string) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), Token: token, HTTP: &http.Client{}}
}

// APIError is a problem answer (RFC 9457): the stable Code and, for denials, the Reasons.
type APIError struct {
	Status  int
	Code    string
	Detail  string
	Reasons []string
	Body    map[string]any
}

func (e *APIError) Error() string {
	if e.Detail == "" {
		return fmt.Sprintf("%d %s", e.Status, e.Code)
	}
	return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Detail)
}

// RunRef is the run a start created or found again.
type RunRef struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

// WorkerTask is a leased task as POST /api/worker/poll answers it.
type WorkerTask struct {
	TaskID         string          `json:"task_id"`
	Queue          string          `json:"queue"`
	RunID          string          `json:"run_id"`
	StepID         string          `json:"step_id"`
	Workflow       string          `json:"workflow"`
	Attempt        int             `json:"attempt"`
	Delivery       int             `json:"delivery"`
	IdempotencyKey string          `json:"idempotency_key"`
	Input          json.RawMessage `json:"input"`
	LeaseUntil     time.Time       `json:"lease_until"`
	// TraceParent is the run's W3C trace context when the server traces (empty otherwise).
	// Continue it in your own tracer; Worker reports the outcome under it.
	TraceParent string `json:"traceparent,omitempty"`
}

type traceParentKey struct{}

// WithTraceParent returns ctx carrying a W3C traceparent that requests made with it send in the
// traceparent header, so the server's span of the call joins that trace.
func WithTraceParent(ctx context.Context, traceparent string) context.Context {
	if traceparent == "" {
		return ctx
	}
	return context.WithValue(ctx, traceParentKey{}, traceparent)
}

// PutWorkflow saves a draft version; manifest is YAML or JSON text ([]byte or string) or a value
// sent as JSON (e.g. a Workflow).
func (c *Client) PutWorkflow(ctx context.Context, name, version string, manifest any) (map[string]any, error) {
	var body []byte
	ctype := "application/json"
	switch m := manifest.(type) {
	case []byte:
		body, ctype = m, "application/yaml"
	case string:
		body, ctype = []byte(m), "application/yaml"
	default:
		b, err := json.Marshal(m)
		if err != nil {
			return nil, err
		}
		body = b
	}
	var out map[string]any
	err := c.do(ctx, "PUT", "/api/workflows/"+seg(name)+"/versions/"+seg(version), body, ctype, &out)
	return out, err
}

// Publish makes a version the active one.
func (c *Client) Publish(ctx context.Context, name, version string) error {
	return c.call(ctx, "POST", "/api/workflows/"+seg(name)+"/versions/"+seg(version)+"/publish", map[string]any{}, nil)
}

// StartRun starts a published workflow (POST /api/runs).
func (c *Client) StartRun(ctx context.Context, workflow string, inputs map[string]any) (RunRef, error) {
	if inputs == nil {
		inputs = map[string]any{}
	}
	var r RunRef
	err := c.call(ctx, "POST", "/api/runs", map[string]any{"workflow": workflow, "inputs": inputs}, &r)
	return r, err
}

// Run is the run with its steps (GET /api/runs/{id}).
func (c *Client) Run(ctx context.Context, runID string) (map[string]any, error) {
	var out map[string]any
	err := c.call(ctx, "GET", "/api/runs/"+seg(runID), nil, &out)
	return out, err
}

// Receipts lists receipts (GET /api/receipts), e.g. query {"type": "step.completed"}.
func (c *Client) Receipts(ctx context.Context, query map[string]string) ([]map[string]any, error) {
	q := url.Values{}
	for k, v := range query {
		q.Set(k, v)
	}
	var out struct {
		Receipts []map[string]any `json:"receipts"`
	}
	err := c.call(ctx, "GET", "/api/receipts?"+q.Encode(), nil, &out)
	return out.Receipts, err
}

// Poll leases up to maxTasks tasks of queues, waiting up to wait (at most 30 s) for one.
func (c *Client) Poll(ctx context.Context, worker string, queues []string, maxTasks int, wait time.Duration) ([]WorkerTask, error) {
	var out struct {
		Tasks []WorkerTask `json:"tasks"`
	}
	err := c.call(ctx, "POST", "/api/worker/poll", map[string]any{
		"worker": worker, "queues": queues, "max_tasks": maxTasks, "wait_seconds": int(wait / time.Second),
	}, &out)
	return out.Tasks, err
}

// Heartbeat extends the task's lease and returns its new end.
func (c *Client) Heartbeat(ctx context.Context, taskID string) (time.Time, error) {
	var out struct {
		LeaseUntil time.Time `json:"lease_until"`
	}
	err := c.call(ctx, "POST", "/api/worker/tasks/"+seg(taskID)+"/heartbeat", map[string]any{}, &out)
	return out.LeaseUntil, err
}

// Complete reports the task's outputs and returns the step's status.
func (c *Client) Complete(ctx context.Context, taskID, worker string, outputs any) (string, error) {
	if outputs == nil {
		outputs = map[string]any{}
	}
	var out struct {
		StepStatus string `json:"step_status"`
	}
	err := c.call(ctx, "POST", "/api/worker/tasks/"+seg(taskID)+"/complete",
		map[string]any{"worker": worker, "outputs": outputs}, &out)
	return out.StepStatus, err
}

// Fail reports a failure; a retryable one goes to the task's retry policy.
func (c *Client) Fail(ctx context.Context, taskID, worker, message string, retryable bool) (string, error) {
	var out struct {
		StepStatus string `json:"step_status"`
	}
	err := c.call(ctx, "POST", "/api/worker/tasks/"+seg(taskID)+"/fail",
		map[string]any{"worker": worker, "error": message, "retryable": retryable}, &out)
	return out.StepStatus, err
}

func (c *Client) call(ctx context.Context, method, path string, body any, out any) error {
	var b []byte
	if body != nil {
		var err error
		if b, err = json.Marshal(body); err != nil {
			return err
		}
	}
	return c.do(ctx, method, path, b, "application/json", out)
}

func (c *Client) do(ctx context.Context, method, path string, body []byte, ctype string, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	req.Header.Set("Accept", "application/json")
	if tp, ok := ctx.Value(traceParentKey{}).(string); ok && tp != "" {
		req.Header.Set("traceparent", tp)
	}
	if body != nil {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		e := &APIError{Status: resp.StatusCode, Code: fmt.Sprintf("http_%d", resp.StatusCode)}
		if json.Unmarshal(data, &e.Body) == nil {
			if code, ok := e.Body["code"].(string); ok && code != "" {
				e.Code = code
			}
			e.Detail, _ = e.Body["detail"].(string)
			if rs, ok := e.Body["reasons"].([]any); ok {
				for _, r := range rs {
					if m, ok := r.(map[string]any); ok {
						code, _ := m["code"].(string)
						e.Reasons = append(e.Reasons, code)
					}
				}
			}
		}
		return e
	}
	if out == nil || len(data) == 0 {
		return nil
	}
	return json.Unmarshal(data, out)
}

func seg(s string) string { return url.PathEscape(s) }
