package io.maestro.engine.worker;

import static io.maestro.engine.EngineHarness.ACME;
import static io.maestro.engine.EngineHarness.await;
import static io.maestro.engine.EngineHarness.awaitEnd;
import static io.maestro.engine.EngineHarness.publish;
import static io.maestro.engine.EngineHarness.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.Authorization;
import io.maestro.engine.Engine;
import io.maestro.engine.EngineErrors;
import io.maestro.engine.EngineHarness;
import io.maestro.engine.EngineReceipts;
import io.maestro.engine.JsonText;
import io.maestro.engine.OutputLimits;
import io.maestro.engine.RecordingReceipts;
import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.engine.StepStatus;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * External workers over the engine's queue: a {@code worker/<queue>} step is leased by a poll,
 * completed or failed by the worker, redelivered when the lease runs out, and refused on duplicate,
 * oversized or schema-violating completions without anything written.
 */
abstract class ExternalTasksContract {
  static final Authorization WORKER = EngineHarness.auth("svc-billing", "worker");
  static final String BILLING =
      """
      apiVersion: maestro/v1
      kind: Workflow
      metadata: {name: billing, version: "1"}
      spec:
        inputs: {type: object, properties: {amount: {type: integer}}}
        tasks:
          - id: charge
            uses: worker/billing
            retry: {max: 1, backoff: 1ms, on: [platform]}
            with:
              input: {amount: "${{ inputs.amount }}", currency: EUR}
              output_schema:
                type: object
                required: [receipt]
                properties: {receipt: {type: string}}
          - {id: after, uses: core/noop, needs: [charge], with: {got: "${{ tasks.charge.outputs.receipt }}"}}
      """;

  abstract Backend backend();

  TestDatabase tdb;
  Engine engine;
  RecordingReceipts receipts = new RecordingReceipts();

  @BeforeEach
  void open() {
    tdb = backend().open();
    engine =
        EngineHarness.builder(tdb.database(), receipts)
            .outputLimits(new OutputLimits(2048, 1 << 20, 1 << 20, t -> Long.MAX_VALUE))
            .externalLease(Duration.ofMillis(300))
            .build();
    engine.startWorkers();
    publish(engine, BILLING);
  }

  @AfterEach
  void close() {
    engine.close();
    tdb.close();
  }

  ExternalTasks tasks() {
    return engine.externalTasks();
  }

  ExternalTask pollOne(String worker) throws InterruptedException {
    List<ExternalTask> got =
        tasks().poll(WORKER, ACME, worker, List.of("billing"), 10, Duration.ofSeconds(10));
    assertThat(got).hasSize(1);
    return got.get(0);
  }

  static JsonNode json(String text) {
    return JsonText.read(text);
  }

  static String code(Throwable t) {
    return ((MaestroException) t).code().code();
  }

  @Test
  void pollAndComplete_runSucceedsAndReceiptsNameTheWorker() throws Exception {
    String runId = start(engine, "billing", Map.of("amount", 42));
    ExternalTask task = pollOne("billing-1");
    assertThat(task.runId()).isEqualTo(runId);
    assertThat(task.queue()).isEqualTo("billing");
    assertThat(task.delivery()).isEqualTo(1);
    assertThat(task.input().toString()).isEqualTo("{\"amount\":42,\"currency\":\"EUR\"}");

    StepStatus after =
        tasks().complete(WORKER, ACME, "billing-1", task.taskId(), json("{\"receipt\":\"r-1\"}"));

    assertThat(after).isEqualTo(StepStatus.SUCCEEDED);
    RunView run = awaitEnd(engine, runId);
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.steps().get(1).outputs().path("got").asText()).isEqualTo("r-1");
    EngineReceipts.Receipt started = only(receipts.ofType("step.started"), "charge");
    assertThat(started.actor().subject()).isEqualTo("svc-billing");
    assertThat(started.decision().orElseThrow().id()).isEqualTo("dec_svc-billing");
    assertThat(started.payload().path("worker").asText()).isEqualTo("billing-1");
    EngineReceipts.Receipt completed = only(receipts.ofType("step.completed"), "charge");
    assertThat(completed.actor().subject()).isEqualTo("svc-billing");
    assertThat(completed.payload().path("worker").asText()).isEqualTo("billing-1");
  }

  static EngineReceipts.Receipt only(List<EngineReceipts.Receipt> rs, String step) {
    List<EngineReceipts.Receipt> of =
        rs.stream().filter(r -> r.subjectId().endsWith("/" + step)).toList();
    assertThat(of).hasSize(1);
    return of.get(0);
  }

  @Test
  void duplicateCompletion_isRefused() throws Exception {
    String runId = start(engine, "billing", Map.of("amount", 1));
    ExternalTask task = pollOne("w1");
    tasks().complete(WORKER, ACME, "w1", task.taskId(), json("{\"receipt\":\"a\"}"));

    assertThatThrownBy(
            () -> tasks().complete(WORKER, ACME, "w1", task.taskId(), json("{\"receipt\":\"b\"}")))
        .satisfies(e -> assertThat(code(e)).isEqualTo("worker_task_not_held"));
    RunView run = awaitEnd(engine, runId);
    assertThat(run.steps().get(0).outputs().path("receipt").asText()).isEqualTo("a");
  }

  @Test
  void expiredLease_redeliversAndRefusesTheOldHolder() throws Exception {
    String runId = start(engine, "billing", Map.of("amount", 1));
    ExternalTask first = pollOne("w1");
    // No heartbeat: the 300 ms lease runs out and the next poll takes the attempt over.
    ExternalTask second = pollOne("w2");

    assertThat(second.stepId()).isEqualTo(first.stepId());
    assertThat(second.attempt()).isEqualTo(first.attempt());
    assertThat(second.delivery()).isEqualTo(2);
    assertThat(second.idempotencyKey()).isEqualTo(first.idempotencyKey());
    assertThatThrownBy(() -> tasks().heartbeat(ACME, first.taskId()))
        .satisfies(e -> assertThat(code(e)).isEqualTo("worker_task_not_held"));
    assertThatThrownBy(
            () -> tasks().complete(WORKER, ACME, "w1", first.taskId(), json("{\"receipt\":\"x\"}")))
        .satisfies(e -> assertThat(code(e)).isEqualTo("worker_task_not_held"));
    tasks().heartbeat(ACME, second.taskId());
    tasks().complete(WORKER, ACME, "w2", second.taskId(), json("{\"receipt\":\"y\"}"));
    assertThat(awaitEnd(engine, runId).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(receipts.ofType("step.redelivered")).hasSize(1);
  }

  @Test
  void oversizedOrInvalidOutputs_areRefusedAndNothingIsWritten() throws Exception {
    String runId = start(engine, "billing", Map.of("amount", 1));
    ExternalTask task = pollOne("w1");
    int before = receipts.all().size();

    assertThatThrownBy(
            () ->
                tasks()
                    .complete(
                        WORKER,
                        ACME,
                        "w1",
                        task.taskId(),
                        json("{\"receipt\":\"" + "x".repeat(4000) + "\"}")))
        .satisfies(e -> assertThat(code(e)).isEqualTo("worker_output_too_large"));
    assertThatThrownBy(
            () -> tasks().complete(WORKER, ACME, "w1", task.taskId(), json("{\"receipt\":7}")))
        .satisfies(e -> assertThat(code(e)).isEqualTo("worker_output_invalid"));

    assertThat(receipts.all()).hasSize(before);
    assertThat(engine.runs().get(ACME, runId).orElseThrow().steps().get(0).status())
        .isEqualTo(StepStatus.RUNNING);
    tasks().heartbeat(ACME, task.taskId());
    tasks().complete(WORKER, ACME, "w1", task.taskId(), json("{\"receipt\":\"ok\"}"));
    assertThat(awaitEnd(engine, runId).status()).isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void retryableFailure_isRetried_andPermanentFailure_failsTheRun() throws Exception {
    String runId = start(engine, "billing", Map.of("amount", 1));
    ExternalTask first = pollOne("w1");
    assertThat(tasks().fail(WORKER, ACME, "w1", first.taskId(), "gateway down", true))
        .isEqualTo(StepStatus.READY);

    ExternalTask second = pollOne("w1");
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(tasks().fail(WORKER, ACME, "w1", second.taskId(), "card declined", false))
        .isEqualTo(StepStatus.FAILED);

    RunView run = awaitEnd(engine, runId);
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.steps().get(0).error().orElseThrow()).contains("worker w1: card declined");
  }

  @Test
  void pollOfAnotherQueue_getsNothing_andTheEnginePoolLeavesWorkerTasksAlone() throws Exception {
    String runId = start(engine, "billing", Map.of("amount", 1));
    assertThat(tasks().poll(WORKER, ACME, "w1", List.of("shipping"), 10, Duration.ofMillis(200)))
        .isEmpty();
    await(engine, runId, r -> r.steps().get(0).status() == StepStatus.READY);
    assertThat(pollOne("w1").runId()).isEqualTo(runId);
  }

  @Test
  void malformedTaskId_isRefused() {
    assertThatThrownBy(() -> tasks().heartbeat(ACME, "no such id"))
        .satisfies(e -> assertThat(code(e)).isEqualTo(EngineErrors.WORKER_REQUEST_INVALID.code()));
    assertThatThrownBy(() -> tasks().heartbeat(ACME, "wk_abc.1"))
        .satisfies(e -> assertThat(code(e)).isEqualTo("worker_task_not_held"));
  }
}
