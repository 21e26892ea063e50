package io.maestro.engine.run;

import static io.maestro.engine.EngineHarness.ACME;
import static io.maestro.engine.EngineHarness.APPROVER;
import static io.maestro.engine.EngineHarness.APPROVER_2;
import static io.maestro.engine.EngineHarness.AUTHOR;
import static io.maestro.engine.EngineHarness.await;
import static io.maestro.engine.EngineHarness.publish;
import static io.maestro.engine.EngineHarness.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.problem.MaestroException;
import io.maestro.engine.Engine;
import io.maestro.engine.EngineErrors;
import io.maestro.engine.EngineHarness;
import io.maestro.engine.EngineReceipts;
import io.maestro.engine.LogFieldsExecutor;
import io.maestro.engine.LogLine;
import io.maestro.engine.RecordingReceipts;
import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.engine.SleepExecutor;
import io.maestro.engine.StepStatus;
import io.maestro.engine.StepView;
import io.maestro.engine.TransitionCoverage;
import io.maestro.engine.worker.WorkerSettings;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Runs end to end on a real database: start, workers, every kind of step outcome (and, from {@link
 * PausedRunScenarios}, pausing and resuming, and from {@link CompensationScenarios}, compensation).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EngineContract extends CompensationScenarios {
  abstract Backend backend();

  /** Every engine of this class records the edges it takes here (see the H2 subclass). */
  final TransitionCoverage coverage = new TransitionCoverage();

  TestDatabase tdb;
  RecordingReceipts receipts;

  /**
   * Waits for the run to end and, when {@link #receipts} records this run, for its terminal receipt
   * too: the recorder keeps a transaction's receipts after it commits, on the worker's thread, so
   * they can trail the status a test reads from the database.
   */
  RunView awaitEnd(Engine e, String runId) {
    RunView run = EngineHarness.awaitEnd(e, runId);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (ofRun(runId).anyMatch(r -> true)
        && ofRun(runId).noneMatch(r -> TERMINAL.contains(r.type()))
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return run;
  }

  private static final java.util.Set<EngineReceipts.Type> TERMINAL =
      java.util.EnumSet.of(
          EngineReceipts.Type.RUN_COMPLETED,
          EngineReceipts.Type.RUN_FAILED,
          EngineReceipts.Type.RUN_TIMED_OUT,
          EngineReceipts.Type.RUN_CANCELLED);

  private java.util.stream.Stream<EngineReceipts.Receipt> ofRun(String runId) {
    return receipts.all().stream()
        .filter(r -> r.subjectKind().equals("run") && r.subjectId().equals(runId));
  }

  Engine engine;

  @Override
  Engine engine() {
    return engine;
  }

  @Override
  RecordingReceipts receipts() {
    return receipts;
  }

  @Override
  TestDatabase tdb() {
    return tdb;
  }

  @Override
  TransitionCoverage coverage() {
    return coverage;
  }

  @BeforeEach
  void open() {
    tdb = backend().open();
    receipts = new RecordingReceipts();
    engine =
        EngineHarness.builder(tdb.database(), receipts)
            .transitionCoverage(coverage)
            .executor(new SleepExecutor())
            .executor(new LogFieldsExecutor())
            .instance("main")
            .build();
  }

  @AfterEach
  void close() {
    engine.close();
    tdb.close();
  }

  private static String wf(String name, String tasks) {
    return "apiVersion: maestro/v1\nkind: Workflow\nmetadata: {name: "
        + name
        + ", version: \"1\"}\nspec:\n"
        + tasks;
  }

  /** A version published from a signed package keeps the package's digest and signer. */
  @Test
  void publishFromPackage_storesItsDigestAndSignerAndReceiptsThem() {
    String yaml = wf("packaged", "  tasks:\n    - {id: a, uses: core/log, with: {message: hi}}\n");
    var registry = engine.registry();
    registry.saveDraft(EngineHarness.AUTHOR, ACME, "packaged", "1", yaml);
    var origin =
        new io.maestro.engine.registry.PackageOrigin(
            "sha256:" + "ab".repeat(32), java.util.Optional.of("publisher+0a1b2c3d"));
    var published =
        registry.publish(
            EngineHarness.AUTHOR, ACME, "packaged", "1", java.util.Optional.of(origin), tx -> {});
    assertThat(published.origin()).contains(origin);
    var reread = registry.get(ACME, "packaged").orElseThrow().versions().get(0);
    assertThat(reread.origin()).contains(origin);
    var receipt =
        receipts.all().stream()
            .filter(r -> r.type() == EngineReceipts.Type.WORKFLOW_PUBLISHED)
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(receipt.payload().path("package_digest").asText()).isEqualTo(origin.digest());
    assertThat(receipt.payload().path("package_signer").asText()).isEqualTo("publisher+0a1b2c3d");

    publish(engine, wf("plain", "  tasks:\n    - {id: a, uses: core/log, with: {message: hi}}\n"));
    assertThat(registry.get(ACME, "plain").orElseThrow().versions().get(0).origin()).isEmpty();
  }

  /** Regression: one global counter numbered every tenant's log lines, leaking their activity. */
  @Test
  void runLog_numbersLinesFromOnePerRun() {
    publish(
        engine,
        wf(
            "logs",
            """
              tasks:
                - {id: a, uses: core/log, with: {message: one}}
                - {id: b, uses: core/log, needs: [a], with: {message: two}}
            """));
    engine.startWorkers();
    String first = start(engine, "logs", Map.of());
    awaitEnd(engine, first);
    String second = start(engine, "logs", Map.of());
    awaitEnd(engine, second);
    for (String run : java.util.List.of(first, second)) {
      var lines = engine.logs().read(ACME, run, 0, 1000);
      assertThat(lines).isNotEmpty();
      assertThat(lines)
          .extracting(LogLine::seq)
          .containsExactlyElementsOf(
              java.util.stream.LongStream.rangeClosed(1, lines.size()).boxed().toList());
      assertThat(engine.logs().read(ACME, run, 1, 1000)).hasSize(lines.size() - 1);
    }
  }

  /** Lines a worker writes outside any request still say which tenant, run and step they serve. */
  @Test
  void workerThread_stampsTenantRunAndStepOnItsLogLines() {
    publish(engine, wf("fields", "  tasks:\n    - {id: probe, uses: test/log-fields}\n"));
    engine.startWorkers();
    String runId = start(engine, "fields", Map.of());
    RunView run = awaitEnd(engine, runId);
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    var fields = run.step("probe").orElseThrow().outputs();
    assertThat(fields.path("tenant").asText()).isEqualTo(ACME.value());
    assertThat(fields.path("run_id").asText()).isEqualTo(runId);
    assertThat(fields.path("step_id").asText()).isEqualTo("probe");
  }

  @Test
  void run_succeedsThroughADagAndPassesOutputs() {
    publish(
        engine,
        wf(
            "dag",
            """
              inputs:
                type: object
                properties:
                  who: {type: string, default: world}
              tasks:
                - {id: a, uses: core/noop, with: {digest: "sha-${{ inputs.who }}"}}
                - {id: b, uses: core/log, needs: [a], with: {message: "got ${{ tasks.a.outputs.digest }}"}}
                - id: c
                  uses: core/noop
                  needs: [a, b]
                  with: {n: 2}
                  outputs: {double: "result.n * 2"}
            """));
    engine.startWorkers();
    String runId = start(engine, "dag", Map.of());
    RunView run = awaitEnd(engine, runId);
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.steps()).allSatisfy(s -> assertThat(s.status()).isEqualTo(StepStatus.SUCCEEDED));
    assertThat(run.step("b").orElseThrow().outputs().path("message").asText())
        .isEqualTo("got sha-world");
    assertThat(run.step("c").orElseThrow().outputs().path("double").asLong()).isEqualTo(4);
    assertThat(run.inputs().path("who").asText()).isEqualTo("world");
    assertThat(engine.logs().read(ACME, runId, 0, 100))
        .extracting(LogLine::message)
        .contains("got sha-world");
    assertThat(receipts.ofType("run.started")).isNotEmpty();
    assertThat(receipts.ofType("run.completed")).hasSize(1);
    assertThat(receipts.ofType("run.started").getFirst().decision())
        .contains(EngineHarness.AUTHOR.decision().orElseThrow());
    assertThat(engine.queue().size()).isZero();
  }

  @Test
  void run_retriesWithBackoffThenSucceeds() {
    publish(
        engine,
        wf(
            "flaky",
            """
              tasks:
                - id: f
                  uses: core/fail
                  with: {attempts: 2}
                  retry: {max: 3, backoff: 10ms, on: [error]}
            """));
    engine.startWorkers();
    RunView run = awaitEnd(engine, start(engine, "flaky", Map.of()));
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    StepView f = run.step("f").orElseThrow();
    assertThat(f.attempt()).isEqualTo(3);
    assertThat(f.deliveries()).isEqualTo(3);
    assertThat(f.duplicates()).isZero();
    assertThat(receipts.ofType("step.retried"))
        .hasSize(2)
        .allSatisfy(r -> assertThat(r.action()).isEqualTo("step.retry"));
  }

  @Test
  void run_failureFailsTheRunAndCancelsWhatIsLeft() {
    publish(
        engine,
        wf(
            "failing",
            """
              tasks:
                - {id: bad, uses: core/fail, with: {message: boom}}
                - {id: later, uses: core/noop, needs: [bad]}
                - {id: slow, uses: core/wait, with: {duration: 1h}}
            """));
    engine.startWorkers();
    RunView run = awaitEnd(engine, start(engine, "failing", Map.of()));
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.error()).contains("task bad: boom");
    assertThat(run.step("bad").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
    assertThat(run.step("bad").orElseThrow().errorKind())
        .contains(io.maestro.engine.manifest.ErrorKind.USER);
    assertThat(run.step("later").orElseThrow().status()).isEqualTo(StepStatus.CANCELLED);
    assertThat(run.step("slow").orElseThrow().status()).isIn(StepStatus.CANCELLED);
    assertThat(engine.queue().size()).isZero();
  }

  @Test
  void run_skipsOnAFalseConditionAndSkipsDependents() {
    publish(
        engine,
        wf(
            "cond",
            """
              inputs:
                type: object
                properties:
                  go: {type: boolean, default: false}
              tasks:
                - {id: gate, uses: core/noop, if: "${{ inputs.go }}"}
                - {id: after, uses: core/noop, needs: [gate]}
                - {id: always, uses: core/noop}
            """));
    engine.startWorkers();
    RunView run = awaitEnd(engine, start(engine, "cond", Map.of()));
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.step("gate").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(run.step("after").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(run.step("always").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(receipts.ofType("step.skipped"))
        .extracting(EngineReceipts.Receipt::subjectId)
        .containsExactlyInAnyOrder(run.runId() + "/gate", run.runId() + "/after");
  }

  @Test
  void wait_pausesWithoutAWorkerAndResumes() {
    publish(
        engine,
        wf(
            "waits",
            """
              tasks:
                - {id: w, uses: core/wait, with: {duration: 300ms}}
                - {id: after, uses: core/noop, needs: [w]}
            """));
    engine.startWorkers();
    String runId = start(engine, "waits", Map.of());
    RunView waiting =
        await(engine, runId, r -> r.step("w").orElseThrow().status() == StepStatus.WAITING);
    assertThat(waiting.step("w").orElseThrow().waitState().path("until").asText()).isNotEmpty();
    RunView run = awaitEnd(engine, runId);
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
  }

  private static final String APPROVAL =
      """
          tasks:
            - id: gate
              uses: core/approval
              with: {role: operator, approvals: 2}
            - {id: ship, uses: core/noop, needs: [gate]}
        """;

  /**
   * Regression: {@code Operator@acme} and {@code operator@acme } counted as two approvers, and a
   * starter could approve under a differently cased subject.
   */
  @Test
  void approval_identifiesPeopleByNormalizedSubject() {
    publish(engine, wf("approve", APPROVAL));
    engine.startWorkers();
    String runId = start(engine, "approve", Map.of());
    await(engine, runId, r -> r.step("gate").orElseThrow().status() == StepStatus.WAITING);
    var approvals = engine.approvals();
    assertThatThrownBy(
            () ->
                approvals.approve(
                    EngineHarness.auth(" ALICE ", "operator"), ACME, runId, "gate", "mine"))
        .extracting(e -> ((MaestroException) e).code())
        .isEqualTo(EngineErrors.APPROVAL_SELF);
    assertThat(
            approvals
                .approve(EngineHarness.auth("Operator@acme", "operator"), ACME, runId, "gate", null)
                .stepStatus())
        .isEqualTo(StepStatus.WAITING);
    assertThatThrownBy(
            () ->
                approvals.approve(
                    EngineHarness.auth("operator@acme ", "operator"), ACME, runId, "gate", null))
        .extracting(e -> ((MaestroException) e).code())
        .isEqualTo(EngineErrors.APPROVAL_DUPLICATE);
    assertThat(engine.runs().get(ACME, runId).orElseThrow().step("gate").orElseThrow().status())
        .isEqualTo(StepStatus.WAITING);
  }

  @Test
  void approval_needsNApprovalsFromTheRoleAndNotTheStarter() {
    publish(engine, wf("approve", APPROVAL));
    engine.startWorkers();
    String runId = start(engine, "approve", Map.of());
    await(engine, runId, r -> r.step("gate").orElseThrow().status() == StepStatus.WAITING);
    var approvals = engine.approvals();
    assertThatThrownBy(() -> approvals.approve(AUTHOR, ACME, runId, "gate", "mine"))
        .isInstanceOf(MaestroException.class)
        .extracting(e -> ((MaestroException) e).code())
        .isEqualTo(EngineErrors.APPROVAL_SELF);
    assertThatThrownBy(
            () -> approvals.approve(EngineHarness.auth("dave"), ACME, runId, "gate", null))
        .extracting(e -> ((MaestroException) e).code())
        .isEqualTo(EngineErrors.APPROVAL_ROLE_MISSING);
    assertThat(approvals.approve(APPROVER, ACME, runId, "gate", "ok").stepStatus())
        .isEqualTo(StepStatus.WAITING);
    assertThatThrownBy(() -> approvals.approve(APPROVER, ACME, runId, "gate", "again"))
        .extracting(e -> ((MaestroException) e).code())
        .isEqualTo(EngineErrors.APPROVAL_DUPLICATE);
    var second = approvals.approve(APPROVER_2, ACME, runId, "gate", "ok too");
    assertThat(second.stepStatus()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(second.approvers()).containsExactly("bob", "carol");
    RunView run = awaitEnd(engine, runId);
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(receipts.ofType("approval.granted")).hasSize(2);
    assertThat(receipts.ofType("approval.granted").getFirst().decision().orElseThrow().id())
        .isEqualTo("dec_bob");
  }

  @Test
  void approval_rejectionFailsTheRun() {
    publish(engine, wf("reject", APPROVAL));
    engine.startWorkers();
    String runId = start(engine, "reject", Map.of());
    await(engine, runId, r -> r.step("gate").orElseThrow().status() == StepStatus.WAITING);
    engine.approvals().reject(APPROVER, ACME, runId, "gate", "not today");
    RunView run = awaitEnd(engine, runId);
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.step("gate").orElseThrow().error()).contains("rejected by bob: not today");
    assertThat(receipts.ofType("approval.rejected")).hasSize(1);
  }

  @Test
  void approval_timesOutWhenNobodyDecides() {
    publish(
        engine,
        wf(
            "lonely",
            """
              tasks:
                - {id: gate, uses: core/approval, timeout: 200ms}
            """));
    engine.startWorkers();
    RunView run = awaitEnd(engine, start(engine, "lonely", Map.of()));
    assertThat(run.status()).isEqualTo(RunStatus.TIMED_OUT);
    assertThat(run.step("gate").orElseThrow().status()).isEqualTo(StepStatus.TIMED_OUT);
    assertThat(receipts.ofType("step.waiting")).hasSize(1);
    assertThat(receipts.ofType("step.timed_out")).hasSize(1);
    assertThat(receipts.ofType("run.timed_out")).hasSize(1);
    assertThat(receipts.ofType("run.failed")).isEmpty();
  }

  @Test
  void timeout_interruptsARunningAttemptAndRetriesIt() {
    publish(
        engine,
        wf(
            "slow",
            """
              tasks:
                - id: s
                  uses: test/sleep
                  with: {ms: 10000}
                  timeout: 200ms
                  retry: {max: 1, backoff: 10ms}
            """));
    engine.startWorkers();
    RunView run = awaitEnd(engine, start(engine, "slow", Map.of()));
    assertThat(run.status()).isEqualTo(RunStatus.TIMED_OUT);
    StepView s = run.step("s").orElseThrow();
    assertThat(s.status()).isEqualTo(StepStatus.TIMED_OUT);
    assertThat(s.attempt()).isEqualTo(2);
  }

  @Test
  void cancel_endsARunningRunAndItsSteps() {
    publish(
        engine,
        wf(
            "cancel",
            """
              tasks:
                - {id: busy, uses: test/sleep, with: {ms: 10000}}
                - {id: idle, uses: core/wait, with: {duration: 1h}}
                - {id: next, uses: core/noop, needs: [busy]}
            """));
    engine.startWorkers();
    String runId = start(engine, "cancel", Map.of());
    await(
        engine,
        runId,
        r ->
            r.step("busy").orElseThrow().status() == StepStatus.RUNNING
                && r.step("idle").orElseThrow().status() == StepStatus.WAITING);
    assertThat(engine.cancelRun().handle(AUTHOR, ACME, runId, "changed my mind"))
        .isEqualTo(RunStatus.CANCELLED);
    RunView run = engine.runs().get(ACME, runId).orElseThrow();
    assertThat(run.steps()).allSatisfy(s -> assertThat(s.status()).isEqualTo(StepStatus.CANCELLED));
    assertThat(engine.queue().size()).isZero();
    assertThatThrownBy(() -> engine.cancelRun().handle(AUTHOR, ACME, runId, ""))
        .extracting(e -> ((MaestroException) e).code())
        .isEqualTo(EngineErrors.RUN_FINISHED);
    assertThat(receipts.ofType("run.cancelled")).hasSize(1);
    assertThat(receipts.ofType("step.cancelled")).hasSize(3);
  }

  @Test
  void cancel_worksBeforeAnyWorkerRan() {
    publish(engine, wf("queued", "  tasks:\n    - {id: a, uses: core/noop}\n"));
    String runId = start(engine, "queued", Map.of());
    assertThat(engine.runs().get(ACME, runId).orElseThrow().step("a").orElseThrow().status())
        .isEqualTo(StepStatus.READY);
    engine.cancelRun().handle(AUTHOR, ACME, runId, null);
    RunView run = engine.runs().get(ACME, runId).orElseThrow();
    assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(run.step("a").orElseThrow().status()).isEqualTo(StepStatus.CANCELLED);
  }

  @Test
  void startRun_sameIdempotencyKeyGivesTheSameRunNeverASecond() {
    publish(engine, wf("idem", "  tasks:\n    - {id: a, uses: core/noop}\n"));
    StartRun cmd = StartRun.of(ACME, "idem", Map.of("x", 1), AUTHOR).withIdempotencyKey("k-1");
    StartRun.Started first = engine.startRun().handle(cmd);
    StartRun.Started again = engine.startRun().handle(cmd);
    assertThat(first.created()).isTrue();
    assertThat(again.created()).isFalse();
    assertThat(again.runId()).isEqualTo(first.runId());
    assertThat(
            engine
                .runs()
                .list(ACME, Optional.empty(), Optional.of("idem"), 10, Optional.empty())
                .runs())
        .hasSize(1);
    assertThatThrownBy(
            () ->
                engine
                    .startRun()
                    .handle(
                        StartRun.of(ACME, "idem", Map.of("x", 2), AUTHOR)
                            .withIdempotencyKey("k-1")))
        .extracting(e -> ((MaestroException) e).code())
        .isEqualTo(EngineErrors.IDEMPOTENCY_CONFLICT);
  }

  @Test
  void startRun_checksInputsAgainstTheSchema() {
    publish(
        engine,
        wf(
            "typed",
            """
              inputs:
                type: object
                required: [n]
                properties:
                  n: {type: integer}
              tasks:
                - {id: a, uses: core/noop}
            """));
    assertThatThrownBy(() -> start(engine, "typed", Map.of("n", "three")))
        .extracting(e -> ((MaestroException) e).code())
        .isEqualTo(EngineErrors.INPUTS_INVALID);
    assertThatThrownBy(() -> start(engine, "nope", Map.of()))
        .extracting(e -> ((MaestroException) e).code())
        .isEqualTo(EngineErrors.WORKFLOW_NOT_FOUND);
  }

  @Test
  void childWorkflow_parentWaitsForTheChildAndGetsItsOutputs() {
    publish(engine, wf("child", "  tasks:\n    - {id: inner, uses: core/noop, with: {v: 7}}\n"));
    publish(
        engine,
        wf(
            "parent",
            """
              tasks:
                - {id: sub, uses: core/workflow, with: {workflow: child}}
                - {id: use, uses: core/noop, needs: [sub], with: {v: "${{ tasks.sub.outputs.tasks.inner.v }}"}}
            """));
    engine.startWorkers();
    RunView run = awaitEnd(engine, start(engine, "parent", Map.of()));
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.step("use").orElseThrow().outputs().path("v").asLong()).isEqualTo(7);
    var children =
        engine.runs().list(ACME, Optional.empty(), Optional.of("child"), 10, Optional.empty());
    assertThat(children.runs()).hasSize(1);
    assertThat(children.runs().getFirst().parent())
        .contains(new RunView.StepRef(run.runId(), "sub"));
  }

  @Test
  void crashedWorker_leaseExpiresAndAnotherWorkerRedeliversTheAttempt() throws Exception {
    publish(
        engine,
        wf(
            "crash",
            """
              tasks:
                - {id: s, uses: test/sleep, with: {ms: 60000, firstDeliveryOnly: true}}
            """));
    WorkerSettings shortLease =
        new WorkerSettings(4, 4, Duration.ofMillis(600), Duration.ofMillis(100));
    RecordingReceipts r2 = new RecordingReceipts();
    try (Engine doomed =
            EngineHarness.builder(tdb.database(), r2)
                .transitionCoverage(coverage)
                .executor(new SleepExecutor())
                .workers(shortLease)
                .instance("doomed")
                .build();
        Engine survivor =
            EngineHarness.builder(tdb.database(), r2)
                .transitionCoverage(coverage)
                .executor(new SleepExecutor())
                .workers(shortLease)
                .instance("survivor")
                .build()) {
      doomed.startWorkers();
      String runId = start(doomed, "crash", Map.of());
      await(doomed, runId, r -> r.step("s").orElseThrow().status() == StepStatus.RUNNING);
      // The doomed worker "dies": its threads stop without finishing or releasing the lease.
      doomed.stopWorkers(Duration.ofSeconds(2));
      survivor.startWorkers();
      RunView run = awaitEnd(survivor, runId);
      assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
      StepView s = run.step("s").orElseThrow();
      assertThat(s.attempt()).isEqualTo(1);
      assertThat(s.deliveries()).isEqualTo(2);
      assertThat(s.duplicates()).isEqualTo(1);
      assertThat(s.outputs().path("delivery").asInt()).isEqualTo(2);
      assertThat(survivor.logs().read(ACME, runId, 0, 100))
          .extracting(LogLine::message)
          .anySatisfy(m -> assertThat(m).contains("delivered again"));
    }
  }

  @Test
  void poisonStep_isGivenUpAfterMaxDeliveries() {
    try (Engine crashy =
        EngineHarness.builder(tdb.database(), receipts)
            .transitionCoverage(coverage)
            .executor(new io.maestro.engine.CrashExecutor())
            .workers(new WorkerSettings(4, 4, Duration.ofMillis(300), Duration.ofMillis(50)))
            .instance("crashy")
            .build()) {
      publish(crashy, wf("poison", "  tasks:\n    - {id: p, uses: test/crash}\n"));
      crashy.startWorkers();
      RunView run = awaitEnd(crashy, start(crashy, "poison", Map.of()));
      assertThat(run.status()).isEqualTo(RunStatus.FAILED);
      StepView p = run.step("p").orElseThrow();
      assertThat(p.errorKind()).contains(io.maestro.engine.manifest.ErrorKind.PLATFORM);
      assertThat(p.error()).get().asString().contains("giving up");
      assertThat(p.deliveries()).isEqualTo(io.maestro.engine.worker.ExecuteHandler.MAX_DELIVERIES);
    }
  }

  @Test
  void twoEngines_shareTheQueueAndRunEveryStepOnce() {
    publish(
        engine,
        wf(
            "shared",
            """
              tasks:
                - {id: a, uses: core/noop}
                - {id: b, uses: core/noop, needs: [a]}
                - {id: c, uses: core/noop, needs: [b]}
            """));
    try (Engine other =
        EngineHarness.builder(tdb.database(), receipts)
            .transitionCoverage(coverage)
            .instance("other")
            .build()) {
      engine.startWorkers();
      other.startWorkers();
      var ids = new java.util.ArrayList<String>();
      for (int i = 0; i < 20; i++) {
        ids.add(start(engine, "shared", Map.of("i", i)));
      }
      for (String id : ids) {
        RunView run = awaitEnd(engine, id);
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.steps()).allSatisfy(s -> assertThat(s.deliveries()).isEqualTo(1));
      }
    }
  }

  @Test
  void listRuns_pagesWithACursor() {
    publish(engine, wf("many", "  tasks:\n    - {id: a, uses: core/noop}\n"));
    for (int i = 0; i < 5; i++) {
      start(engine, "many", Map.of("i", i));
    }
    var first = engine.runs().list(ACME, Optional.empty(), Optional.empty(), 2, Optional.empty());
    assertThat(first.runs()).hasSize(2);
    var second = engine.runs().list(ACME, Optional.empty(), Optional.empty(), 2, first.next());
    var third = engine.runs().list(ACME, Optional.empty(), Optional.empty(), 2, second.next());
    assertThat(third.runs()).hasSize(1);
    assertThat(third.next()).isEmpty();
    var pending =
        engine
            .runs()
            .list(ACME, Optional.of(RunStatus.PENDING), Optional.empty(), 10, Optional.empty());
    assertThat(pending.runs()).hasSize(5);
  }
}
