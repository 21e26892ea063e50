package maestro

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// TaskError fails a task; Retryable failures go to the task's retry policy.
type TaskError struct {
	Message   string
	Retryable bool
}

func (e *TaskError) Error() string { return e.Message }

// Permanent fails the task for good.
func Permanent(format string, args ...any) error {
	return &TaskError{Message: fmt.Sprintf(format, args...)}
}

// Handler computes a task's outputs (any JSON value; nil is {}). ctx is cancelled when the lease
// is lost (another worker holds the task now) or when the worker stops past its grace period;
// the report of a cancelled task would be refused, so a handler should return early. Returning a
// *TaskError fails the task as it says; any other error fails it as retryable. Delivery is at
// least once: handlers should be idempotent (task.IdempotencyKey).
type Handler func(ctx context.Context, task WorkerTask) (any, error)

// Worker polls queues and runs Handler for each leased task, at most Concurrency at a time,
// heartbeating leases until the task is reported.
type Worker struct {
	Client         *Client
	Queues         []string
	Identity       string        // named in the receipts; default host-pid
	Concurrency    int           // default 1
	PollWait       time.Duration // default 20 s, at most 30 s
	HeartbeatEvery time.Duration // default 10 s
	Grace          time.Duration // default 30 s
	Handler        Handler
	Logger         *log.Logger

	completed, failed atomic.Int64
}

// Completed is the number of tasks this worker completed.
func (w *Worker) Completed() int64 { return w.completed.Load() }

// Failed is the number of tasks this worker failed.
func (w *Worker) Failed() int64 { return w.failed.Load() }

func (w *Worker) defaults() error {
	if w.Client == nil || w.Handler == nil || len(w.Queues) == 0 {
		return errors.New("a worker needs a client, a handler and at least one queue")
	}
	if w.Identity == "" {
		host, _ := os.Hostname()
		w.Identity = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	if w.Concurrency <= 0 {
		w.Concurrency = 1
	}
	if w.Concurrency > 100 {
		return errors.New("concurrency must be from 1 to 100")
	}
	if w.PollWait == 0 {
		w.PollWait = 20 * time.Second
	}
	if w.PollWait < 0 || w.PollWait > 30*time.Second {
		return errors.New("PollWait must be from 0 to 30 s")
	}
	if w.HeartbeatEvery <= 0 {
		w.HeartbeatEvery = 10 * time.Second
	}
	if w.Grace <= 0 {
		w.Grace = 30 * time.Second
	}
	if w.Logger == nil {
		w.Logger = log.New(os.Stderr, "maestro-worker ", log.LstdFlags)
	}
	return nil
}

// Run polls until ctx is cancelled, then stops gracefully: it lets the poll under way end
// (at most PollWait), lets tasks in flight finish within Grace, and cancels the rest (their leases expire and the server
// redelivers them). It returns nil after a graceful stop.
func (w *Worker) Run(ctx context.Context) error {
	if err := w.defaults(); err != nil {
		return err
	}
	slots := make(chan struct{}, w.Concurrency)
	// Tasks run under their own context: cancelling ctx stops polling, not them.
	tasksCtx, cancelTasks := context.WithCancel(context.Background())
	defer cancelTasks()
	var inFlight sync.Map // task id -> context.CancelFunc
	var wg sync.WaitGroup

	hbDone := make(chan struct{})
	go w.heartbeats(tasksCtx, &inFlight, hbDone)

	for ctx.Err() == nil {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			continue
		}
		free := 1
	more:
		for free < w.Concurrency {
			select {
			case slots <- struct{}{}:
				free++
			default:
				break more
			}
		}
		// The poll is not cancelled with ctx: the server may lease tasks to it up to its end, and
		// a poll abandoned then would strand them until their leases expire. Stopping therefore
		// waits up to PollWait, and the tasks that poll brings are still run.
		pctx, cancelPoll := context.WithTimeout(context.Background(), w.PollWait+30*time.Second)
		tasks, err := w.Client.Poll(pctx, w.Identity, w.Queues, free, w.PollWait)
		cancelPoll()
		if err != nil {
			w.Logger.Printf("poll failed: %v", err)
			select {
			case <-time.After(time.Second):
			case <-ctx.Done():
			}
		}
		for i := len(tasks); i < free; i++ {
			<-slots
		}
		for _, t := range tasks {
			taskCtx, cancel := context.WithCancel(tasksCtx)
			inFlight.Store(t.TaskID, cancel)
			wg.Add(1)
			go func(t WorkerTask) {
				defer func() {
					inFlight.Delete(t.TaskID)
					cancel()
					<-slots
					wg.Done()
				}()
				w.run(taskCtx, t)
			}(t)
		}
	}

	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(w.Grace):
		cancelTasks()
		<-done
	}
	close(hbDone)
	return nil
}

func (w *Worker) run(ctx context.Context, t WorkerTask) {
	outputs, err := w.Handler(ctx, t)
	if ctx.Err() != nil {
		return // lease lost or stopping: the server redelivers the task
	}
	// Reports use their own deadline: they must reach the server even while stopping.
	rctx, cancel := context.WithTimeout(WithTraceParent(context.Background(), t.TraceParent), 30*time.Second)
	defer cancel()
	if err != nil {
		var te *TaskError
		retryable := true
		msg := err.Error()
		if errors.As(err, &te) {
			retryable = te.Retryable
		}
		if _, ferr := w.Client.Fail(rctx, t.TaskID, w.Identity, msg, retryable); ferr != nil {
			w.Logger.Printf("task %s not failed: %v", t.TaskID, ferr)
			return
		}
		w.failed.Add(1)
		return
	}
	if _, cerr := w.Client.Complete(rctx, t.TaskID, w.Identity, outputs); cerr != nil {
		w.Logger.Printf("task %s not completed: %v", t.TaskID, cerr)
		var ae *APIError
		if errors.As(cerr, &ae) && (ae.Code == "worker_output_invalid" || ae.Code == "worker_output_too_large") {
			// A refused completion keeps the lease: fail the task for good, saying why.
			if _, ferr := w.Client.Fail(rctx, t.TaskID, w.Identity, ae.Code+": "+ae.Detail, false); ferr == nil {
				w.failed.Add(1)
			}
		}
		return
	}
	w.completed.Add(1)
}

func (w *Worker) heartbeats(ctx context.Context, inFlight *sync.Map, done chan struct{}) {
	tick := time.NewTicker(w.HeartbeatEvery)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
		}
		inFlight.Range(func(k, v any) bool {
			hctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			if _, err := w.Client.Heartbeat(hctx, k.(string)); err != nil {
				var ae *APIError
				if errors.As(err, &ae) && ae.Code == "worker_task_not_held" {
					// Another worker holds it now, or the run ended: stop working on it.
					v.(context.CancelFunc)()
				}
			}
			return true
		})
	}
}
