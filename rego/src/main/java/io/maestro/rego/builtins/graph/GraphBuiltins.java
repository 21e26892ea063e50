package io.maestro.rego.builtins.graph;

import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.BuiltinFamily;
import io.maestro.rego.builtins.BuiltinRegistry;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.SetValue;
import io.maestro.rego.value.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code graph.reachable} and {@code graph.reachable_paths}. A graph is an object from vertex to an
 * array or set of neighbours; neighbour lists of any other type count as empty, as in OPA.
 */
public final class GraphBuiltins implements BuiltinFamily {

  @Override
  public void register(BuiltinRegistry registry) {
    registry.register(
        "graph.reachable",
        "(object[any: any<array[any], set[any]>], any<array[any], set[any]>) => set[any]",
        (ctx, a) -> reachable(a));
    registry.register(
        "graph.reachable_paths",
        "(object[any: any<array[any], set[any]>], any<array[any], set[any]>) => set[array[any]]",
        (ctx, a) -> reachablePaths(a));
  }

  private static ObjectValue graph(String builtin, Value v) {
    if (v instanceof ObjectValue o) {
      return o;
    }
    throw BuiltinException.typeError(builtin, 1, "object", v);
  }

  private static Collection<Value> initial(String builtin, Value v) {
    if (v instanceof ArrayValue a) {
      return a.elements();
    }
    if (v instanceof SetValue s) {
      return s.elements();
    }
    throw BuiltinException.typeError(builtin, 2, "any<array, set>", v);
  }

  private static Collection<Value> neighbours(Value edges) {
    if (edges instanceof ArrayValue a) {
      return a.elements();
    }
    if (edges instanceof SetValue s) {
      return s.elements();
    }
    return List.of();
  }

  private static Value reachable(List<Value> args) {
    ObjectValue graph = graph("graph.reachable", args.get(0));
    ArrayDeque<Value> queue = new ArrayDeque<>(initial("graph.reachable", args.get(1)));
    Set<Value> reached = new LinkedHashSet<>();
    while (!queue.isEmpty()) {
      Value node = queue.poll();
      Value edges = graph.get(node);
      if (edges != null && reached.add(node)) {
        for (Value n : neighbours(edges)) {
          if (!reached.contains(n)) {
            queue.add(n);
          }
        }
      }
    }
    return SetValue.of(reached);
  }

  private static Value reachablePaths(List<Value> args) {
    String b = "graph.reachable_paths";
    ObjectValue graph = graph(b, args.get(0));
    List<Value> results = new ArrayList<>();
    for (Value node : initial(b, args.get(1))) {
      Value edges = graph.get(node);
      if (edges == null) {
        continue;
      }
      Collection<Value> next = neighbours(edges);
      if (next.isEmpty()) {
        results.add(ArrayValue.of(List.of(node)));
        continue;
      }
      for (Value n : next) {
        Set<Value> reached = new HashSet<>();
        reached.add(node);
        List<List<Value>> paths = new ArrayList<>();
        walk(graph, n, List.of(node), paths, reached);
        for (List<Value> p : paths) {
          results.add(ArrayValue.of(p));
        }
      }
    }
    return SetValue.of(results);
  }

  /**
   * Depth-first walk that records a path whenever it ends: at a vertex without edges, at a vertex
   * missing from the graph (not included), or at an edge back to a vertex already left. The visited
   * set is shared by all branches below one first edge, as in OPA, so a vertex reached by two
   * branches ends the second one.
   */
  private static void walk(
      ObjectValue graph,
      Value root,
      List<Value> path,
      List<List<Value>> paths,
      Set<Value> reached) {
    Value edges = graph.get(root);
    if (edges == null) {
      paths.add(path);
      return;
    }
    List<Value> extended = new ArrayList<>(path);
    extended.add(root);
    Collection<Value> next = neighbours(edges);
    if (next.isEmpty()) {
      paths.add(extended);
      return;
    }
    for (Value n : next) {
      if (reached.contains(n)) {
        paths.add(extended);
      } else {
        reached.add(root);
        walk(graph, n, extended, paths, reached);
      }
    }
  }
}
