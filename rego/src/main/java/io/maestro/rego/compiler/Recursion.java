package io.maestro.rego.compiler;

import io.maestro.rego.RegoException;
import io.maestro.rego.value.StringValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Finds rules and functions that depend on themselves (OPA's rego_recursion_error). */
final class Recursion {
  private final DocNode root;
  private final Map<DocNode, Set<DocNode>> edges = new IdentityHashMap<>();
  private final Map<DocNode, Ir.Rule> firstRule = new HashMap<>();

  private Recursion(DocNode root) {
    this.root = root;
  }

  static void check(DocNode root) {
    Recursion r = new Recursion(root);
    r.collect(root);
    r.detect();
  }

  private void collect(DocNode n) {
    List<Ir.Rule> rules = new ArrayList<>();
    rules.addAll(n.complete);
    rules.addAll(n.generators);
    rules.addAll(n.functions);
    if (n.defaultRule != null) {
      rules.add(n.defaultRule);
    }
    if (!rules.isEmpty()) {
      Set<DocNode> deps = new LinkedHashSet<>();
      for (Ir.Rule r : rules) {
        for (Ir.Rule b = r; b != null; b = b.elseRule()) {
          rule(b, deps);
        }
      }
      edges.put(n, deps);
      firstRule.put(n, rules.get(0));
    }
    for (DocNode c : n.children.values()) {
      collect(c);
    }
  }

  private void rule(Ir.Rule r, Set<DocNode> deps) {
    if (r.args() != null) {
      for (Ir.Node a : r.args()) {
        node(a, deps);
      }
    }
    for (Ir.Node s : r.suffix()) {
      node(s, deps);
    }
    node(r.key(), deps);
    node(r.value(), deps);
    body(r.body(), deps);
  }

  private void body(Ir.Body b, Set<DocNode> deps) {
    for (Ir.Expr e : b.exprs()) {
      switch (e.kind()) {
        case Ir.TermK t -> node(t.term(), deps);
        case Ir.UnifyK u -> {
          node(u.a(), deps);
          node(u.b(), deps);
        }
        case Ir.EveryK ev -> {
          node(ev.domain(), deps);
          body(ev.body(), deps);
        }
        case Ir.NotBodyK nb -> body(nb.body(), deps);
        case Ir.NoopK n -> {}
      }
    }
  }

  private void node(Ir.Node n, Set<DocNode> deps) {
    if (n == null) {
      return;
    }
    switch (n) {
      case Ir.RefN r -> {
        if (r.head() instanceof Ir.DataRoot) {
          DocNode d = root;
          boolean intoBase = false;
          for (Ir.Node p : r.path()) {
            if (d.hasRules() || d.isFunction()) {
              break;
            }
            if (p instanceof Ir.Const c && c.value() instanceof StringValue s) {
              DocNode child = d.children.get(s.value());
              if (child == null) {
                // The ref leaves the rule tree into base data: no dependency on siblings.
                intoBase = true;
                break;
              }
              d = child;
            } else {
              break;
            }
          }
          if (d != root && !intoBase) {
            withDescendants(d, deps);
          }
        } else {
          node(r.head(), deps);
        }
        for (Ir.Node p : r.path()) {
          node(p, deps);
        }
      }
      case Ir.Call c -> {
        if (c.fn().startsWith("data.")) {
          DocNode d = root;
          for (String part : c.fn().substring(5).split("\\.")) {
            d = d == null ? null : d.children.get(part);
          }
          if (d != null) {
            deps.add(d);
          }
        }
        for (Ir.Node a : c.args()) {
          node(a, deps);
        }
      }
      case Ir.ArrayN a -> nodes(a.items(), deps);
      case Ir.SetN s -> nodes(s.items(), deps);
      case Ir.ObjectN o -> {
        nodes(o.keys(), deps);
        nodes(o.values(), deps);
      }
      case Ir.ArrayCompr c -> {
        node(c.head(), deps);
        body(c.body(), deps);
      }
      case Ir.SetCompr c -> {
        node(c.head(), deps);
        body(c.body(), deps);
      }
      case Ir.ObjectCompr c -> {
        node(c.key(), deps);
        node(c.value(), deps);
        body(c.body(), deps);
      }
      case Ir.Template t -> {
        for (Object p : t.parts()) {
          if (p instanceof Ir.Node x) {
            node(x, deps);
          }
        }
      }
      default -> {}
    }
  }

  private void nodes(Ir.Node[] ns, Set<DocNode> deps) {
    for (Ir.Node n : ns) {
      node(n, deps);
    }
  }

  private static void withDescendants(DocNode d, Set<DocNode> deps) {
    deps.add(d);
    for (DocNode c : d.children.values()) {
      withDescendants(c, deps);
    }
  }

  private void detect() {
    Map<DocNode, Integer> state = new IdentityHashMap<>();
    for (DocNode n : edges.keySet()) {
      List<DocNode> stack = new ArrayList<>();
      visit(n, state, stack);
    }
  }

  private void visit(DocNode n, Map<DocNode, Integer> state, List<DocNode> stack) {
    Integer s = state.get(n);
    if (s != null && s == 2) {
      return;
    }
    if (s != null && s == 1) {
      List<DocNode> cycle = stack.subList(stack.indexOf(n), stack.size());
      StringBuilder sb = new StringBuilder();
      for (DocNode c : cycle) {
        sb.append(name(c)).append(" -> ");
      }
      sb.append(name(n));
      Ir.Rule r = firstRule.get(n);
      throw new RegoException(
          "rego_recursion_error",
          "rule " + name(n) + " is recursive: " + sb,
          r == null ? null : r.loc());
    }
    state.put(n, 1);
    stack.add(n);
    for (DocNode d : edges.getOrDefault(n, Set.of())) {
      if (edges.containsKey(d)) {
        visit(d, state, stack);
      }
    }
    stack.remove(stack.size() - 1);
    state.put(n, 2);
  }

  private static String name(DocNode n) {
    return "data." + String.join(".", n.path);
  }
}
