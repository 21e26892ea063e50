package io.maestro.client;

import io.maestro.core.trace.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The worker runtime: long-polls queues, runs a {@link TaskHandler} per task on a virtual thread
 * (at most {@code concurrency} at a time), heartbeats the leases of tasks in flight, and completes
 * or fails each task with what the handler returned or threw.
 *
 * <pre>{@code
 * try (Worker w = Worker.builder(client).queue("billing").handler(task -> charge(task)).build()) {
 *   w.start();
 *   ...
 * }
 * }</pre>
 *
 * <p>{@link #close()} shuts down gracefully: no new polls, tasks in flight finish and report within
 * the grace period; any still running then are interrupted and their leases left to expire, so the
 * server redelivers them to another worker. Thread-safe.
 *
 * <p>Tracing: a task the server leased with a {@code traceparent} is handled inside that trace.
 * With {@link Builder#tracing(OpenTelemetry)} the worker records a {@code worker.task} span under
 * it (the handler's own spans nest inside); without, it records nothing but still reports the
 * outcome under the task's context, so the server's span of the report joins the run's trace.
 */
public final class Worker implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Worker.class.getName());

  private final MaestroClient client;
  private final List<String> queues;
  private final String identity;
  private final TaskHandler handler;
  private final int concurrency;
  private final Duration pollWait;
  private final Duration heartbeatEvery;
  private final Duration grace;
  private final Tracing tracing;
  private final Semaphore permits;
  private final Map<String, Thread> inFlight = new ConcurrentHashMap<>();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean running;
  private Thread poller;
  private Thread heartbeater;

  private Worker(Builder b) {
    this.client = b.client;
    this.queues = List.copyOf(b.queues);
    this.identity = b.identity;
    this.handler = b.handler;
    this.concurrency = b.concurrency;
    this.pollWait = b.pollWait;
    this.heartbeatEvery = b.heartbeatEvery;
    this.grace = b.grace;
    this.tracing = b.tracing;
    this.permits = new Semaphore(concurrency);
  }

  public static Builder builder(MaestroClient client) {
    return new Builder(client);
  }

  /** The identity this worker reports to the server (it appears in the step's receipts). */
  public String identity() {
    return identity;
  }

  /** Tasks this worker completed so far. */
  public long completed() {
    return completed.get();
  }

  /** Tasks this worker failed so far (retryable or not). */
  public long failed() {
    return failed.get();
  }

  /** Starts polling. Idempotent. */
  public synchronized Worker start() {
    if (running) {
      return this;
    }
    running = true;
    poller = Thread.ofPlatform().daemon().name("maestro-worker-poll-" + identity).start(this::poll);
    heartbeater =
        Thread.ofPlatform()
            .daemon()
            .name("maestro-worker-heartbeat-" + identity)
            .start(this::heartbeats);
    return this;
  }

  private void poll() {
    while (running) {
      int taken = 0;
      try {
        permits.acquire();
        taken = 1 + drain(concurrency - 1);
        List<WorkerTask> tasks = client.poll(identity, queues, taken, pollWait);
        for (WorkerTask t : tasks) {
          taken--;
          Thread th = Thread.ofVirtual().name("maestro-task-" + t.taskId()).unstarted(() -> run(t));
          inFlight.put(t.taskId(), th);
          th.start();
        }
      } catch (InterruptedException | MaestroClient.ClientInterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "poll failed; polling again in 1 s: " + e.getMessage());
        sleepQuietly(Duration.ofSeconds(1));
      } finally {
        permits.release(Math.max(0, taken));
      }
    }
  }

  private int drain(int max) {
    int got = 0;
    while (got < max && permits.tryAcquire()) {
      got++;
    }
    return got;
  }

  private void run(WorkerTask task) {
    try (Tracing.Traced span =
        tracing
            .continueTrace(task.traceParent(), "worker.task", SpanKind.CONSUMER)
            .attribute(Tracing.RUN_ID, task.runId())
            .attribute(Tracing.STEP_ID, task.stepId())
            .attribute("maestro.step.attempt", task.attempt())
            .attribute("maestro.worker.queue", task.queue())
            .attribute("maestro.worker.delivery", task.delivery())
            .attribute("maestro.worker.identity", identity)) {
      Object outputs;
      try {
        outputs = handler.handle(task);
      } catch (TaskFailure f) {
        span.failed(f);
        client.fail(task.taskId(), identity, f.getMessage(), f.retryable());
        failed.incrementAndGet();
        return;
      } catch (InterruptedException e) {
        return; // lease lost or shutting down: the server redelivers the task
      } catch (Exception e) {
        span.failed(e);
        client.fail(task.taskId(), identity, String.valueOf(e), true);
        failed.incrementAndGet();
        return;
      }
      client.complete(task.taskId(), identity, outputs == null ? Map.of() : outputs);
      completed.incrementAndGet();
    } catch (MaestroApiException e) {
      LOG.log(Level.WARNING, "task " + task.taskId() + " not reported: " + e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "task " + task.taskId() + " not reported", e);
    } finally {
      inFlight.remove(task.taskId());
      permits.release();
    }
  }

  private void heartbeats() {
    while (running || !inFlight.isEmpty()) {
      if (!sleepQuietly(heartbeatEvery)) {
        return;
      }
      for (Map.Entry<String, Thread> e : List.copyOf(inFlight.entrySet())) {
        try {
          client.heartbeat(e.getKey());
        } catch (MaestroApiException x) {
          if ("worker_task_not_held".equals(x.code())) {
            // Another worker holds it now (or the run ended): stop working on it.
            e.getValue().interrupt();
          }
        } catch (RuntimeException x) {
          LOG.log(Level.FINE, "heartbeat failed for " + e.getKey(), x);
        }
      }
    }
  }

  private static boolean sleepQuietly(Duration d) {
    try {
      Thread.sleep(d.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Stops polling, lets tasks in flight finish within the grace period, then interrupts the rest
   * (their leases expire and the server redelivers them).
   */
  @Override
  public void close() {
    synchronized (this) {
      if (!running) {
        return;
      }
      running = false;
    }
    poller.interrupt();
    try {
      poller.join(grace.toMillis());
      if (permits.tryAcquire(concurrency, grace.toMillis(), TimeUnit.MILLISECONDS)) {
        permits.release(concurrency);
      } else {
        new ArrayList<>(inFlight.values()).forEach(Thread::interrupt);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    heartbeater.interrupt();
  }

  /** Builds a {@link Worker}. */
  public static final class Builder {
    private final MaestroClient client;
    private final List<String> queues = new ArrayList<>();
    private String identity = "java-" + UUID.randomUUID().toString().substring(0, 8);
    private TaskHandler handler;
    private int concurrency = 4;
    private Duration pollWait = Duration.ofSeconds(20);
    private Duration heartbeatEvery = Duration.ofSeconds(10);
    private Duration grace = Duration.ofSeconds(30);
    private Tracing tracing = Tracing.off();

    private Builder(MaestroClient client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    /** A queue to serve ({@code uses: worker/<queue>}); call again for more. */
    public Builder queue(String queue) {
      queues.add(Objects.requireNonNull(queue, "queue"));
      return this;
    }

    /** The identity the receipts name (default {@code java-<random>}). */
    public Builder identity(String value) {
      this.identity = Objects.requireNonNull(value, "identity");
      return this;
    }

    public Builder handler(TaskHandler value) {
      this.handler = Objects.requireNonNull(value, "handler");
      return this;
    }

    /** How many tasks run at once (default 4). */
    public Builder concurrency(int value) {
      if (value < 1 || value > 100) {
        throw new IllegalArgumentException("concurrency must be from 1 to 100");
      }
      this.concurrency = value;
      return this;
    }

    /** How long one poll waits for work (default 20 s, at most 30 s). */
    public Builder pollWait(Duration value) {
      if (value.isNegative() || value.toSeconds() > 30) {
        throw new IllegalArgumentException("pollWait must be from 0 to 30 s");
      }
      this.pollWait = value;
      return this;
    }

    /** How often leases of tasks in flight are extended (default 10 s; keep it below the lease). */
    public Builder heartbeatEvery(Duration value) {
      this.heartbeatEvery = value;
      return this;
    }

    /** How long {@link Worker#close()} waits for tasks in flight (default 30 s). */
    public Builder shutdownGrace(Duration value) {
      this.grace = value;
      return this;
    }

    /**
     * Records a {@code worker.task} span per task through {@code otel} (your OpenTelemetry SDK and
     * exporter), continuing the run's trace when the server sent one. Off by default: no span is
     * recorded, though outcomes still carry the task's trace context.
     */
    public Builder tracing(OpenTelemetry otel) {
      this.tracing = Tracing.of(Objects.requireNonNull(otel, "otel"));
      return this;
    }

    public Worker build() {
      if (queues.isEmpty()) {
        throw new IllegalStateException("a worker serves at least one queue");
      }
      if (handler == null) {
        throw new IllegalStateException("a worker needs a handler");
      }
      return new Worker(this);
    }
  }
}
