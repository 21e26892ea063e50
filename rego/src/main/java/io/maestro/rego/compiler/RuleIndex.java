package io.maestro.rego.compiler;

import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Selects the rules of a group that can match the input, so that the common shape — many rules each
 * guarded by {@code input.x == "constant"} — does not evaluate every rule. The guarding expression
 * stays in each body, so selection only skips rules that would fail anyway.
 */
public final class RuleIndex {
  private static final int MIN_RULES = 3;

  private final String[] path;
  private final Map<Value, List<Ir.Rule>> byValue;
  private final List<Ir.Rule> always;

  private RuleIndex(String[] path, Map<Value, List<Ir.Rule>> byValue, List<Ir.Rule> always) {
    this.path = path;
    this.byValue = byValue;
    this.always = always;
  }

  /** An index for the rules, or null when no input field guards enough of them. */
  static RuleIndex build(List<Ir.Rule> rules) {
    if (rules.size() < MIN_RULES) {
      return null;
    }
    Map<List<String>, Integer> votes = new LinkedHashMap<>();
    for (Ir.Rule r : rules) {
      if (r.elseRule() != null) {
        continue;
      }
      for (Guard g : guards(r)) {
        votes.merge(g.path(), 1, Integer::sum);
      }
    }
    List<String> best = null;
    int bestVotes = 1;
    for (Map.Entry<List<String>, Integer> e : votes.entrySet()) {
      if (e.getValue() > bestVotes) {
        best = e.getKey();
        bestVotes = e.getValue();
      }
    }
    if (best == null) {
      return null;
    }
    Map<Value, List<Ir.Rule>> byValue = new HashMap<>();
    List<Ir.Rule> always = new ArrayList<>();
    for (Ir.Rule r : rules) {
      Value v = null;
      if (r.elseRule() == null) {
        for (Guard g : guards(r)) {
          if (g.path().equals(best)) {
            v = g.value();
            break;
          }
        }
      }
      if (v == null) {
        always.add(r);
      } else {
        byValue.computeIfAbsent(v, k -> new ArrayList<>()).add(r);
      }
    }
    return new RuleIndex(best.toArray(new String[0]), byValue, List.copyOf(always));
  }

  private record Guard(List<String> path, Value value) {}

  private static List<Guard> guards(Ir.Rule r) {
    List<Guard> out = new ArrayList<>();
    for (Ir.Expr e : r.body().exprs()) {
      if (e.negated() || e.withs().length > 0) {
        continue;
      }
      Ir.Node a = null;
      Ir.Node b = null;
      if (e.kind() instanceof Ir.UnifyK u) {
        a = u.a();
        b = u.b();
      } else if (e.kind() instanceof Ir.TermK t
          && t.term() instanceof Ir.Call c
          && c.fn().equals("equal")
          && c.args().length == 2) {
        a = c.args()[0];
        b = c.args()[1];
      }
      if (a == null) {
        continue;
      }
      Guard g = guard(a, b);
      if (g == null) {
        g = guard(b, a);
      }
      if (g != null) {
        out.add(g);
      }
    }
    return out;
  }

  private static Guard guard(Ir.Node ref, Ir.Node value) {
    if (!(ref instanceof Ir.RefN r)
        || !(r.head() instanceof Ir.InputRoot)
        || !(value instanceof Ir.Const c)) {
      return null;
    }
    List<String> path = new ArrayList<>();
    for (Ir.Node p : r.path()) {
      if (p instanceof Ir.Const pc && pc.value() instanceof StringValue s) {
        path.add(s.value());
      } else {
        return null;
      }
    }
    return new Guard(List.copyOf(path), c.value());
  }

  /** The rules that may match this input: those guarded by its value, plus unguarded ones. */
  public List<Ir.Rule> select(Value input, List<Ir.Rule> all) {
    Value v = input;
    for (String p : path) {
      v = v instanceof ObjectValue o ? o.get(p) : null;
      if (v == null) {
        return always;
      }
    }
    List<Ir.Rule> hit = byValue.get(v);
    if (hit == null) {
      return always;
    }
    if (always.isEmpty()) {
      return hit;
    }
    List<Ir.Rule> out = new ArrayList<>(hit.size() + always.size());
    for (Ir.Rule r : all) {
      if (hit.contains(r) || always.contains(r)) {
        out.add(r);
      }
    }
    return out;
  }
}
