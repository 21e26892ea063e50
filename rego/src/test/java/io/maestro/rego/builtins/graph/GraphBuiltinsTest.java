package io.maestro.rego.builtins.graph;

import static io.maestro.rego.builtins.net.BuiltinHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.net.BuiltinHarness;
import io.maestro.rego.value.SetValue;
import io.maestro.rego.value.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphBuiltinsTest {
  private final BuiltinHarness graph = new BuiltinHarness(new GraphBuiltins());

  private static Value set(String json) {
    return SetValue.of(((io.maestro.rego.value.ArrayValue) json(json)).elements());
  }

  @Test
  void reachable_followsCyclesAndIgnoresUnknownVertices() {
    Value g = json("{\"a\": [\"b\"], \"b\": [\"c\"], \"c\": [\"a\"]}");
    assertThat(graph.call("graph.reachable", g, List.of("a")))
        .isEqualTo(set("[\"a\",\"b\",\"c\"]"));
    assertThat(graph.call("graph.reachable", json("{}"), List.of("a"))).isEqualTo(set("[]"));
    assertThat(graph.call("graph.reachable", json("{\"a\": null}"), List.of("a")))
        .isEqualTo(set("[\"a\"]"));
  }

  @Test
  void reachable_rejectsNonObjectGraph() {
    assertThatThrownBy(() -> graph.call("graph.reachable", 1, List.of(1)))
        .isInstanceOf(BuiltinException.class)
        .extracting(e -> ((BuiltinException) e).code())
        .isEqualTo("eval_type_error");
  }

  @Test
  void reachablePaths_listsOnePathPerFirstEdge() {
    Value g = json("{\"a\": [\"b\", \"c\"], \"b\": [\"c\"], \"c\": []}");
    assertThat(graph.call("graph.reachable_paths", g, List.of("a")))
        .isEqualTo(set("[[\"a\",\"b\",\"c\"],[\"a\",\"c\"]]"));
    Value invalidEnd = json("{\"a\": [\"b\"], \"b\": [\"x\"]}");
    assertThat(graph.call("graph.reachable_paths", invalidEnd, List.of("a")))
        .isEqualTo(set("[[\"a\",\"b\"]]"));
  }

  @Test
  void reachablePaths_sharedVisitedSetEndsSecondBranch() {
    Value g =
        json(
            "{\"one\": [\"two\",\"five\"], \"two\": [\"four\"], \"three\": [\"\"],"
                + " \"four\": [\"three\"], \"five\": [\"seven\",\"six\"],"
                + " \"six\": [\"nine\",\"seven\"], \"seven\": [\"eight\"],"
                + " \"eight\": [\"three\"], \"nine\": [\"\"]}");
    assertThat(graph.call("graph.reachable_paths", g, List.of("one")))
        .isEqualTo(
            set(
                "[[\"one\",\"five\",\"seven\",\"eight\",\"three\"],"
                    + "[\"one\",\"five\",\"six\"],[\"one\",\"five\",\"six\",\"nine\"],"
                    + "[\"one\",\"two\",\"four\",\"three\"]]"));
  }

  @Test
  void reachablePaths_rejectsScalarInitial() {
    assertThatThrownBy(() -> graph.call("graph.reachable_paths", json("{\"a\": []}"), "a"))
        .isInstanceOf(BuiltinException.class);
  }
}
