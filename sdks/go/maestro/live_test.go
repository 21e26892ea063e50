package maestro

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// The client and the worker loop against a live server: MAESTRO_URL, MAESTRO_TOKEN (may author,
// publish, run and read receipts) and MAESTRO_WORKER_TOKEN (a worker token for queue go-sdk).
// Without them these tests are skipped; under CI=true they fail.

const liveQueue = "go-sdk"

func live(t *testing.T) (admin, worker *Client) {
	t.Helper()
	var missing []string
	for _, v := range []string{"MAESTRO_URL", "MAESTRO_TOKEN", "MAESTRO_WORKER_TOKEN"} {
		if os.Getenv(v) == "" {
			missing = append(missing, v)
		}
	}
	if len(missing) > 0 {
		why := "live server tests need " + strings.Join(missing, ", ")
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but " + why)
		}
		t.Skip(why)
	}
	u := os.Getenv("MAESTRO_URL")
	return NewClient(u, os.Getenv("MAESTRO_TOKEN")), NewClient(u, os.Getenv("MAESTRO_WORKER_TOKEN"))
}

func sumTask() Task {
	max := 1
	return Task{ID: "sum", Uses: "worker/" + liveQueue,
		Retry: &Retry{Max: &max, Backoff: "10ms", On: []string{"platform"}},
		With: map[string]any{
			"input": map[string]any{"items": "${{ inputs.items }}"},
			"output_schema": map[string]any{"type": "object", "required": []any{"total"},
				"properties": map[string]any{"total": map[string]any{"type": "integer"}}},
		}}
}

func publish(t *testing.T, admin *Client) string {
	t.Helper()
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	name := "go-sdk-" + hex.EncodeToString(b)
	w := Workflow{Metadata: Metadata{Name: name, Version: "1"}, Spec: Spec{
		Inputs: map[string]any{"type": "object", "properties": map[string]any{
			"items": map[string]any{"type": "array", "items": map[string]any{"type": "integer"}}}},
		Tasks: []Task{sumTask()},
	}}
	w.APIVersion, w.Kind = APIVersion, "Workflow"
	if p := w.Validate(); len(p) > 0 {
		t.Fatalf("invalid: %v", p)
	}
	ctx := context.Background()
	if _, err := admin.PutWorkflow(ctx, name, "1", w); err != nil {
		t.Fatal(err)
	}
	if err := admin.Publish(ctx, name, "1"); err != nil {
		t.Fatal(err)
	}
	return name
}

func awaitEnd(t *testing.T, admin *Client, runID string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		run, err := admin.Run(context.Background(), runID)
		if err != nil {
			t.Fatal(err)
		}
		switch run["status"] {
		case "SUCCEEDED", "FAILED", "CANCELLED":
			return run
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("run %s did not end", runID)
	return nil
}

func step(run map[string]any, id string) map[string]any {
	for _, s := range run["steps"].([]any) {
		if m := s.(map[string]any); m["id"] == id {
			return m
		}
	}
	return nil
}

func sum(_ context.Context, task WorkerTask) (any, error) {
	var in struct{ Items []int }
	if err := json.Unmarshal(task.Input, &in); err != nil {
		return nil, Permanent("bad input: %v", err)
	}
	total := 0
	for _, n := range in.Items {
		total += n
	}
	return map[string]any{"total": total}, nil
}

// runWorker runs w until the returned stop function is called; stop waits for a graceful end.
func runWorker(w *Worker) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	return func() { cancel(); <-done }
}

func TestLiveWorkerCompletesAStepAndTheReceiptNamesIt(t *testing.T) {
	admin, wc := live(t)
	name := publish(t, admin)
	w := &Worker{Client: wc, Queues: []string{liveQueue}, Identity: "go-test-1", Concurrency: 2,
		PollWait: 2 * time.Second, Handler: sum}
	stop := runWorker(w)
	ref, err := admin.StartRun(context.Background(), name, map[string]any{"items": []int{3, 4, 35}})
	if err != nil {
		t.Fatal(err)
	}
	run := awaitEnd(t, admin, ref.ID)
	stop()
	if run["status"] != "SUCCEEDED" {
		t.Fatalf("run %v", run)
	}
	if out := step(run, "sum")["outputs"].(map[string]any); out["total"] != float64(42) {
		t.Fatalf("outputs %v", out)
	}
	if w.Completed() != 1 {
		t.Fatalf("completed %d", w.Completed())
	}
	receipts, err := admin.Receipts(context.Background(), map[string]string{"type": "step.completed", "limit": "500"})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range receipts {
		subject, _ := json.Marshal(r["subject"])
		if strings.Contains(string(subject), ref.ID+"/sum") {
			found = r["payload"].(map[string]any)["worker"] == "go-test-1"
		}
	}
	if !found {
		t.Fatal("no step.completed receipt naming go-test-1")
	}
}

func TestLiveRetryableErrorIsRetriedThenSucceeds(t *testing.T) {
	admin, wc := live(t)
	name := publish(t, admin)
	w := &Worker{Client: wc, Queues: []string{liveQueue}, Identity: "go-test-2", PollWait: 2 * time.Second,
		Handler: func(ctx context.Context, task WorkerTask) (any, error) {
			if task.Attempt == 1 {
				return nil, errors.New("transient")
			}
			return sum(ctx, task)
		}}
	stop := runWorker(w)
	ref, _ := admin.StartRun(context.Background(), name, map[string]any{"items": []int{1, 2}})
	run := awaitEnd(t, admin, ref.ID)
	stop()
	if run["status"] != "SUCCEEDED" || step(run, "sum")["attempt"] != float64(2) {
		t.Fatalf("run %v", run)
	}
	if w.Completed() != 1 || w.Failed() != 1 {
		t.Fatalf("completed %d failed %d", w.Completed(), w.Failed())
	}
}

func TestLivePermanentFailureFailsTheRun(t *testing.T) {
	admin, wc := live(t)
	name := publish(t, admin)
	w := &Worker{Client: wc, Queues: []string{liveQueue}, Identity: "go-test-3", PollWait: 2 * time.Second,
		Handler: func(context.Context, WorkerTask) (any, error) { return nil, Permanent("no sums today") }}
	stop := runWorker(w)
	ref, _ := admin.StartRun(context.Background(), name, map[string]any{"items": []int{1}})
	run := awaitEnd(t, admin, ref.ID)
	stop()
	if run["status"] != "FAILED" || !strings.Contains(step(run, "sum")["error"].(string), "no sums today") {
		t.Fatalf("run %v", run)
	}
}

func TestLiveSecondCompletionIsRefused(t *testing.T) {
	admin, wc := live(t)
	name := publish(t, admin)
	ctx := context.Background()
	ref, _ := admin.StartRun(ctx, name, map[string]any{"items": []int{5}})
	var task *WorkerTask
	for deadline := time.Now().Add(30 * time.Second); task == nil && time.Now().Before(deadline); {
		tasks, err := wc.Poll(ctx, "go-test-4", []string{liveQueue}, 1, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		for i := range tasks {
			if tasks[i].RunID == ref.ID {
				task = &tasks[i]
			}
		}
	}
	if task == nil || task.StepID != "sum" || task.Workflow != name || task.Delivery != 1 {
		t.Fatalf("task %+v", task)
	}
	lease, err := wc.Heartbeat(ctx, task.TaskID)
	if err != nil || lease.Before(task.LeaseUntil) {
		t.Fatalf("heartbeat %v %v", lease, err)
	}
	if s, err := wc.Complete(ctx, task.TaskID, "go-test-4", map[string]any{"total": 5}); err != nil || s != "SUCCEEDED" {
		t.Fatalf("complete %q %v", s, err)
	}
	_, err = wc.Complete(ctx, task.TaskID, "go-test-4", map[string]any{"total": 5})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 409 || ae.Code != "worker_task_not_held" {
		t.Fatalf("second completion: %v", err)
	}
	if run := awaitEnd(t, admin, ref.ID); run["status"] != "SUCCEEDED" {
		t.Fatalf("run %v", run)
	}
}

func TestLivePollOfAQueueNotHeldIsDenied(t *testing.T) {
	_, wc := live(t)
	_, err := wc.Poll(context.Background(), "go-test-5", []string{"somebody-else"}, 1, 0)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 403 || len(ae.Reasons) != 1 || ae.Reasons[0] != "queue_not_granted" {
		t.Fatalf("poll: %v (%+v)", err, ae)
	}
}

func TestLiveServerRefusesWhatTheValidatorRefusesAtTheSamePaths(t *testing.T) {
	admin, _ := live(t)
	text := []byte(`{"apiVersion":"maestro/v1","kind":"Workflow","metadata":{"name":"go-sdk-bad","version":"1"},
		"spec":{"tasks":[{"id":"a","uses":"worker/go-sdk","needs":["b"]},{"id":"b","uses":"core/log","needs":["a"],"with":{}}]}}`)
	raw, _ := Decode(text)
	var want []string
	for _, p := range Validate(raw) {
		want = append(want, p.Path)
	}
	_, err := admin.PutWorkflow(context.Background(), "go-sdk-bad", "1", json.RawMessage(text))
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 422 || ae.Code != "manifest_invalid" {
		t.Fatalf("put: %v", err)
	}
	got := map[string]int{}
	for _, e := range ae.Body["errors"].([]any) {
		got[e.(map[string]any)["path"].(string)]++
	}
	if len(want) != 2 || len(got) != 2 || got[want[0]] != 1 || got[want[1]] != 1 {
		t.Fatalf("server %v, validator %v", got, want)
	}
}
