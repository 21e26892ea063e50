package io.maestro.engine;

import io.maestro.core.Ids;
import io.maestro.core.TenantId;
import io.maestro.core.trace.Tracing;
import io.maestro.engine.expr.Expressions;
import io.maestro.engine.internal.Advancer;
import io.maestro.engine.internal.InputsValidator;
import io.maestro.engine.internal.OutcomeApplier;
import io.maestro.engine.internal.ReceiptWriter;
import io.maestro.engine.internal.RunStore;
import io.maestro.engine.internal.Transitions;
import io.maestro.engine.manifest.ManifestLoader;
import io.maestro.engine.queue.WakeSignal;
import io.maestro.engine.queue.WorkKind;
import io.maestro.engine.queue.WorkQueue;
import io.maestro.engine.registry.WorkflowRegistry;
import io.maestro.engine.run.ApprovalHandler;
import io.maestro.engine.run.CancelRunHandler;
import io.maestro.engine.run.EngineChildRuns;
import io.maestro.engine.run.PauseRunHandler;
import io.maestro.engine.run.RunPurge;
import io.maestro.engine.run.RunQueries;
import io.maestro.engine.run.StartRunHandler;
import io.maestro.engine.sandbox.SandboxCeilings;
import io.maestro.engine.schedule.Schedules;
import io.maestro.engine.schedule.WebhookTriggers;
import io.maestro.engine.task.ChildRuns;
import io.maestro.engine.task.TaskAvailability;
import io.maestro.engine.task.TaskExecutor;
import io.maestro.engine.task.TaskTypes;
import io.maestro.engine.worker.Attempts;
import io.maestro.engine.worker.ExternalTasks;
import io.maestro.engine.worker.PgWakeListener;
import io.maestro.engine.worker.WorkHandler;
import io.maestro.engine.worker.WorkerHooks;
import io.maestro.engine.worker.WorkerPool;
import io.maestro.engine.worker.WorkerSettings;
import io.maestro.store.Database;
import io.maestro.store.Dialect;
import io.maestro.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The composition root of the engine: builds its parts once and hands out the entry points. It
 * holds no logic of its own; each command has its handler ({@link #startRun()}, {@link
 * #cancelRun()}, {@link #approvals()}), reads go through {@link #runs()} and {@link #logs()}, and
 * {@link #startWorkers()} starts this process's worker pool. Several engines (several processes, or
 * several instances in one test) may share one database.
 */
public final class Engine implements AutoCloseable {
  private final Database db;
  private final WorkQueue queue;
  private final WorkflowRegistry registry;
  private final StartRunHandler startRun;
  private final CancelRunHandler cancelRun;
  private final PauseRunHandler pauseRun;
  private final ApprovalHandler approvals;
  private final RunQueries runs;
  private final RunLogs logs;
  private final Schedules schedules;
  private final WebhookTriggers triggers;
  private final TaskTypes types;
  private final Map<WorkKind, WorkHandler> handlers;
  private final ExternalTasks external;
  private final WorkerSettings workerSettings;
  private final WorkerHooks workerHooks;
  private final Tracing tracing;
  private final Clock clock;
  private final String instance;
  private WorkerPool pool;
  private PgWakeListener listener;

  private Engine(Builder b) {
    this.db = b.db;
    this.clock = b.clock;
    this.workerSettings = b.workers;
    this.workerHooks = b.workerHooks;
    this.tracing = b.tracing;
    this.instance = b.instance;
    Ids ids = new Ids(b.clock, b.random);
    Expressions expressions = new Expressions(b.outputLimits.maxExpressionBytes());
    this.queue = new WorkQueue(db, ids, new WakeSignal());
    RunStore store = new RunStore();
    // Engine transactions may use at most half of the pool; requests and reads need the rest.
    ReceiptWriter receipts =
        new ReceiptWriter(b.receipts, Math.max(1, db.pool().getMaximumPoolSize() / 2));
    // Log lines' sizes go through the writer, so a batched transaction reports them after its
    // receipts (the run's start among them).
    this.logs =
        new RunLogs(
            db,
            b.clock,
            new EngineReceipts() {
              @Override
              public void emitAll(Tx tx, List<Receipt> rs) {}

              @Override
              public void stored(Tx tx, TenantId tenant, String runId, String key, long bytes) {
                receipts.stored(tx, tenant, runId, key, bytes);
              }
            });
    Transitions transitions = new Transitions(store, receipts, logs, b.clock, b.coverage);
    Advancer advancer = new Advancer(store, transitions, queue, expressions);
    OutcomeApplier applier =
        new OutcomeApplier(
            store, transitions, advancer, queue, expressions, b.random, b.outputLimits);
    this.runs = new RunQueries(db, store);

    // The registry validates manifests against the executor catalogue, and core/workflow needs
    // the run starter, which needs the registry: the catalogue is therefore built from the
    // executor factories after the child-run port exists.
    List<TaskExecutor> executors = new ArrayList<>();
    TaskTypesHolder holder = new TaskTypesHolder();
    ManifestLoader loader = new ManifestLoader(holder, expressions, b.maxTasks);
    this.registry = new WorkflowRegistry(db, loader, receipts, b.clock, b.tenantCeilings);
    this.startRun =
        new StartRunHandler(
            db, registry, store, advancer, receipts, new InputsValidator(), ids, b.clock);
    ChildRuns children = new EngineChildRuns(startRun, runs);
    for (Function<ChildRuns, TaskExecutor> f : b.executors) {
      executors.add(f.apply(children));
    }
    this.types = new TaskTypes(executors, new TaskAvailability(b.unavailable));
    holder.set(types);
    this.schedules = new Schedules(db, receipts, startRun, b.clock);
    this.triggers = new WebhookTriggers(db, receipts, startRun, b.clock);
    this.cancelRun = new CancelRunHandler(db, store, advancer, receipts);
    this.pauseRun =
        new PauseRunHandler(db, store, transitions, advancer, queue, registry, receipts);
    this.approvals = new ApprovalHandler(db, store, registry, applier, receipts, b.clock);
    this.handlers =
        Attempts.handlers(
            db,
            receipts,
            store,
            queue,
            registry,
            transitions,
            applier,
            expressions,
            types,
            logs,
            b.clock,
            b.logCapBytes);
    this.external = Attempts.external(handlers, queue, b.outputLimits, b.externalLease);
  }

  public static Builder builder(Database db) {
    return new Builder(db);
  }

  public WorkflowRegistry registry() {
    return registry;
  }

  /** The task types this engine knows but cannot run on this machine, and why. */
  public TaskAvailability availability() {
    return types.availability();
  }

  public StartRunHandler startRun() {
    return startRun;
  }

  /** Cron schedules of workflows and the handling of their ticks. */
  public Schedules schedules() {
    return schedules;
  }

  /** Webhook triggers of workflows. */
  public WebhookTriggers triggers() {
    return triggers;
  }

  public CancelRunHandler cancelRun() {
    return cancelRun;
  }

  /** Pauses and resumes runs (kill switches in pause mode). */
  public PauseRunHandler pauseRun() {
    return pauseRun;
  }

  public ApprovalHandler approvals() {
    return approvals;
  }

  public RunQueries runs() {
    return runs;
  }

  /** Deletes run data for a purge (the lifecycle module's dual-controlled purges call it). */
  public RunPurge purge() {
    return new RunPurge();
  }

  public RunLogs logs() {
    return logs;
  }

  public TaskTypes taskTypes() {
    return types;
  }

  public WorkQueue queue() {
    return queue;
  }

  /** The task-queue API of external workers ({@code worker/<queue>} tasks, ADR 0024). */
  public ExternalTasks externalTasks() {
    return external;
  }

  /** Starts this engine's worker pool (and, on PostgreSQL, its LISTEN connection). Idempotent. */
  public synchronized WorkerPool startWorkers() {
    if (pool == null) {
      pool =
          new WorkerPool(
              queue,
              handlers,
              workerSettings,
              clock,
              instance,
              () -> !db.pool().isClosed(),
              workerHooks,
              tracing);
      if (db.dialect() == Dialect.POSTGRESQL) {
        var hk = db.pool();
        listener =
            new PgWakeListener(
                hk.getJdbcUrl(),
                Optional.ofNullable(hk.getUsername()).orElse(""),
                Optional.ofNullable(hk.getPassword()).orElse(""),
                queue.signal(),
                () -> !db.pool().isClosed());
      }
      pool.start();
    }
    return pool;
  }

  /** Stops the worker pool; attempts in flight are interrupted and redelivered elsewhere. */
  public synchronized void stopWorkers(Duration grace) {
    if (listener != null) {
      listener.close();
      listener = null;
    }
    if (pool != null) {
      pool.stop(grace);
      pool = null;
    }
  }

  @Override
  public void close() {
    stopWorkers(Duration.ofSeconds(5));
  }

  /** Lets the manifest loader see the catalogue that is completed after it is built. */
  private static final class TaskTypesHolder implements io.maestro.engine.manifest.TaskCatalog {
    private volatile TaskTypes types;

    void set(TaskTypes t) {
      this.types = t;
    }

    @Override
    public java.util.Set<String> types() {
      return types.types();
    }

    @Override
    public List<Problem> check(String uses, com.fasterxml.jackson.databind.JsonNode with) {
      return types.check(uses, with);
    }

    @Override
    public Optional<String> unavailable(String uses) {
      return types.unavailable(uses);
    }

    @Override
    public boolean knows(String uses) {
      return types.knows(uses);
    }
  }

  /** Builds an engine. Every collaborator has a production default except the database. */
  public static final class Builder {
    private final Database db;
    private Clock clock = Clock.systemUTC();
    private RandomGenerator random = new java.security.SecureRandom();
    private EngineReceipts receipts;
    private WorkerSettings workers = WorkerSettings.defaults();
    private WorkerHooks workerHooks = WorkerHooks.NONE;
    private Tracing tracing = Tracing.off();
    private long logCapBytes = 1 << 20;
    private OutputLimits outputLimits = OutputLimits.DEFAULTS;
    private Duration externalLease = Duration.ofSeconds(30);
    private int maxTasks = ManifestLoader.DEFAULT_MAX_TASKS;
    private SandboxCeilings.PerTenant tenantCeilings = SandboxCeilings.PerTenant.NONE;
    private String instance = defaultInstance();
    // Null: no edges are recorded unless a test asks for them.
    private TransitionCoverage coverage;
    private final List<Function<ChildRuns, TaskExecutor>> executors = new ArrayList<>();
    private final Map<String, String> unavailable = new java.util.LinkedHashMap<>();

    private Builder(Database db) {
      this.db = db;
    }

    private static String defaultInstance() {
      String host = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("local");
      return host
          + "-"
          + ProcessHandle.current().pid()
          + "-"
          + Long.toHexString(System.nanoTime() & 0xffffff);
    }

    public Builder clock(Clock c) {
      this.clock = c;
      return this;
    }

    public Builder random(RandomGenerator r) {
      this.random = r;
      return this;
    }

    /** Required: where receipts go (in production, the provenance log). */
    public Builder receipts(EngineReceipts r) {
      this.receipts = r;
      return this;
    }

    public Builder workers(WorkerSettings w) {
      this.workers = w;
      return this;
    }

    /** Spans for step attempts (ADR 0045); off by default. */
    public Builder tracing(Tracing t) {
      this.tracing = java.util.Objects.requireNonNull(t);
      return this;
    }

    /** Observation and pacing points of the worker pool, for tests; none by default. */
    public Builder workerHooks(WorkerHooks h) {
      this.workerHooks = h;
      return this;
    }

    /** The lease-owner name of this engine's workers (unique per process). */
    public Builder instance(String name) {
      this.instance = name;
      return this;
    }

    /**
     * Where the engine records the transition-table edges it takes (for tests; none by default).
     */
    public Builder transitionCoverage(TransitionCoverage c) {
      this.coverage = java.util.Objects.requireNonNull(c);
      return this;
    }

    public Builder logCapBytes(long cap) {
      this.logCapBytes = cap;
      return this;
    }

    /** Caps on step outputs, run outputs, expression values and tenant storage. */
    /** How long an external worker's lease lasts without a heartbeat (default 30 s). */
    public Builder externalLease(Duration lease) {
      this.externalLease = lease;
      return this;
    }

    public Builder outputLimits(OutputLimits limits) {
      this.outputLimits = limits;
      return this;
    }

    /** Each tenant's own sandbox ceilings, below the platform's. */
    public Builder tenantCeilings(SandboxCeilings.PerTenant ceilings) {
      this.tenantCeilings = ceilings;
      return this;
    }

    /** The most tasks a manifest may have. */
    public Builder maxTasks(int max) {
      this.maxTasks = max;
      return this;
    }

    /** Adds an executor. */
    public Builder executor(TaskExecutor e) {
      executors.add(c -> e);
      return this;
    }

    /** Adds an executor that needs to start child runs ({@code core/workflow}). */
    public Builder executor(Function<ChildRuns, TaskExecutor> factory) {
      executors.add(factory);
      return this;
    }

    /**
     * Declares a task type this engine knows but cannot run on this machine: manifests using it are
     * refused with {@code task_type_unavailable} and {@code reason} ({@code "why — remedy"}).
     */
    public Builder unavailable(String type, String reason) {
      unavailable.put(type, reason);
      return this;
    }

    public Engine build() {
      if (receipts == null) {
        throw new IllegalStateException("an engine needs a receipt sink");
      }
      return new Engine(this);
    }
  }
}
