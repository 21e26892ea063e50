package io.maestro.engine.worker;

import io.maestro.core.TenantId;
import io.maestro.engine.JsonText;
import io.maestro.engine.OutputLimits;
import io.maestro.engine.RunLogs;
import io.maestro.engine.RunView;
import io.maestro.engine.StepView;
import io.maestro.engine.expr.Expressions;
import io.maestro.engine.internal.CappedStepLog;
import io.maestro.engine.internal.OutcomeApplier;
import io.maestro.engine.internal.ReceiptWriter;
import io.maestro.engine.internal.RunStore;
import io.maestro.engine.internal.Transitions;
import io.maestro.engine.manifest.ErrorKind;
import io.maestro.engine.manifest.Manifest;
import io.maestro.engine.queue.WorkItem;
import io.maestro.engine.queue.WorkKind;
import io.maestro.engine.queue.WorkQueue;
import io.maestro.engine.registry.WorkflowRegistry;
import io.maestro.engine.task.StepLog;
import io.maestro.engine.task.TaskContext;
import io.maestro.engine.task.TaskExecutor;
import io.maestro.engine.task.TaskOutcome;
import io.maestro.engine.task.TaskTypes;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The attempt of a step, as every work handler runs it: the run and step a queue row is about
 * ({@link #load}), the three phases that executing and resuming share ({@link #claim}, {@link
 * #proceed}), the executor's view of the attempt ({@link #context}) and the recording of its
 * outcome ({@link #apply}). It also builds the handler of each queue row kind ({@link #handlers}),
 * giving each only what it uses besides this.
 *
 * <p>The three phases: (1) a transaction checks the row and prepares the executor's context, (2)
 * the executor runs outside any transaction, so no locks or connections are held while a task takes
 * its time, (3) a second transaction records the outcome. The handlers supply what differs: the
 * checks, which executor method to call and how to treat a result that arrives too late.
 */
public final class Attempts {
  private static final Logger LOG = Logger.getLogger(Attempts.class.getName());

  private final Database db;
  private final ReceiptWriter receipts;
  private final RunStore runs;
  private final WorkflowRegistry registry;
  private final OutcomeApplier applier;
  private final RunLogs logs;
  private final Clock clock;
  private final long logCapBytes;

  private Attempts(
      Database db,
      ReceiptWriter receipts,
      RunStore runs,
      WorkflowRegistry registry,
      OutcomeApplier applier,
      RunLogs logs,
      Clock clock,
      long logCapBytes) {
    this.db = db;
    this.receipts = receipts;
    this.runs = runs;
    this.registry = registry;
    this.applier = applier;
    this.logs = logs;
    this.clock = clock;
    this.logCapBytes = logCapBytes;
  }

  /**
   * The work handler of each queue row kind.
   *
   * @param logCapBytes the most log output one attempt may write
   */
  public static Map<WorkKind, WorkHandler> handlers(
      Database db,
      ReceiptWriter receipts,
      RunStore runs,
      WorkQueue queue,
      WorkflowRegistry registry,
      Transitions transitions,
      OutcomeApplier applier,
      Expressions expressions,
      TaskTypes types,
      RunLogs logs,
      Clock clock,
      long logCapBytes) {
    Attempts attempts =
        new Attempts(db, receipts, runs, registry, applier, logs, clock, logCapBytes);
    return Map.of(
        WorkKind.EXECUTE,
        new ExecuteHandler(queue, attempts, transitions, expressions, types),
        WorkKind.RESUME,
        new ResumeHandler(queue, attempts, types),
        WorkKind.TIMEOUT,
        new TimeoutHandler(queue, attempts));
  }

  /**
   * The task-queue API of external workers over the same attempts as {@code handlers} (which {@link
   * #handlers} built).
   *
   * @param lease how long a poll's lease lasts without a heartbeat
   */
  public static ExternalTasks external(
      Map<WorkKind, WorkHandler> handlers, WorkQueue queue, OutputLimits limits, Duration lease) {
    ExecuteHandler execute = (ExecuteHandler) handlers.get(WorkKind.EXECUTE);
    Attempts a = execute.attempts();
    return new ExternalTasks(a.db, a.receipts, queue, execute, a, limits, lease);
  }

  /**
   * The run and step a queue row is about, as read in the handler's transaction. Which step
   * statuses a handler accepts differs from handler to handler, so each checks the status itself.
   */
  record Current(RunView run, StepView step) {
    /** Whether the row still belongs here: the run is unfinished and the step at its attempt. */
    boolean holds(WorkItem item) {
      return !run.status().terminal() && step.attempt() == item.attempt();
    }
  }

  /** The row's run and step; empty if either does not exist. */
  Optional<Current> load(Tx tx, WorkItem item) {
    Optional<RunView> run = runs.run(tx, item.tenant(), item.runId(), true);
    Optional<StepView> step = runs.step(tx, item.tenant(), item.runId(), item.stepId());
    return run.isPresent() && step.isPresent()
        ? Optional.of(new Current(run.get(), step.get()))
        : Optional.empty();
  }

  Manifest manifest(Tx tx, Current c) {
    RunView run = c.run();
    return registry.manifest(tx, run.tenant(), run.workflow(), run.version(), run.digest());
  }

  /** Records the attempt's outcome: the step's transition and whatever follows in its run. */
  void apply(Tx tx, Current c, TaskOutcome outcome) {
    applier.apply(tx, c.run(), manifest(tx, c), c.step(), outcome);
  }

  /** The executor's view of this attempt, with {@code with} as its resolved parameters. */
  TaskContext context(Current c, WorkItem item, Map<String, Object> with) {
    RunView run = c.run();
    StepView step = c.step();
    return new TaskContext(
        run.tenant(),
        run.runId(),
        step.stepId(),
        step.attempt(),
        item.idempotencyKey(),
        step.duplicates() + 1,
        run.workflow(),
        with,
        JsonText.map(run.inputs()),
        step.waitState(),
        run.startedBy(),
        new CappedStepLog(logs, run.tenant(), run.runId(), step.stepId(), logCapBytes),
        clock);
  }

  /** One engine transaction in the row's tenant, its receipts appended at its end. */
  <T> T transaction(WorkItem item, Database.TxFunction<T> work) {
    return receipts.inTransaction(db, TenantScope.of(item.tenant()), work);
  }

  RunStore runs() {
    return runs;
  }

  OutcomeApplier applier() {
    return applier;
  }

  RunLogs logs() {
    return logs;
  }

  Clock clock() {
    return clock;
  }

  /** An executor and the context to call it with, prepared in phase 1. */
  record Prepared(TaskExecutor executor, TaskContext context) {}

  /** Phase 1, inside the transaction. */
  @FunctionalInterface
  interface Prepare {
    Optional<Prepared> prepare(Tx tx);
  }

  /** Phase 2: executes or resumes; interruption means the lease was lost. */
  @FunctionalInterface
  interface Call {
    TaskOutcome call(TaskExecutor executor, TaskContext context) throws InterruptedException;
  }

  /** Phase 3, inside the transaction. */
  @FunctionalInterface
  interface Finish {
    void finish(Tx tx, TaskOutcome outcome);
  }

  /** How a handler handles one row: its three phases and how an executor crash is described. */
  public record Phases(Prepare prepare, Call call, String crashed, Finish finish) {}

  /** A row claimed in the transaction that also ran its first phase. */
  record Claimed(WorkItem item, Phases phases, Optional<Prepared> prepared) {}

  /**
   * Claims one due row of {@code tenant} ({@code claim}) and runs the first phase of its handler in
   * the same transaction, so the claim and the step's start commit together (one commit instead of
   * two). Empty when no row was left to claim (another worker took it first).
   */
  Optional<Claimed> claim(
      TenantId tenant, Claimer claimer, java.util.function.Function<WorkItem, Phases> phasesOf) {
    return receipts.inTransaction(
        db, TenantScope.of(tenant), tx -> claimIn(tx, new Next(claimer, phasesOf)));
  }

  private static Optional<Claimed> claimIn(Tx tx, Next next) {
    return next.claimer()
        .claim(tx)
        .map(
            item -> {
              Phases phases = next.phasesOf().apply(item);
              Optional<Prepared> prepared = phases.prepare().prepare(tx);
              next.claimer().prepared(tx, item);
              return new Claimed(item, phases, prepared);
            });
  }

  /**
   * What a worker claims next in the transaction that records an outcome: a row of the same run
   * that became due in it (the step's successor), whose first phase then runs in that transaction
   * too (ADR 0056).
   */
  record Next(Claimer claimer, java.util.function.Function<WorkItem, Phases> phasesOf) {}

  /** Claims a row in the first phase's transaction, and hears when that phase ran. */
  interface Claimer {
    /** Claims one row in {@code tx}, or nothing. */
    Optional<WorkItem> claim(Tx tx);

    /**
     * The first phase ran in {@code tx} (not yet committed): the lease is counted from here, so a
     * slow first phase does not use up the lease before the heartbeat takes over.
     */
    void prepared(Tx tx, WorkItem item);
  }

  /**
   * Phases 2 and 3 of a claimed row whose first phase prepared an executor (nothing to do when it
   * settled the row itself). An executor that throws a runtime exception has failed with a platform
   * error, described as the phases' {@code crashed} followed by the exception.
   *
   * <p>With {@code next}, the transaction that records the outcome also claims the run's next due
   * row and runs its first phase, and returns it: the worker goes on with it, and a step's
   * successor costs no commit of its own to start (ADR 0056). Should claiming or starting it fail,
   * that transaction is rolled back and the outcome recorded alone: the successor is then
   * dispatched as any row is.
   */
  Optional<Claimed> proceed(Claimed claimed, Lease lease, Optional<Next> next)
      throws InterruptedException {
    if (claimed.prepared().isEmpty()) {
      return Optional.empty();
    }
    WorkItem item = claimed.item();
    Phases phases = claimed.phases();
    Prepared p = claimed.prepared().get();
    if (lease.lost() || Thread.interrupted()) {
      throw new InterruptedException("the lease was lost before the attempt ran");
    }
    TaskContext context = p.context();
    // The executor's log lines are database writes on this thread, too.
    TaskContext guarded = context.withLog(new LeaseGuardedLog(context.log(), lease));
    TaskOutcome outcome;
    try {
      outcome = phases.call().call(p.executor(), guarded);
    } catch (io.maestro.store.StoreException e) {
      // The database failed under the executor (its log lines are writes), not the task: no
      // result, so the lease runs out and the attempt is delivered again — counted and receipted
      // as a duplicate delivery — instead of failing the step for a fault that was not its own
      // (a database restart failed runs this way; ADR 0044).
      throw e;
    } catch (RuntimeException e) {
      outcome = new TaskOutcome.Failed(ErrorKind.PLATFORM, phases.crashed() + e);
    }
    TaskOutcome result = outcome;
    // Out of the heartbeat set first: the finish deletes the row, which the heartbeat would
    // otherwise take for a lost lease and interrupt this thread inside its COMMIT.
    lease.finishing();
    if (next.isPresent()) {
      try {
        return lease.database(
            () ->
                transaction(
                    item,
                    tx -> {
                      phases.finish().finish(tx, result);
                      return claimIn(tx, next.get());
                    }));
      } catch (RuntimeException e) {
        LOG.log(
            Level.FINE,
            "claiming the successor of " + item.workId() + " failed; recording its outcome alone",
            e);
      }
    }
    lease.database(
        () ->
            transaction(
                item,
                tx -> {
                  phases.finish().finish(tx, result);
                  return null;
                }));
    return Optional.empty();
  }

  /** A step log whose writes run with interrupts held back ({@link Lease#database}). */
  private record LeaseGuardedLog(StepLog log, Lease lease) implements StepLog {
    @Override
    public void info(String line) {
      lease.databaseRun(() -> log.info(line));
    }

    @Override
    public void output(String stream, String line) {
      lease.databaseRun(() -> log.output(stream, line));
    }
  }
}
