package io.maestro.rego.eval;

import io.maestro.rego.RegoException;
import io.maestro.rego.compiler.DocNode;
import io.maestro.rego.compiler.Ir;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.SetValue;
import io.maestro.rego.value.Value;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** Evaluates the rules of one node: complete rules with else and default, generators, functions. */
final class Rules {
  private Rules() {}

  static final String COMPLETE_CONFLICT = "complete rules must not produce multiple outputs";
  static final String FUNCTION_CONFLICT =
      "functions must not produce multiple outputs for same inputs";

  /** A node's own rules: a Value (complete rules, partial sets), a Map tree, or null. */
  static Object evalNode(Evaluator ev, DocNode n) {
    if (!n.generators.isEmpty()) {
      return generate(ev, n);
    }
    Value result = null;
    List<Ir.Rule> rules =
        n.completeIndex == null ? n.complete : n.completeIndex.select(ev.input, n.complete);
    for (Ir.Rule r : rules) {
      Value v = complete(ev, r, null, COMPLETE_CONFLICT);
      if (v != null) {
        if (result != null && !result.equals(v)) {
          throw new RegoException("eval_conflict_error", COMPLETE_CONFLICT, r.loc());
        }
        result = v;
      }
    }
    if (result == null && n.defaultRule != null) {
      result = ev.first(n.defaultRule.value(), new Value[n.defaultRule.slots()]);
    }
    return result;
  }

  /** One rule with its else chain: the value of the first branch whose body succeeds. */
  private static Value complete(Evaluator ev, Ir.Rule r, Value[] args, String conflict) {
    for (Ir.Rule branch = r; branch != null; branch = branch.elseRule()) {
      Value[] f = new Value[Math.max(branch.slots(), 1)];
      Value[] out = new Value[1];
      Ir.Rule b = branch;
      Evaluator.K onBody =
          () ->
              ev.term(
                  b.value(),
                  f,
                  v -> {
                    if (out[0] != null && !out[0].equals(v)) {
                      throw new RegoException("eval_conflict_error", conflict, b.loc());
                    }
                    out[0] = v;
                    return false;
                  });
      if (args != null) {
        bindArgs(ev, b.args(), args, 0, f, () -> ev.body(b.body(), f, onBody));
      } else {
        ev.body(b.body(), f, onBody);
      }
      if (out[0] != null) {
        return out[0];
      }
    }
    return null;
  }

  private static boolean bindArgs(
      Evaluator ev, Ir.Node[] params, Value[] args, int i, Value[] f, Evaluator.K k) {
    if (i == params.length) {
      return k.run();
    }
    return ev.pattern(params[i], args[i], f, () -> bindArgs(ev, params, args, i + 1, f, k));
  }

  static Value evalFunction(Evaluator ev, DocNode fn, Value[] args, Ir.Call site) {
    Value result = null;
    for (Ir.Rule r : fn.functions) {
      Value v = complete(ev, r, args, FUNCTION_CONFLICT);
      if (v != null) {
        if (result != null && !result.equals(v)) {
          throw new RegoException("eval_conflict_error", FUNCTION_CONFLICT, site.loc());
        }
        result = v;
      }
    }
    if (result == null && fn.defaultRule != null) {
      result = ev.first(fn.defaultRule.value(), new Value[Math.max(fn.defaultRule.slots(), 1)]);
    }
    return result;
  }

  /** Partial sets, partial objects and rules with variables in their head refs. */
  private static Object generate(Evaluator ev, DocNode n) {
    boolean isSet = false;
    for (Ir.Rule r : n.generators) {
      if (r.contains() && r.suffix().length == 0) {
        isSet = true;
      }
    }
    List<Ir.Rule> gens =
        n.generatorIndex == null ? n.generators : n.generatorIndex.select(ev.input, n.generators);
    if (isSet) {
      HashSet<Value> members = new HashSet<>();
      for (Ir.Rule r : gens) {
        Value[] f = new Value[Math.max(r.slots(), 1)];
        ev.body(r.body(), f, () -> ev.term(r.key(), f, v -> members.add(v) && false));
      }
      return SetValue.wrap(members);
    }
    Map<Value, Object> root = new HashMap<>();
    for (Ir.Rule r : gens) {
      Value[] f = new Value[Math.max(r.slots(), 1)];
      Value[] keys = new Value[r.suffix().length];
      ev.body(
          r.body(),
          f,
          () ->
              suffix(
                  ev,
                  r,
                  0,
                  keys,
                  f,
                  () ->
                      ev.term(
                          r.contains() ? r.key() : r.value(),
                          f,
                          v -> {
                            insert(root, keys, v, r);
                            return false;
                          })));
    }
    for (Ir.Rule r : n.complete) {
      Value v = complete(ev, r, null, COMPLETE_CONFLICT);
      if (v instanceof ObjectValue o) {
        for (Map.Entry<Value, Value> e : o.unordered().entrySet()) {
          insert(root, new Value[] {e.getKey()}, e.getValue(), r);
        }
      }
    }
    return root;
  }

  /** Merges a child document into a generated tree: leaves must agree, sets union. */
  @SuppressWarnings("unchecked")
  static void mergeInto(Map<Value, Object> tree, Value key, Value v, Ir.Rule r) {
    Object prev = tree.get(key);
    if (prev == null) {
      tree.put(key, v);
    } else if (prev instanceof Map<?, ?> pm && v instanceof ObjectValue ov) {
      for (Map.Entry<Value, Value> e : ov.unordered().entrySet()) {
        mergeInto((Map<Value, Object>) pm, e.getKey(), e.getValue(), r);
      }
    } else if (prev instanceof SetLeaf s && v instanceof SetValue sv) {
      s.members.addAll(sv.unordered());
    } else if (!(prev instanceof Value pv && pv.equals(v))) {
      throw new RegoException(
          "eval_conflict_error", "object keys must be unique", r == null ? null : r.loc());
    }
  }

  private static boolean suffix(
      Evaluator ev, Ir.Rule r, int i, Value[] keys, Value[] f, Evaluator.K k) {
    if (i == keys.length) {
      return k.run();
    }
    return ev.term(
        r.suffix()[i],
        f,
        v -> {
          keys[i] = v;
          return suffix(ev, r, i + 1, keys, f, k);
        });
  }

  /** A mutable tree while generating: maps, sets (contains leaves) and values. */
  private static final class SetLeaf {
    final HashSet<Value> members = new HashSet<>();
  }

  @SuppressWarnings("unchecked")
  private static void insert(Map<Value, Object> root, Value[] keys, Value v, Ir.Rule r) {
    Map<Value, Object> m = root;
    int last = keys.length - 1;
    for (int i = 0; i < last; i++) {
      Object next = m.get(keys[i]);
      if (next == null) {
        next = new HashMap<Value, Object>();
        m.put(keys[i], next);
      } else if (next instanceof Value val) {
        if (val instanceof ObjectValue ov) {
          HashMap<Value, Object> copy = new HashMap<>(ov.unordered());
          m.put(keys[i], copy);
          next = copy;
        } else {
          throw new RegoException("eval_conflict_error", "object keys must be unique", r.loc());
        }
      } else if (!(next instanceof Map)) {
        throw new RegoException("eval_conflict_error", "object keys must be unique", r.loc());
      }
      m = (Map<Value, Object>) next;
    }
    Value key = keys[last];
    Object prev = m.get(key);
    if (r.contains()) {
      if (prev == null) {
        SetLeaf s = new SetLeaf();
        s.members.add(v);
        m.put(key, s);
      } else if (prev instanceof SetLeaf s) {
        s.members.add(v);
      } else {
        throw new RegoException("eval_conflict_error", "object keys must be unique", r.loc());
      }
      return;
    }
    if (prev == null) {
      m.put(key, v);
    } else if (prev instanceof Value pv) {
      if (!pv.equals(v)) {
        if (keys.length > 1 || true) {
          throw new RegoException("eval_conflict_error", "object keys must be unique", r.loc());
        }
      }
    } else if (prev instanceof Map<?, ?> pm && v instanceof ObjectValue ov) {
      Map<Value, Object> target = (Map<Value, Object>) pm;
      for (Map.Entry<Value, Value> e : ov.unordered().entrySet()) {
        insert(target, new Value[] {e.getKey()}, e.getValue(), r);
      }
    } else {
      throw new RegoException("eval_conflict_error", "object keys must be unique", r.loc());
    }
  }

  @SuppressWarnings("unchecked")
  static Value freeze(Object o) {
    if (o instanceof Value v) {
      return v;
    }
    if (o instanceof SetLeaf s) {
      return SetValue.wrap(s.members);
    }
    HashMap<Value, Value> out = new HashMap<>();
    for (Map.Entry<Value, Object> e : ((Map<Value, Object>) o).entrySet()) {
      out.put(e.getKey(), freeze(e.getValue()));
    }
    return ObjectValue.wrap(out);
  }
}
