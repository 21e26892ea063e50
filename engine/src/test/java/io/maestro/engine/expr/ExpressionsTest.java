package io.maestro.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpressionsTest {
  private final Expressions ex = new Expressions();
  private final Bindings b =
      new Bindings(
          Map.of("name", "ada", "count", 3),
          Map.of("build", Map.of("status", "SUCCEEDED", "outputs", Map.of("digest", "sha256:ab"))),
          Map.of("id", "run_1"),
          null);

  @Test
  void render_singleExpressionKeepsItsType() {
    assertThat(ex.render("${{ inputs.count + 1 }}", b)).isEqualTo(4L);
    assertThat(ex.render("${{ [1, 2] }}", b)).isEqualTo(List.of(1L, 2L));
  }

  @Test
  void render_interpolatesIntoText() {
    assertThat(ex.render("hi ${{ inputs.name }}, ${{ tasks.build.outputs.digest }}", b))
        .isEqualTo("hi ada, sha256:ab");
  }

  @Test
  void condition_acceptsBareAndWrappedForms() {
    assertThat(ex.condition("inputs.count > 2", b)).isTrue();
    assertThat(ex.condition("${{ tasks.build.status == 'FAILED' }}", b)).isFalse();
  }

  @Test
  void condition_mustBeBoolean() {
    assertThatThrownBy(() -> ex.condition("inputs.name", b))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("must be a boolean");
  }

  @Test
  void check_reportsCompileErrors() {
    assertThatThrownBy(() -> ex.check("1 +")).isInstanceOf(ExpressionException.class);
    assertThatThrownBy(() -> ex.check("unknown_var")).hasMessageContaining("undeclared");
  }

  @Test
  void evaluate_failsCleanlyOnMissingKeys() {
    assertThatThrownBy(() -> ex.evaluate("inputs.nope", b)).isInstanceOf(ExpressionException.class);
  }

  @Test
  void resolve_walksJsonTrees() throws Exception {
    var node =
        new ObjectMapper().readTree("{\"a\": [\"${{ inputs.name }}\", 2], \"b\": {\"c\": true}}");
    assertThat(ex.resolve(node, b))
        .isEqualTo(Map.of("a", List.of("ada", 2L), "b", Map.of("c", true)));
  }

  @Test
  void references_findTasksAndInputs() {
    assertThat(Expressions.taskReferences("tasks.a.outputs.x + tasks['b-c'].status"))
        .containsExactly("a", "b-c");
    assertThat(Expressions.inputReferences("inputs.x == inputs[\"y\"]")).containsExactly("x", "y");
  }
}
