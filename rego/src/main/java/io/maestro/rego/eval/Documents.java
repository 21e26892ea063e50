package io.maestro.rego.eval;

import io.maestro.rego.RegoException;
import io.maestro.rego.compiler.DocNode;
import io.maestro.rego.compiler.Ir;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.SetValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * The document side of evaluation: walking {@code data}, evaluating rules into values (memoized per
 * evaluation scope) and calling user functions.
 */
final class Documents {
  private static final Value UNDEFINED = StringValue.of("\u0000undefined");

  private final Evaluator ev;
  private final Value[] nodeCache;
  private final boolean[] inProgress;
  private final Map<FnKey, Value> fnCache = new HashMap<>();

  private record FnKey(int node, List<Value> args) {}

  Documents(Evaluator ev) {
    this.ev = ev;
    int n = ev.ctx.policy.nodeCount();
    this.nodeCache = new Value[n];
    this.inProgress = new boolean[n];
  }

  // ------------------------------------------------------------------ walking data

  boolean walk(DocNode n, Ir.Node[] path, int i, Value[] f, Evaluator.VK k) {
    if (!ev.dataOverrides.isEmpty() && overridden(n.path)) {
      Value v = baseAt(n.path);
      return v != null && ev.path(v, path, i, f, k);
    }
    if (i == path.length || n.hasRules() || n.isFunction()) {
      Value v = nodeValue(n);
      if (v == null) {
        return false;
      }
      return ev.path(v, path, i, f, k);
    }
    Ir.Node p = path[i];
    Value key = null;
    if (p instanceof Ir.Const c) {
      key = c.value();
    } else if (p instanceof Ir.Local l) {
      key = f[l.slot()];
    }
    if (key != null) {
      if (key instanceof StringValue s) {
        DocNode child = n.children.get(s.value());
        if (child != null) {
          return walk(child, path, i + 1, f, k);
        }
      }
      return basePath(baseAt(n.path), path, i, f, k);
    }
    Value v = nodeValue(n);
    return v != null && ev.path(v, path, i, f, k);
  }

  /**
   * Walks base data. Base documents come from JSON, whose keys are strings, so an integer operand
   * also finds the key written as a string (data[2] finds {"2": …}), as in OPA.
   */
  private boolean basePath(Value v, Ir.Node[] path, int i, Value[] f, Evaluator.VK k) {
    while (v != null && i < path.length && v instanceof ObjectValue o) {
      Ir.Node p = path[i];
      Value key =
          p instanceof Ir.Const c ? c.value() : p instanceof Ir.Local l ? f[l.slot()] : null;
      if (key == null) {
        break;
      }
      Value next = o.get(key);
      if (next == null && key instanceof io.maestro.rego.value.NumberValue) {
        next = o.get(StringValue.of(key.toString()));
      }
      v = next;
      i++;
    }
    return v != null && ev.path(v, path, i, f, k);
  }

  private boolean overridden(List<String> p) {
    for (Evaluator.Override o : ev.dataOverrides) {
      if (o.path().length <= p.size() && prefix(o.path(), p)) {
        return true;
      }
    }
    return false;
  }

  private static boolean prefix(String[] o, List<String> p) {
    for (int k = 0; k < o.length; k++) {
      if (!o[k].equals(p.get(k))) {
        return false;
      }
    }
    return true;
  }

  /** Base data at a path, with `with data…` overrides applied. */
  Value baseAt(List<String> path) {
    Value v = ev.ctx.data;
    for (Evaluator.Override o : ev.dataOverrides) {
      if (o.path().length <= path.size() && prefix(o.path(), path)) {
        v = o.value();
        for (int k = o.path().length; k < path.size() && v != null; k++) {
          v = Evaluator.lookup(v, StringValue.of(path.get(k)));
        }
        return v;
      }
    }
    for (String s : path) {
      if (v == null) {
        break;
      }
      v = v instanceof ObjectValue o ? o.get(s) : null;
    }
    for (Evaluator.Override o : ev.dataOverrides) {
      if (o.path().length > path.size() && startsWith(o.path(), path)) {
        v =
            Evaluator.upsert(
                v, Arrays.copyOfRange(o.path(), path.size(), o.path().length), 0, o.value());
      }
    }
    return v;
  }

  private static boolean startsWith(String[] o, List<String> p) {
    for (int k = 0; k < p.size(); k++) {
      if (!o[k].equals(p.get(k))) {
        return false;
      }
    }
    return true;
  }

  // ------------------------------------------------------------------ node values

  /** The value of a node: base data merged with its rules' and children's values. */
  Value nodeValue(DocNode n) {
    Value cached = nodeCache[n.id];
    if (cached != null) {
      return cached == UNDEFINED ? null : cached;
    }
    Value v = computeNode(n);
    nodeCache[n.id] = v == null ? UNDEFINED : v;
    return v;
  }

  private Value computeNode(DocNode n) {
    if (!ev.dataOverrides.isEmpty() && overridden(n.path)) {
      return baseAt(n.path);
    }
    if (n.isFunction()) {
      return null;
    }
    Value base = baseAt(n.path);
    Object own = null;
    if (n.hasRules()) {
      if (inProgress[n.id]) {
        throw new RegoException(
            "rego_recursion_error",
            "rule data." + String.join(".", n.path) + " is recursive",
            null);
      }
      inProgress[n.id] = true;
      try {
        own = Rules.evalNode(ev, n);
      } finally {
        inProgress[n.id] = false;
      }
      if (own instanceof Value v) {
        return base != null ? preferBase(base, v) : v;
      }
      if (own == null && n.children.isEmpty()) {
        return base;
      }
    }
    @SuppressWarnings("unchecked")
    Map<Value, Object> tree = own == null ? new HashMap<>() : (Map<Value, Object>) own;
    for (DocNode c : n.children.values()) {
      if (c.isFunction()) {
        continue;
      }
      Value cv = nodeValue(c);
      if (cv != null) {
        Rules.mergeInto(tree, StringValue.of(c.name), cv, null);
      }
    }
    Value virtual = Rules.freeze(tree);
    return base != null ? preferBase(base, virtual) : virtual;
  }

  /** Base documents win over virtual ones where both define a value. */
  private static Value preferBase(Value base, Value virtual) {
    if (base instanceof ObjectValue b && virtual instanceof ObjectValue v) {
      HashMap<Value, Value> m = new HashMap<>(v.unordered());
      for (Map.Entry<Value, Value> e : b.unordered().entrySet()) {
        Value prev = m.get(e.getKey());
        m.put(e.getKey(), prev == null ? e.getValue() : preferBase(e.getValue(), prev));
      }
      return ObjectValue.wrap(m);
    }
    return base;
  }

  /** Deep-merges two documents; differing leaves conflict. */
  static Value merge(Value a, Value b) {
    if (a instanceof ObjectValue x && b instanceof ObjectValue y) {
      HashMap<Value, Value> m = new HashMap<>(x.unordered());
      for (Map.Entry<Value, Value> e : y.unordered().entrySet()) {
        m.merge(e.getKey(), e.getValue(), Documents::merge);
      }
      return ObjectValue.wrap(m);
    }
    if (a.equals(b)) {
      return a;
    }
    if (a instanceof SetValue x && b instanceof SetValue y) {
      HashSet<Value> m = new HashSet<>(x.unordered());
      m.addAll(y.unordered());
      return SetValue.wrap(m);
    }
    throw new RegoException("eval_conflict_error", "object keys must be unique", null);
  }

  // ------------------------------------------------------------------ functions

  Value callFunction(DocNode fn, Value[] args, Ir.Call site) {
    FnKey key = new FnKey(fn.id, List.of(args));
    Value cached = fnCache.get(key);
    if (cached != null) {
      return cached == UNDEFINED ? null : cached;
    }
    if (inProgress[fn.id]) {
      throw new RegoException(
          "rego_recursion_error",
          "rule data." + String.join(".", fn.path) + " is recursive",
          site.loc());
    }
    inProgress[fn.id] = true;
    Value result;
    try {
      result = Rules.evalFunction(ev, fn, args, site);
    } finally {
      inProgress[fn.id] = false;
    }
    fnCache.put(key, result == null ? UNDEFINED : result);
    return result;
  }

  static SetValue emptySet() {
    return SetValue.wrap(new HashSet<>());
  }
}
