package io.maestro.engine.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.engine.manifest.TaskCatalog;
import io.maestro.engine.sandbox.SandboxCeilings;
import io.maestro.engine.sandbox.SandboxLimits;
import io.maestro.engine.task.builtin.ExecExecutor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression: a manifest asking {@code memory: 8Gi, cpuSeconds: 3600, processes: 4096} was granted
 * all of it. Validation refuses limits beyond the platform's ceilings (a 422 when the manifest is
 * saved). Validation never touches the sandbox, so none is needed here.
 */
class ExecCeilingsTest {
  final ExecExecutor exec =
      new ExecExecutor(null, SandboxLimits.defaults(), new SandboxCeilings(2L << 30, 600, 256));

  List<TaskCatalog.Problem> check(String json) throws Exception {
    JsonNode with = new ObjectMapper().readTree(json);
    return exec.check(with);
  }

  @Test
  void limitsOverTheCeilings_areProblems() throws Exception {
    List<TaskCatalog.Problem> p =
        check("{\"command\":\"true\",\"memory\":\"8Gi\",\"cpuSeconds\":3600,\"processes\":4096}");
    assertThat(p)
        .extracting(TaskCatalog.Problem::key)
        .containsExactly("memory", "cpuSeconds", "processes");
    assertThat(p.getFirst().message()).contains("more than the platform allows");
  }

  @Test
  void limitsWithinTheCeilings_andExpressions_pass() throws Exception {
    assertThat(
            check(
                "{\"command\":\"true\",\"memory\":\"1Gi\",\"cpuSeconds\":600,\"processes\":\"${{"
                    + " inputs.n }}\"}"))
        .isEmpty();
  }

  @Test
  void limitsOfTheWrongType_areProblems() throws Exception {
    assertThat(check("{\"command\":\"true\",\"cpuSeconds\":\"lots\",\"memory\":true}"))
        .extracting(TaskCatalog.Problem::key)
        .containsExactlyInAnyOrder("cpuSeconds", "memory");
  }
}
