package io.maestro.console.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepGraphTest {
  static final String DIAMOND =
      """
      apiVersion: maestro/v1
      kind: Workflow
      metadata: {name: diamond, version: "1"}
      spec:
        tasks:
          - {id: a, uses: core/log}
          - {id: b, uses: core/log, needs: [a]}
          - {id: c, uses: core/log, needs: [a]}
          - {id: d, uses: core/log, needs: [b, c]}
      """;

  @Test
  void diamond_isLaidOutInColumnsByDepth_withOneEdgePerNeed_andTheRunsStatuses() throws Exception {
    var run =
        new ObjectMapper()
            .readTree(
                "{\"steps\":[{\"id\":\"a\",\"status\":\"SUCCEEDED\"},{\"id\":\"b\",\"status\":\"RUNNING\"}]}");
    StepGraph g = StepGraph.of(DIAMOND, run).orElseThrow();
    Map<String, StepGraph.Node> byId =
        g.nodes().stream().collect(java.util.stream.Collectors.toMap(StepGraph.Node::id, n -> n));
    assertThat(byId.get("a").x()).isLessThan(byId.get("b").x());
    assertThat(byId.get("b").x()).isEqualTo(byId.get("c").x());
    assertThat(byId.get("b").y()).isNotEqualTo(byId.get("c").y());
    assertThat(byId.get("d").x()).isGreaterThan(byId.get("c").x());
    assertThat(g.edges()).hasSize(4);
    assertThat(byId.get("a").status()).isEqualTo("SUCCEEDED");
    assertThat(byId.get("d").status()).isEqualTo("NOT_STARTED");
    assertThat(g.width()).isGreaterThan(byId.get("d").x());
  }

  @Test
  void aCycleOrAnUnknownNeed_doesNotLoop_andNoTasksMeansNoGraph() {
    StepGraph g =
        StepGraph.layout(
            new java.util.LinkedHashMap<>(Map.of("x", List.of("y"), "y", List.of("x", "missing"))),
            Map.of());
    assertThat(g.nodes()).hasSize(2);
    assertThat(StepGraph.of("not: [a manifest", new ObjectMapper().createObjectNode())).isEmpty();
    assertThat(StepGraph.of("spec: {}", new ObjectMapper().createObjectNode())).isEmpty();
  }
}
