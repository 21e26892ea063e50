package io.maestro.engine.run;

import static io.maestro.engine.EngineHarness.ACME;
import static io.maestro.engine.EngineHarness.awaitEnd;
import static io.maestro.engine.EngineHarness.publish;
import static io.maestro.engine.EngineHarness.start;
import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.engine.Engine;
import io.maestro.engine.EngineHarness;
import io.maestro.engine.OutputLimits;
import io.maestro.engine.RecordingReceipts;
import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.engine.StepStatus;
import io.maestro.engine.StepView;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.TestDatabase;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Regression for unbounded step outputs: noop steps that double their input grew one run to 64 MiB
 * in seconds. Every cap is checked before the output is stored, and a step over one fails once with
 * {@code output_too_large}, whatever its retry policy says.
 */
abstract class OutputLimitsContract {
  abstract Backend backend();

  TestDatabase tdb;
  Engine engine;
  final AtomicLong quota = new AtomicLong(Long.MAX_VALUE);

  @BeforeEach
  void open() {
    tdb = backend().open();
    engine =
        EngineHarness.builder(tdb.database(), new RecordingReceipts())
            .outputLimits(new OutputLimits(4096, 10_000, 3500, tenant -> quota.get()))
            .build();
    engine.startWorkers();
  }

  @AfterEach
  void close() {
    engine.close();
    tdb.close();
  }

  /** A chain of noop steps, each passing on its input twice over. */
  static String doubling(String name, int steps) {
    StringBuilder y =
        new StringBuilder(
            "apiVersion: maestro/v1\nkind: Workflow\nmetadata: {name: "
                + name
                + ", version: \"1\"}\nspec:\n  inputs: {type: object, properties: {s: {type:"
                + " string}}}\n  tasks:\n    - {id: s0, uses: core/noop, with: {v: \"${{ inputs.s"
                + " }}\"}}\n");
    for (int i = 1; i < steps; i++) {
      y.append("    - {id: s")
          .append(i)
          .append(", uses: core/noop, needs: [s")
          .append(i - 1)
          .append("], retry: {max: 3, on: [error]}, with: {v: \"${{ tasks.s")
          .append(i - 1)
          .append(".outputs.v }}${{ tasks.s")
          .append(i - 1)
          .append(".outputs.v }}\"}}\n");
    }
    return y.toString();
  }

  static StepView failedStep(RunView run) {
    return run.steps().stream()
        .filter(s -> s.status() == StepStatus.FAILED)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no step failed: " + run));
  }

  @Test
  void stepOverItsCap_failsOnceWithOutputTooLarge() {
    publish(engine, doubling("grow", 8));
    RunView run = awaitEnd(engine, start(engine, "grow", Map.of("s", "x".repeat(1000))));
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    StepView failed = failedStep(run);
    assertThat(failed.error().orElseThrow()).startsWith("with: output_too_large");
    assertThat(failed.attempt()).as("never retried").isEqualTo(1);
  }

  @Test
  void stepOutputOverTheStepCap_failsOnceWithOutputTooLarge() {
    publish(
        engine,
        "apiVersion: maestro/v1\nkind: Workflow\nmetadata: {name: big, version: \"1\"}\nspec:\n"
            + "  inputs: {type: object, properties: {s: {type: string}}}\n  tasks:\n"
            + "    - {id: a, uses: core/noop, retry: {max: 3, on: [error]},"
            + " with: {x: \"${{ inputs.s }}\", y: \"${{ inputs.s }}\"}}\n");
    RunView run = awaitEnd(engine, start(engine, "big", Map.of("s", "x".repeat(3000))));
    StepView failed = failedStep(run);
    assertThat(failed.error().orElseThrow())
        .startsWith("output_too_large: the step's output is")
        .contains("engine.maxStepOutputBytes");
    assertThat(failed.attempt()).isEqualTo(1);
    assertThat(failed.outputs().isNull() || failed.outputs().isEmpty()).isTrue();
  }

  @Test
  void stepOutputWithNul_failsOnceWithOutputInvalid() {
    // The manifest holds no NUL (an escape in a CEL string); the step's output does.
    publish(
        engine,
        "apiVersion: maestro/v1\nkind: Workflow\nmetadata: {name: nul, version: \"1\"}\nspec:\n"
            + "  tasks:\n"
            + "    - {id: a, uses: core/noop, retry: {max: 3, on: [error]},"
            + " with: {x: '${{ \"a\\x00b\" }}'}}\n");
    RunView run = awaitEnd(engine, start(engine, "nul", Map.of()));
    StepView failed = failedStep(run);
    assertThat(failed.error().orElseThrow()).startsWith("output_invalid: ").contains("NUL");
    assertThat(failed.attempt()).isEqualTo(1);
  }

  @Test
  void runOverItsTotal_failsTheStepThatCrossesIt() {
    publish(engine, doubling("total", 1).replace("- {id: s0", "- {id: s0") + extraSteps(4));
    RunView run = awaitEnd(engine, start(engine, "total", Map.of("s", "x".repeat(3000))));
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(failedStep(run).error().orElseThrow())
        .startsWith("output_too_large: the run's outputs would reach")
        .contains("engine.maxRunOutputBytes");
  }

  /** Independent steps that each echo the input: under the step cap, together over the run's. */
  static String extraSteps(int n) {
    StringBuilder y = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      y.append("    - {id: e")
          .append(i)
          .append(", uses: core/noop, needs: [s0], with: {v: \"${{ inputs.s }}\"}}\n");
    }
    return y.toString();
  }

  @Test
  void tenantOverItsStorageQuota_failsTheStep() {
    publish(engine, doubling("quota", 1));
    RunView first = awaitEnd(engine, start(engine, "quota", Map.of("s", "x".repeat(3000))));
    assertThat(first.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(engine.runs().storageBytes(ACME)).isGreaterThan(3000);
    quota.set(5000);
    RunView second = awaitEnd(engine, start(engine, "quota", Map.of("s", "x".repeat(3000))));
    assertThat(second.status()).isEqualTo(RunStatus.FAILED);
    assertThat(failedStep(second).error().orElseThrow())
        .startsWith("output_too_large: tenant acme would store")
        .contains("storage quota of 5000");
  }
}
