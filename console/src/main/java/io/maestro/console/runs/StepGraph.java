package io.maestro.console.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run's step graph as the run page draws it in SVG: the manifest's tasks ({@code spec.tasks},
 * with their {@code needs}) laid out in columns by depth (a task sits one column right of the
 * deepest task it needs), each coloured by its step's status in the run.
 */
public record StepGraph(List<Node> nodes, List<Edge> edges, int width, int height) {
  static final int NODE_W = 150;
  static final int NODE_H = 34;
  static final int COL_GAP = 50;
  static final int ROW_GAP = 14;
  static final int PAD = 8;
  private static final int MAX_LABEL = 18;
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** A task's box: its id, its label (shortened to fit), its status and its top-left corner. */
  public record Node(String id, String label, String status, int x, int y) {}

  /** An arrow from the right edge of a needed task to the left edge of the task needing it. */
  public record Edge(int x1, int y1, int x2, int y2) {}

  /**
   * The graph of the manifest {@code source} with the statuses of {@code run}'s steps; empty when
   * the source is not a manifest with tasks.
   */
  static Optional<StepGraph> of(String source, JsonNode run) {
    JsonNode tasks;
    try {
      tasks = YAML.readTree(source).path("spec").path("tasks");
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    Map<String, List<String>> needs = new LinkedHashMap<>();
    for (JsonNode t : tasks) {
      String id = t.path("id").asText("");
      if (id.isEmpty() || needs.containsKey(id)) {
        continue;
      }
      List<String> n = new ArrayList<>();
      t.path("needs").forEach(x -> n.add(x.asText()));
      if (t.path("needs").isTextual()) {
        n.add(t.path("needs").asText());
      }
      needs.put(id, n);
    }
    if (needs.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> status = new HashMap<>();
    run.path("steps").forEach(s -> status.put(s.path("id").asText(), s.path("status").asText()));
    return Optional.of(layout(needs, status));
  }

  static StepGraph layout(Map<String, List<String>> needs, Map<String, String> status) {
    Map<String, Integer> depth = new HashMap<>();
    needs.keySet().forEach(id -> depth(id, needs, depth, new ArrayList<>()));
    Map<Integer, Integer> rows = new HashMap<>();
    Map<String, Node> nodes = new LinkedHashMap<>();
    int maxCol = 0;
    int maxRow = 0;
    for (String id : needs.keySet()) {
      int col = depth.get(id);
      int row = rows.merge(col, 1, Integer::sum) - 1;
      maxCol = Math.max(maxCol, col);
      maxRow = Math.max(maxRow, row);
      String label = id.length() > MAX_LABEL ? id.substring(0, MAX_LABEL - 1) + "…" : id;
      nodes.put(
          id,
          new Node(
              id,
              label,
              status.getOrDefault(id, "NOT_STARTED"),
              PAD + col * (NODE_W + COL_GAP),
              PAD + row * (NODE_H + ROW_GAP)));
    }
    List<Edge> edges = new ArrayList<>();
    for (var e : needs.entrySet()) {
      Node to = nodes.get(e.getKey());
      for (String from : e.getValue()) {
        Node f = nodes.get(from);
        if (f != null) {
          edges.add(new Edge(f.x() + NODE_W, f.y() + NODE_H / 2, to.x() - 2, to.y() + NODE_H / 2));
        }
      }
    }
    return new StepGraph(
        List.copyOf(nodes.values()),
        List.copyOf(edges),
        2 * PAD + (maxCol + 1) * NODE_W + maxCol * COL_GAP,
        2 * PAD + (maxRow + 1) * NODE_H + maxRow * ROW_GAP);
  }

  /** The column of {@code id}; a cycle or an unknown task counts as depth 0 (never loops). */
  private static int depth(
      String id, Map<String, List<String>> needs, Map<String, Integer> memo, List<String> path) {
    Integer known = memo.get(id);
    if (known != null) {
      return known;
    }
    if (!needs.containsKey(id) || path.contains(id)) {
      return -1;
    }
    path.add(id);
    int d = 0;
    for (String n : needs.get(id)) {
      d = Math.max(d, depth(n, needs, memo, path) + 1);
    }
    path.remove(path.size() - 1);
    memo.put(id, d);
    return d;
  }

  public int nodeWidth() {
    return NODE_W;
  }

  public int nodeHeight() {
    return NODE_H;
  }
}
