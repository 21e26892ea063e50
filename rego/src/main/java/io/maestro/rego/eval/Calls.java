package io.maestro.rego.eval;

import io.maestro.rego.RegoException;
import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.StandardLibrary;
import io.maestro.rego.compiler.DocNode;
import io.maestro.rego.compiler.Ir;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Calls: operand evaluation (in dependency order when one operand binds another), user functions
 * and builtins with `with` mocks, and the builtins the evaluator runs itself (print, trace, walk).
 */
final class Calls {
  private final Evaluator ev;

  Calls(Evaluator ev) {
    this.ev = ev;
  }

  boolean call(Ir.Call c, Value[] f, Evaluator.VK k) {
    int n = c.arity() < 0 ? c.args().length : Math.min(c.arity(), c.args().length);
    if (c.fn().equals("trace") && !ev.fnOverrides.containsKey("trace")) {
      return ev.term(
          c.args()[0],
          f,
          v -> {
            if (!(v instanceof StringValue s)) {
              return false;
            }
            if (ev.ctx.tracer != null) {
              ev.ctx.tracer.note(c.loc(), s.value());
            }
            return c.args().length > 1
                ? ev.pattern(c.args()[1], BooleanValue.TRUE, f, () -> k.accept(BooleanValue.TRUE))
                : k.accept(BooleanValue.TRUE);
          });
    }
    if (c.fn().equals("print")) {
      return print(c, f) && false || k.accept(BooleanValue.TRUE);
    }
    Value[] args = new Value[n];
    Ir.Node[] operands = n == c.args().length ? c.args() : Arrays.copyOf(c.args(), n);
    Evaluator.K invoke =
        () -> {
          if (c.fn().equals("walk") && !ev.fnOverrides.containsKey("walk")) {
            if (c.args().length > n) {
              return walk(args[0], c.args()[n], f, k);
            }
            // walk(x) as a term enumerates its [path, value] pairs.
            Ir.Local tmp = new Ir.Local(f.length, "$walk");
            Value[] g = Arrays.copyOf(f, f.length + 1);
            return walk(args[0], tmp, g, v -> k.accept(g[f.length]));
          }
          Value result = invoke(c.fn(), c, args);
          if (result == null) {
            return false;
          }
          if (c.args().length > n) {
            return ev.pattern(c.args()[n], result, f, () -> k.accept(BooleanValue.TRUE));
          }
          return k.accept(result);
        };
    for (Ir.Node op : operands) {
      if (op instanceof Ir.Local l && f[l.slot()] == null) {
        // An operand bound by another operand's ref (f(x, a[x])): evaluate in dependency order.
        return anyOrder(operands, new boolean[n], args, f, invoke);
      }
    }
    return ev.items(operands, 0, args, f, invoke);
  }

  private boolean anyOrder(Ir.Node[] items, boolean[] done, Value[] acc, Value[] f, Evaluator.K k) {
    for (int i = 0; i < items.length; i++) {
      if (!done[i] && Groundness.evaluable(items[i], f)) {
        int idx = i;
        done[idx] = true;
        try {
          return ev.term(
              items[idx],
              f,
              v -> {
                acc[idx] = v;
                return anyOrder(items, done, acc, f, k);
              });
        } finally {
          done[idx] = false;
        }
      }
    }
    for (boolean d : done) {
      if (!d) {
        return false;
      }
    }
    return k.run();
  }

  private boolean walk(Value root, Ir.Node out, Value[] f, Evaluator.VK k) {
    List<Value> pathStack = new ArrayList<>();
    return walkRec(root, pathStack, out, f, k);
  }

  private boolean walkRec(Value v, List<Value> pathStack, Ir.Node out, Value[] f, Evaluator.VK k) {
    Value pair = ArrayValue.of(ArrayValue.of(pathStack), v);
    if (ev.pattern(out, pair, f, () -> k.accept(BooleanValue.TRUE))) {
      return true;
    }
    return Evaluator.forEachEntry(
        v,
        (key, val) -> {
          pathStack.add(key);
          try {
            return walkRec(val, pathStack, out, f, k);
          } finally {
            pathStack.remove(pathStack.size() - 1);
          }
        });
  }

  private boolean print(Ir.Call c, Value[] f) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < c.args().length; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      List<Value> vals = new ArrayList<>();
      ev.term(c.args()[i], f, v -> vals.add(v) && false);
      if (vals.isEmpty()) {
        sb.append("<undefined>");
      } else {
        Value v = vals.get(0);
        sb.append(v instanceof StringValue s ? s.value() : v.toRego());
      }
    }
    ev.ctx.print(sb.toString());
    return false;
  }

  /** Calls a function or builtin by name on evaluated arguments; null when undefined. */
  Value invoke(String fn, Ir.Call site, Value[] args) {
    Object mock = ev.fnOverrides.get(fn);
    if (mock instanceof Value v) {
      return v;
    }
    DocNode node;
    if (mock instanceof String other) {
      fn = other;
      node = ev.ctx.policy.function(fn);
      if (node != null) {
        // A replacement function runs unmocked, so it may call the original it replaces.
        return ev.unmocked().docs.callFunction(node, args, site);
      }
    }
    node = ev.ctx.policy.function(fn);
    if (node != null) {
      return ev.docs.callFunction(node, args, site);
    }
    StandardLibrary.Entry b = ev.ctx.builtins.get(fn);
    if (b == null) {
      throw new RegoException("rego_type_error", "undefined function " + fn, site.loc());
    }
    try {
      return b.fn().call(ev.ctx, Arrays.asList(args));
    } catch (BuiltinException e) {
      if (ev.ctx.strict) {
        throw new RegoException(e.code(), e.getMessage(), site.loc());
      }
      return null;
    } catch (ArithmeticException | IllegalArgumentException | IndexOutOfBoundsException e) {
      if (ev.ctx.strict) {
        throw new RegoException("eval_builtin_error", fn + ": " + e.getMessage(), site.loc());
      }
      return null;
    }
  }
}
