// Command worker is an example Go worker: it serves queue "go" (MAESTRO_QUEUE) and sums numbers.
//
//	MAESTRO_URL=http://127.0.0.1:8080 MAESTRO_TOKEN=<worker token> go run ./examples/worker
//
// Input {"numbers": [integers]}; outputs {"total": sum, "worker": identity}. It stops gracefully
// on SIGTERM or Ctrl-C.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"maestro-conductor/sdks/go/maestro"
)

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func main() {
	token := os.Getenv("MAESTRO_TOKEN")
	if token == "" {
		fmt.Fprintln(os.Stderr, "worker: set MAESTRO_TOKEN to a worker token")
		os.Exit(2)
	}
	identity := env("MAESTRO_WORKER_ID", "go-example-1")
	queue := env("MAESTRO_QUEUE", "go")
	w := &maestro.Worker{
		Client:      maestro.NewClient(env("MAESTRO_URL", "http://127.0.0.1:8080"), token),
		Queues:      []string{queue},
		Identity:    identity,
		Concurrency: 2,
		PollWait:    5 * time.Second,
		Handler: func(ctx context.Context, task maestro.WorkerTask) (any, error) {
			var in struct {
				Numbers []int64 `json:"numbers"`
			}
			if err := json.Unmarshal(task.Input, &in); err != nil {
				return nil, maestro.Permanent("input.numbers must be a list of integers: %v", err)
			}
			var total int64
			for _, n := range in.Numbers {
				total += n
			}
			return map[string]any{"total": total, "worker": identity}, nil
		},
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	fmt.Printf("go worker %s polling %s\n", identity, queue)
	if err := w.Run(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("go worker %s stopped after %d task(s)\n", identity, w.Completed())
}
