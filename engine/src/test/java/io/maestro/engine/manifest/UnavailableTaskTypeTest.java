package io.maestro.engine.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.engine.EngineErrors;
import io.maestro.engine.expr.Expressions;
import io.maestro.engine.task.TaskAvailability;
import io.maestro.engine.task.TaskTypes;
import io.maestro.engine.task.builtin.LogExecutor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A task type the server knows but cannot run here is refused as such, with the reason. */
class UnavailableTaskTypeTest {
  private static final String WHY = "bubblewrap not found — apt-get install bubblewrap";

  private final TaskAvailability availability = new TaskAvailability(Map.of("core/exec", WHY));
  private final ManifestLoader loader =
      new ManifestLoader(
          new TaskTypes(List.of(new LogExecutor()), availability), new Expressions());

  private static final String USES_EXEC =
      """
      apiVersion: maestro/v1
      kind: Workflow
      metadata: {name: uses-exec, version: "1"}
      spec:
        tasks:
          - {id: hi, uses: core/log, with: {message: hi}}
          - {id: run, uses: core/exec, needs: [hi], with: {command: "true"}}
      """;

  @Test
  void manifestUsingAnUnavailableType_isRefusedWithTaskTypeUnavailableAndTheReason() {
    assertThatThrownBy(() -> loader.load(USES_EXEC))
        .isInstanceOfSatisfying(
            ManifestException.class,
            e -> {
              assertThat(e.code()).isEqualTo(EngineErrors.TASK_TYPE_UNAVAILABLE);
              assertThat(e.code().status()).isEqualTo(422);
              assertThat(e.problems())
                  .singleElement()
                  .hasToString(
                      "spec.tasks[1].uses (7:17): task type 'core/exec' is unavailable on this"
                          + " server: "
                          + WHY);
            });
  }

  @Test
  void otherProblems_areStillListedNextToTheUnavailableType() {
    String both = USES_EXEC.replace("core/log, with: {message: hi}", "core/log, with: {}");
    assertThatThrownBy(() -> loader.load(both))
        .isInstanceOfSatisfying(
            ManifestException.class,
            e -> {
              assertThat(e.code()).isEqualTo(EngineErrors.TASK_TYPE_UNAVAILABLE);
              assertThat(e.problems()).hasSize(2);
            });
  }

  @Test
  void unknownType_isStillManifestInvalid() {
    assertThatThrownBy(() -> loader.load(USES_EXEC.replace("core/exec", "core/nope")))
        .isInstanceOfSatisfying(
            ManifestException.class,
            e -> {
              assertThat(e.code()).isEqualTo(EngineErrors.MANIFEST_INVALID);
              assertThat(e.detail()).contains("unknown task type 'core/nope'; known: core/log");
            });
  }

  @Test
  void availabilityLine_namesEachDisabledTypeAndWhy() {
    assertThat(availability.line()).isEqualTo("core/exec disabled: " + WHY);
    assertThat(TaskAvailability.all().line()).isEqualTo("all task types available");
    assertThat(availability.reason("core/log")).isEmpty();
  }
}
