package io.maestro.engine.worker;

import io.maestro.core.TenantId;
import io.maestro.core.logging.LogFields;
import io.maestro.core.trace.Tracing;
import io.maestro.engine.queue.WorkItem;
import io.maestro.engine.queue.WorkKind;
import io.maestro.engine.queue.WorkQueue;
import io.opentelemetry.api.trace.SpanKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Claims due queue rows and runs them, each on its own virtual thread, at most {@code concurrency}
 * at a time. A dispatcher thread reads which tenants have rows due and starts a worker per row it
 * has capacity for (tenants share that capacity fairly); each worker claims one row of its tenant
 * in the same transaction that starts the step (ADR 0052), so a step's claim costs no commit of its
 * own. Otherwise the dispatcher sleeps until woken (in-process signal, PostgreSQL NOTIFY) or until
 * the next row comes due, never longer than the slow poll. A heartbeat thread extends the leases of
 * rows in flight and cancels any row whose lease was lost (cancelled, timed out, redelivered
 * elsewhere) through its {@link Lease}: the worker is interrupted only outside database work, and a
 * row leaves the heartbeat set before the transaction that settles it.
 */
public final class WorkerPool implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(WorkerPool.class.getName());

  private final WorkQueue queue;
  private final Map<WorkKind, WorkHandler> handlers;
  private final WorkerSettings settings;
  private final Clock clock;
  private final String owner;
  private final BooleanSupplier alive;
  private final WorkerHooks hooks;
  // The test's observer of returned handlers; null when none is installed, so production runs
  // nothing extra on the step thread.
  private final WorkerHooks.Handled afterHandle;
  private final Tracing tracing;
  private final Semaphore permits;
  private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
  // Workers of this pool claiming a row of each tenant right now (their transaction is open).
  private final Map<TenantId, Integer> claiming = new ConcurrentHashMap<>();
  private final Attempts attempts;
  private final AtomicLong handled = new AtomicLong();
  private volatile boolean running;
  // Whether the dispatcher last found no free permit: only then does a finishing attempt wake it.
  // New due rows wake it themselves when their transaction commits.
  private volatile boolean starved;
  // Tenants with due rows that the dispatcher's last read could not give a worker: while there are
  // any (but the worker's own), a worker returns its permit instead of going on with its run.
  private volatile Set<TenantId> unserved = Set.of();

  /** The most rows one worker handles in a row (its run's successors) before it returns. */
  static final int MAX_CHAIN = 16;

  private Thread dispatcher;
  private Thread heartbeater;

  private record InFlight(WorkItem item, Lease lease) {}

  public WorkerPool(
      WorkQueue queue,
      Map<WorkKind, WorkHandler> handlers,
      WorkerSettings settings,
      Clock clock,
      String owner,
      BooleanSupplier alive) {
    this(queue, handlers, settings, clock, owner, alive, WorkerHooks.NONE);
  }

  public WorkerPool(
      WorkQueue queue,
      Map<WorkKind, WorkHandler> handlers,
      WorkerSettings settings,
      Clock clock,
      String owner,
      BooleanSupplier alive,
      WorkerHooks hooks) {
    this(queue, handlers, settings, clock, owner, alive, hooks, Tracing.off());
  }

  /**
   * @param tracing spans each step attempt ({@code step.attempt}) under the trace context its queue
   *     row kept, so a run's attempts continue the trace of the request that started it
   */
  public WorkerPool(
      WorkQueue queue,
      Map<WorkKind, WorkHandler> handlers,
      WorkerSettings settings,
      Clock clock,
      String owner,
      BooleanSupplier alive,
      WorkerHooks hooks,
      Tracing tracing) {
    this.tracing = tracing;
    this.queue = queue;
    this.alive = alive;
    this.hooks = hooks;
    this.afterHandle = hooks == WorkerHooks.NONE ? null : hooks.afterHandle();
    this.handlers = new EnumMap<>(handlers);
    this.settings = settings;
    this.clock = clock;
    this.owner = owner;
    this.permits = new Semaphore(settings.concurrency());
    for (WorkKind k : WorkKind.values()) {
      if (!this.handlers.containsKey(k)) {
        throw new IllegalArgumentException("no handler for " + k);
      }
    }
    this.attempts = ((ExecuteHandler) this.handlers.get(WorkKind.EXECUTE)).attempts();
  }

  /** The lease owner name of this pool, e.g. {@code host-1234-w1a2b}. */
  public String owner() {
    return owner;
  }

  /** Rows handled so far (any outcome). */
  public long handled() {
    return handled.get();
  }

  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    dispatcher =
        Thread.ofPlatform().daemon().name("maestro-dispatch-" + owner).start(this::dispatch);
    heartbeater =
        Thread.ofPlatform().daemon().name("maestro-heartbeat-" + owner).start(this::heartbeats);
  }

  private void dispatch() {
    while (running) {
      if (!alive.getAsBoolean()) {
        // The database is gone (the server is shutting down): stop instead of spinning on errors.
        LOG.info(() -> "worker pool " + owner + " stops: its database is closed");
        running = false;
        return;
      }
      try {
        // Marked before the permits are read: an attempt that frees one after the read sees the
        // mark and wakes this thread (the signal remembers a wake-up given before the wait).
        starved = true;
        int free = permits.availablePermits();
        starved = free == 0;
        Optional<Instant> nextDue = Optional.empty();
        if (free > 0) {
          int want = Math.min(free, settings.batch());
          WorkQueue.Due due = queue.due(want, clock.instant());
          nextDue = due.nextDue();
          List<TenantId> slots = slots(due, want);
          unserved = unserved(due, slots);
          for (TenantId tenant : slots) {
            permits.acquire();
            claiming.merge(tenant, 1, Integer::sum);
            Thread.ofVirtual().name("maestro-step-" + tenant.value()).start(() -> work(tenant));
          }
          if (!slots.isEmpty() && slots.size() == want) {
            continue; // there may be more due right now
          }
        }
        queue.signal().await(idleWait(free > 0, nextDue));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "claiming work failed; retrying after the poll interval", e);
        sleep(settings.poll());
      }
    }
  }

  /** How long to sleep; {@code next}: when a row becomes claimable, as the last claim read it. */
  private Duration idleWait(boolean hasCapacity, Optional<Instant> next) {
    if (!hasCapacity) {
      return settings.poll(); // a finishing attempt signals as soon as capacity frees up
    }
    if (next.isEmpty()) {
      return settings.poll();
    }
    Duration until = Duration.between(clock.instant(), next.get());
    if (until.isNegative()) {
      return Duration.ZERO;
    }
    return until.compareTo(settings.poll()) < 0 ? until.plusMillis(1) : settings.poll();
  }

  /** The tenants with rows due that got no worker in {@code slots}. */
  private static Set<TenantId> unserved(WorkQueue.Due due, List<TenantId> slots) {
    Set<TenantId> out = new java.util.HashSet<>(due.tenants().keySet());
    slots.forEach(out::remove);
    return Set.copyOf(out);
  }

  /**
   * How many workers to start for each tenant: an equal share of {@code want} each, oldest-waiting
   * tenant first, then what is left over; never more than a tenant has rows due that no worker of
   * this pool is claiming already.
   */
  private List<TenantId> slots(WorkQueue.Due due, int want) {
    Map<TenantId, Integer> open = new LinkedHashMap<>();
    due.tenants()
        .forEach(
            (t, n) -> {
              int left = n - claiming.getOrDefault(t, 0);
              if (left > 0) {
                open.put(t, left);
              }
            });
    List<TenantId> slots = new ArrayList<>();
    if (open.isEmpty()) {
      return slots;
    }
    int share = Math.max(1, want / open.size());
    for (int round = 0; round < 2 && slots.size() < want; round++) {
      for (Map.Entry<TenantId, Integer> e : open.entrySet()) {
        int take = Math.min(round == 0 ? share : want, Math.min(e.getValue(), want - slots.size()));
        for (int i = 0; i < take; i++) {
          slots.add(e.getKey());
        }
        e.setValue(e.getValue() - take);
      }
    }
    return slots;
  }

  /**
   * A worker: claims one due row of {@code tenant} in the transaction that also runs its handler's
   * first phase, then (with the row in the heartbeat set) runs the executor and records the
   * outcome. The transaction recording an outcome also claims and starts the run's next due row
   * (ADR 0056), and the worker goes on with it — at most {@value #MAX_CHAIN} rows in a row, and
   * only while no other tenant's due rows wait for a worker — before it gives its permit back.
   */
  private void work(TenantId tenant) {
    Held first = new Held();
    Optional<Attempts.Claimed> claimed;
    try {
      claimed =
          first.lease.database(
              () -> attempts.claim(tenant, first.claimer(tenant, Optional.empty()), first::phases));
    } catch (RuntimeException e) {
      done(tenant);
      String failed = first.claimedId.get();
      LOG.log(
          Level.WARNING,
          "claiming work of "
              + tenant.value()
              + (failed == null ? "" : " (" + failed + ")")
              + " failed; it is delivered again when its lease runs out",
          e);
      if (failed != null) {
        try {
          Instant now = clock.instant();
          queue.leaseAfterFailure(tenant, failed, owner, now, now.plus(settings.lease()));
        } catch (RuntimeException again) {
          LOG.log(Level.WARNING, "could not lease " + failed + " after its claim failed", again);
        }
      }
      finished();
      return;
    }
    done(tenant);
    Held held = first;
    try {
      for (int rows = 1; claimed.isPresent(); rows++) {
        Held next = rows < MAX_CHAIN && mayChain(tenant) ? new Held() : null;
        Optional<Attempts.Next> chain =
            next == null
                ? Optional.empty()
                : Optional.of(
                    new Attempts.Next(
                        next.claimer(tenant, Optional.of(claimed.get().item().runId())),
                        next::phases));
        claimed = handle(claimed.get(), held.lease, chain);
        held = next;
      }
    } finally {
      // Also when an executor's Error kills this thread: the permit is never lost.
      finished();
    }
  }

  /** Whether a worker of {@code tenant} may go on with its run's next row instead of returning. */
  private boolean mayChain(TenantId tenant) {
    Set<TenantId> waiting = unserved;
    return running && (waiting.isEmpty() || (waiting.size() == 1 && waiting.contains(tenant)));
  }

  /**
   * Runs a claimed row to its recorded outcome; returns the row the recording transaction claimed
   * next ({@code chain}), if any.
   */
  private Optional<Attempts.Claimed> handle(
      Attempts.Claimed claimed, Lease lease, Optional<Attempts.Next> chain) {
    WorkItem item = claimed.item();
    inFlight.put(item.workId(), new InFlight(item, lease));
    LogFields.put(LogFields.TENANT, item.tenant().value());
    LogFields.put(LogFields.RUN_ID, item.runId());
    LogFields.put(LogFields.STEP_ID, item.stepId());
    Tracing.Traced span =
        tracing
            .spanUnder(item.traceParent(), "step.attempt", SpanKind.CONSUMER)
            .attribute(Tracing.TENANT, item.tenant().value())
            .attribute(Tracing.RUN_ID, item.runId())
            .attribute(Tracing.STEP_ID, item.stepId())
            .attribute("maestro.work.kind", item.kind().name())
            .attribute("maestro.step.attempt", item.attempt())
            .attribute("maestro.work.claims", item.claims());
    try {
      Optional<Attempts.Claimed> next = attempts.proceed(claimed, lease, chain);
      if (afterHandle != null) {
        afterHandle.handled(item);
      }
      return next;
    } catch (InterruptedException e) {
      span.failed("lease_lost");
      LOG.fine(() -> "work " + item.workId() + " interrupted: lease lost");
    } catch (RuntimeException e) {
      span.failed(e);
      // The row keeps its lease until it expires, then another claim retries it.
      LOG.log(
          Level.WARNING,
          "work " + item.workId() + " (" + item.kind() + " " + item.stepId() + ") failed",
          e);
    } finally {
      span.close();
      inFlight.remove(item.workId());
      LogFields.clear();
      handled.incrementAndGet();
    }
    return Optional.empty();
  }

  /**
   * The lease of one row a worker claims, bound to the worker's thread; the heartbeat lets go of
   * the row when the lease is lost.
   */
  private final class Held {
    final AtomicReference<String> claimedId = new AtomicReference<>();
    final Lease lease =
        new Lease(
            () -> {
              String id = claimedId.get();
              if (id != null) {
                inFlight.remove(id);
              }
            });

    Held() {
      lease.bind(Thread.currentThread());
    }

    Attempts.Phases phases(WorkItem item) {
      return handlers.get(item.kind()).phases(item, owner, lease);
    }

    /** Claims a due row of {@code tenant} (of one run, with {@code runId}) for this lease. */
    Attempts.Claimer claimer(TenantId tenant, Optional<String> runId) {
      return new Attempts.Claimer() {
        @Override
        public Optional<WorkItem> claim(io.maestro.store.Tx tx) {
          Instant now = clock.instant();
          Optional<WorkItem> w =
              runId.isPresent()
                  ? queue.claimOneOfRun(tx, tenant, runId.get(), owner, now, settings.lease())
                  : queue.claimOne(tx, tenant, owner, now, settings.lease());
          w.ifPresent(i -> claimedId.set(i.workId()));
          return w;
        }

        @Override
        public void prepared(io.maestro.store.Tx tx, WorkItem item) {
          queue.renewClaim(tx, item, owner, clock.instant().plus(settings.lease()));
        }
      };
    }
  }

  /** This tenant's claim is over (committed or not): its rows no longer count as being claimed. */
  private void done(TenantId tenant) {
    claiming.computeIfPresent(tenant, (t, n) -> n <= 1 ? null : n - 1);
  }

  /** A worker ends: its permit goes back, and a dispatcher that ran out of permits wakes. */
  private void finished() {
    permits.release();
    if (starved) {
      queue.signal().wake();
    }
  }

  private void heartbeats() {
    long every = Math.max(100, settings.lease().toMillis() / 3);
    while (running && alive.getAsBoolean()) {
      try {
        hooks.heartbeatPause().pause(Duration.ofMillis(every));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      for (InFlight f : inFlight.values()) {
        try {
          boolean held = queue.heartbeat(f.item(), owner, clock.instant().plus(settings.lease()));
          // A row that left the set meanwhile is being settled by its worker: its finish deleted
          // the row, which is not a lost lease.
          if (!held && inFlight.remove(f.item().workId()) != null) {
            f.lease().lose();
          }
          hooks.afterHeartbeat().renewed(f.item(), held);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "heartbeat failed for " + f.item().workId(), e);
        }
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops claiming, cancels the attempts in flight (interrupting them outside database work) and
   * waits for them up to {@code grace}. Rows still leased are picked up by another worker when
   * their leases expire.
   */
  public void stop(Duration grace) {
    synchronized (this) {
      if (!running) {
        return;
      }
      running = false;
    }
    queue.signal().wake();
    dispatcher.interrupt();
    heartbeater.interrupt();
    inFlight.values().forEach(f -> f.lease().lose());
    try {
      dispatcher.join(grace.toMillis());
      permits.tryAcquire(settings.concurrency(), grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(5));
  }
}
