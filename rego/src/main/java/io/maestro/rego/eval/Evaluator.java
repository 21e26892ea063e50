package io.maestro.rego.eval;

import io.maestro.rego.RegoException;
import io.maestro.rego.compiler.Ir;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.SetValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * The top-down evaluator. Evaluation is in continuation-passing style: each step calls its
 * continuation once per solution, with variable bindings held in a frame and undone on return. A
 * continuation returns true to stop the search early (used by negation and existence checks). One
 * instance per `with` scope: input, data overrides, function mocks and caches differ.
 */
final class Evaluator {
  /** Continuation after a successful step. */
  interface K {
    boolean run();
  }

  /** Continuation receiving one value. */
  interface VK {
    boolean accept(Value v);
  }

  final EvalContext ctx;
  final Value input;
  final List<Override> dataOverrides;
  final Map<String, Object> fnOverrides;
  final Documents docs;
  final Calls calls;

  /** A `with data.path as value` override. */
  record Override(String[] path, Value value) {}

  Evaluator(
      EvalContext ctx, Value input, List<Override> dataOverrides, Map<String, Object> fnOverrides) {
    this.ctx = ctx;
    this.input = input;
    this.dataOverrides = dataOverrides;
    this.fnOverrides = fnOverrides;
    this.docs = new Documents(this);
    this.calls = new Calls(this);
  }

  private Evaluator unmocked;

  Evaluator unmocked() {
    if (fnOverrides.isEmpty()) {
      return this;
    }
    if (unmocked == null) {
      unmocked = new Evaluator(ctx, input, dataOverrides, Map.of());
    }
    return unmocked;
  }

  // ------------------------------------------------------------------ bodies and expressions

  boolean body(Ir.Body b, Value[] f, K k) {
    return body(b.exprs(), 0, f, k);
  }

  private boolean body(Ir.Expr[] exprs, int i, Value[] f, K k) {
    if ((++ctx.steps & 1023) == 0
        && ctx.deadlineNanos != 0
        && ctx.nanoClock.getAsLong() > ctx.deadlineNanos) {
      throw new RegoException(
          "eval_cancel_error",
          "caller cancelled query execution",
          exprs.length == 0 ? null : exprs[Math.min(i, exprs.length - 1)].loc());
    }
    if (i == exprs.length) {
      return k.run();
    }
    return expr(exprs[i], f, () -> body(exprs, i + 1, f, k));
  }

  boolean expr(Ir.Expr e, Value[] f, K k) {
    if (e.withs().length > 0) {
      Evaluator inner = withScope(e.withs(), f, e);
      if (inner == null) {
        return false;
      }
      return inner.exprNoWith(e, f, k);
    }
    return exprNoWith(e, f, k);
  }

  private boolean exprNoWith(Ir.Expr e, Value[] f, K k) {
    if (e.negated()) {
      boolean found = positive(e, f, () -> true);
      if (ctx.tracer != null && found) {
        ctx.tracer.fail(e.loc(), "not");
      }
      return !found && k.run();
    }
    if (ctx.tracer != null) {
      ctx.tracer.enter(e.loc(), "eval");
      boolean[] any = {false};
      boolean r =
          positive(
              e,
              f,
              () -> {
                any[0] = true;
                return k.run();
              });
      if (!any[0]) {
        ctx.tracer.fail(e.loc(), "fail");
      }
      return r;
    }
    return positive(e, f, k);
  }

  private boolean positive(Ir.Expr e, Value[] f, K k) {
    return switch (e.kind()) {
      case Ir.TermK t -> term(t.term(), f, v -> v != BooleanValue.FALSE && k.run());
      case Ir.UnifyK u -> unify(u.a(), u.b(), f, k);
      case Ir.NoopK n -> k.run();
      case Ir.NotBodyK nb -> body(nb.body(), f, () -> true);
      case Ir.EveryK ev -> every(ev, f) && k.run();
    };
  }

  private boolean every(Ir.EveryK ev, Value[] f) {
    boolean[] ok = {false};
    term(
        ev.domain(),
        f,
        d -> {
          if (!(d instanceof ObjectValue || d instanceof ArrayValue || d instanceof SetValue)) {
            return true;
          }
          ok[0] = true;
          forEachEntry(
              d,
              (key, val) -> {
                K check = () -> body(ev.body(), f, () -> true);
                boolean found =
                    ev.key() == null
                        ? pattern(ev.value(), val, f, check)
                        : pattern(ev.key(), key, f, () -> pattern(ev.value(), val, f, check));
                if (!found) {
                  ok[0] = false;
                  return true;
                }
                return false;
              });
          return true;
        });
    return ok[0];
  }

  interface EntryVisitor {
    boolean visit(Value key, Value value);
  }

  /** Visits the entries of a collection (object: key/value, array: index/element, set: m/m). */
  static boolean forEachEntry(Value coll, EntryVisitor v) {
    switch (coll) {
      case ObjectValue o -> {
        for (Map.Entry<Value, Value> e : o.entries().entrySet()) {
          if (v.visit(e.getKey(), e.getValue())) {
            return true;
          }
        }
      }
      case ArrayValue a -> {
        for (int i = 0; i < a.size(); i++) {
          if (v.visit(NumberValue.of(i), a.get(i))) {
            return true;
          }
        }
      }
      case SetValue s -> {
        for (Value m : s.elements()) {
          if (v.visit(m, m)) {
            return true;
          }
        }
      }
      default -> {}
    }
    return false;
  }

  // ------------------------------------------------------------------ with

  private Evaluator withScope(Ir.With[] withs, Value[] f, Ir.Expr e) {
    Value newInput = input;
    List<Override> overrides = new ArrayList<>(dataOverrides);
    Map<String, Object> fns = new HashMap<>(fnOverrides);
    for (Ir.With w : withs) {
      switch (w) {
        case Ir.WithInput wi -> {
          Value v = first(wi.value(), f);
          if (v == null) {
            return null;
          }
          newInput = wi.path().length == 0 ? v : upsert(newInput, wi.path(), 0, v);
        }
        case Ir.WithData wd -> {
          Value v = first(wd.value(), f);
          if (v == null) {
            return null;
          }
          overrides.add(new Override(wd.path(), v));
        }
        case Ir.WithFunction wf -> {
          if (wf.byFn() != null) {
            fns.put(wf.fn(), resolveOverride(wf.byFn()));
          } else {
            Value v = first(wf.value(), f);
            if (v == null) {
              return null;
            }
            fns.put(wf.fn(), v);
          }
        }
      }
    }
    return new Evaluator(ctx, newInput, List.copyOf(overrides), fns);
  }

  private String resolveOverride(String fn) {
    Object o = fnOverrides.get(fn);
    return o instanceof String s ? s : fn;
  }

  static Value upsert(Value base, String[] path, int i, Value v) {
    if (i == path.length) {
      return v;
    }
    HashMap<Value, Value> m = new HashMap<>();
    if (base instanceof ObjectValue o) {
      m.putAll(o.unordered());
    }
    StringValue key = StringValue.of(path[i]);
    m.put(key, upsert(m.get(key), path, i + 1, v));
    return ObjectValue.wrap(m);
  }

  /** The first value of a term, or null when undefined. */
  Value first(Ir.Node n, Value[] f) {
    Value[] out = new Value[1];
    term(
        n,
        f,
        v -> {
          out[0] = v;
          return true;
        });
    return out[0];
  }

  // ------------------------------------------------------------------ terms

  boolean term(Ir.Node n, Value[] f, VK k) {
    switch (n) {
      case Ir.Const c -> {
        return k.accept(c.value());
      }
      case Ir.Local l -> {
        Value v = f[l.slot()];
        return v != null && k.accept(v);
      }
      case Ir.RefN r -> {
        return ref(r, f, k);
      }
      case Ir.Call c -> {
        return calls.call(c, f, k);
      }
      case Ir.InputRoot ir -> {
        return input != null && k.accept(input);
      }
      case Ir.DataRoot dr -> {
        Value v = docs.nodeValue(ctx.policy.root());
        return v != null && k.accept(v);
      }
      case Ir.ArrayN a -> {
        Value[] acc = new Value[a.items().length];
        return items(a.items(), 0, acc, f, () -> k.accept(ArrayValue.wrap(acc.clone())));
      }
      case Ir.SetN s -> {
        Value[] acc = new Value[s.items().length];
        return items(s.items(), 0, acc, f, () -> k.accept(SetValue.of(acc)));
      }
      case Ir.ObjectN o -> {
        Value[] ks = new Value[o.keys().length];
        Value[] vs = new Value[o.values().length];
        return items(
            o.keys(),
            0,
            ks,
            f,
            () ->
                items(
                    o.values(),
                    0,
                    vs,
                    f,
                    () -> {
                      HashMap<Value, Value> m = new HashMap<>();
                      for (int i = 0; i < ks.length; i++) {
                        m.put(ks[i], vs[i]);
                      }
                      return k.accept(ObjectValue.wrap(m));
                    }));
      }
      case Ir.ArrayCompr c -> {
        List<Value> out = new ArrayList<>();
        body(c.body(), f, () -> term(c.head(), f, v -> out.add(v) && false));
        return k.accept(ArrayValue.of(out));
      }
      case Ir.SetCompr c -> {
        HashSet<Value> out = new HashSet<>();
        body(c.body(), f, () -> term(c.head(), f, v -> out.add(v) && false));
        return k.accept(SetValue.wrap(out));
      }
      case Ir.ObjectCompr c -> {
        HashMap<Value, Value> out = new HashMap<>();
        body(
            c.body(),
            f,
            () ->
                term(
                    c.key(),
                    f,
                    key ->
                        term(
                            c.value(),
                            f,
                            val -> {
                              Value prev = out.put(key, val);
                              if (prev != null && !prev.equals(val)) {
                                throw new RegoException(
                                    "eval_conflict_error", "object keys must be unique", null);
                              }
                              return false;
                            })));
        return k.accept(ObjectValue.wrap(out));
      }
      case Ir.Template t -> {
        return template(t, f, k);
      }
    }
  }

  boolean items(Ir.Node[] items, int i, Value[] acc, Value[] f, K k) {
    if (i == items.length) {
      return k.run();
    }
    return term(
        items[i],
        f,
        v -> {
          acc[i] = v;
          return items(items, i + 1, acc, f, k);
        });
  }

  private boolean template(Ir.Template t, Value[] f, VK k) {
    StringBuilder sb = new StringBuilder();
    for (Object p : t.parts()) {
      if (p instanceof String s) {
        sb.append(s);
        continue;
      }
      List<Value> vals = new ArrayList<>();
      if (p instanceof Ir.ArrayCompr ac
          && ac.head() instanceof Ir.Local hl
          && hl.name().startsWith("$tpl")) {
        body(ac.body(), f, () -> term(ac.head(), f, v -> vals.add(v) && false));
      } else {
        term((Ir.Node) p, f, v -> vals.add(v) && false);
      }
      if (vals.isEmpty()) {
        sb.append("<undefined>");
      } else if (vals.size() > 1 && new HashSet<>(vals).size() > 1) {
        throw new RegoException(
            "eval_conflict_error",
            "template expression must not produce multiple outputs",
            t.loc());
      } else if (vals.get(0) instanceof StringValue s) {
        sb.append(s.value());
      } else {
        sb.append(vals.get(0).toRego());
      }
    }
    return k.accept(StringValue.of(sb.toString()));
  }

  // ------------------------------------------------------------------ references

  private boolean ref(Ir.RefN r, Value[] f, VK k) {
    Ir.Node head = r.head();
    switch (head) {
      case Ir.DataRoot d -> {
        return docs.walk(ctx.policy.root(), r.path(), 0, f, k);
      }
      case Ir.InputRoot in -> {
        return input != null && path(input, r.path(), 0, f, k);
      }
      case Ir.Local l -> {
        Value v = f[l.slot()];
        return v != null && path(v, r.path(), 0, f, k);
      }
      default -> {
        return term(head, f, v -> path(v, r.path(), 0, f, k));
      }
    }
  }

  /** Walks the remaining path operands over a plain value. */
  boolean path(Value v, Ir.Node[] path, int i, Value[] f, VK k) {
    if (i == path.length) {
      return k.accept(v);
    }
    Ir.Node p = path[i];
    if (p instanceof Ir.Const c) {
      Value next = lookup(v, c.value());
      return next != null && path(next, path, i + 1, f, k);
    }
    if (p instanceof Ir.Local l) {
      Value key = f[l.slot()];
      if (key != null) {
        Value next = lookup(v, key);
        return next != null && path(next, path, i + 1, f, k);
      }
      int slot = l.slot();
      return forEachEntry(
          v,
          (key2, val) -> {
            f[slot] = key2;
            try {
              return path(val, path, i + 1, f, k);
            } finally {
              f[slot] = null;
            }
          });
    }
    if (Groundness.evaluable(p, f)) {
      return term(
          p,
          f,
          key -> {
            Value next = lookup(v, key);
            return next != null && path(next, path, i + 1, f, k);
          });
    }
    return forEachEntry(v, (key, val) -> pattern(p, key, f, () -> path(val, path, i + 1, f, k)));
  }

  static Value lookup(Value coll, Value key) {
    switch (coll) {
      case ObjectValue o -> {
        return o.get(key);
      }
      case ArrayValue a -> {
        if (key instanceof NumberValue n && n.isLong()) {
          long idx = n.longValueExact();
          if (idx >= 0 && idx < a.size()) {
            return a.get((int) idx);
          }
        }
        return null;
      }
      case SetValue s -> {
        return s.contains(key) ? key : null;
      }
      default -> {
        return null;
      }
    }
  }

  // ------------------------------------------------------------------ unification

  boolean unify(Ir.Node a, Ir.Node b, Value[] f, K k) {
    if (Groundness.evaluable(b, f) && Groundness.patternEvaluable(a, f)) {
      return term(b, f, v -> pattern(a, v, f, k));
    }
    if (Groundness.evaluable(a, f) && Groundness.patternEvaluable(b, f)) {
      return term(a, f, v -> pattern(b, v, f, k));
    }
    if (a instanceof Ir.ArrayN x && b instanceof Ir.ArrayN y) {
      if (x.items().length != y.items().length) {
        return false;
      }
      return pairs(x.items(), y.items(), new boolean[x.items().length], f, k);
    }
    if (a instanceof Ir.ArrayN x && b instanceof Ir.Const c) {
      return pattern(x, c.value(), f, k);
    }
    if (a instanceof Ir.ObjectN x && b instanceof Ir.ObjectN y) {
      if (x.keys().length != y.keys().length) {
        return false;
      }
      Ir.Node[] ys = new Ir.Node[x.keys().length];
      for (int i = 0; i < x.keys().length; i++) {
        Value kx = first(x.keys()[i], f);
        for (int j = 0; j < y.keys().length; j++) {
          Value ky = first(y.keys()[j], f);
          if (kx != null && kx.equals(ky)) {
            ys[i] = y.values()[j];
          }
        }
        if (ys[i] == null) {
          return false;
        }
      }
      return pairs(x.values(), ys, new boolean[ys.length], f, k);
    }
    throw new RegoException("rego_unsafe_var_error", "unification of non-ground terms", null);
  }

  /** Unifies pairs in an order where each step can run. */
  private boolean pairs(Ir.Node[] xs, Ir.Node[] ys, boolean[] done, Value[] f, K k) {
    for (int i = 0; i < xs.length; i++) {
      if (done[i]) {
        continue;
      }
      if ((Groundness.evaluable(ys[i], f) && Groundness.patternEvaluable(xs[i], f))
          || (Groundness.evaluable(xs[i], f) && Groundness.patternEvaluable(ys[i], f))
          || (xs[i] instanceof Ir.ArrayN && ys[i] instanceof Ir.ArrayN)
          || (xs[i] instanceof Ir.ObjectN && ys[i] instanceof Ir.ObjectN)) {
        int idx = i;
        done[idx] = true;
        try {
          return unify(xs[idx], ys[idx], f, () -> pairs(xs, ys, done, f, k));
        } finally {
          done[idx] = false;
        }
      }
    }
    for (boolean d : done) {
      if (!d) {
        throw new RegoException("rego_unsafe_var_error", "unification of non-ground terms", null);
      }
    }
    return k.run();
  }

  /** Binds the variables of a pattern to the matching parts of a value. */
  boolean pattern(Ir.Node p, Value v, Value[] f, K k) {
    switch (p) {
      case Ir.Local l -> {
        Value cur = f[l.slot()];
        if (cur != null) {
          return cur.equals(v) && k.run();
        }
        f[l.slot()] = v;
        try {
          return k.run();
        } finally {
          f[l.slot()] = null;
        }
      }
      case Ir.Const c -> {
        return c.value().equals(v) && k.run();
      }
      case Ir.ArrayN a -> {
        if (!(v instanceof ArrayValue av) || av.size() != a.items().length) {
          return false;
        }
        return patternSeq(a.items(), av, 0, f, k);
      }
      case Ir.ObjectN o -> {
        if (!(v instanceof ObjectValue ov) || ov.size() != o.keys().length) {
          return false;
        }
        Value[] vals = new Value[o.keys().length];
        for (int i = 0; i < vals.length; i++) {
          Value key = first(o.keys()[i], f);
          vals[i] = key == null ? null : ov.get(key);
          if (vals[i] == null) {
            return false;
          }
        }
        return patternSeq(o.values(), ArrayValue.wrap(vals), 0, f, k);
      }
      default -> {
        return term(p, f, pv -> pv.equals(v) && k.run());
      }
    }
  }

  private boolean patternSeq(Ir.Node[] ps, ArrayValue vs, int i, Value[] f, K k) {
    if (i == ps.length) {
      return k.run();
    }
    return pattern(ps[i], vs.get(i), f, () -> patternSeq(ps, vs, i + 1, f, k));
  }
}
