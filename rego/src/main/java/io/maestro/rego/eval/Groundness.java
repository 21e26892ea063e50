package io.maestro.rego.eval;

import io.maestro.rego.compiler.Ir;
import io.maestro.rego.value.Value;

/** Whether compiled terms can be evaluated under the current bindings (unification planning). */
final class Groundness {
  private Groundness() {}

  /** True when the node can be evaluated with the current bindings (ref operands may iterate). */
  static boolean evaluable(Ir.Node n, Value[] f) {
    switch (n) {
      case Ir.Local l -> {
        return f[l.slot()] != null;
      }
      case Ir.RefN r -> {
        if (!evaluable(r.head(), f)) {
          return false;
        }
        for (Ir.Node p : r.path()) {
          if (!(p instanceof Ir.Local) && !patternEvaluable(p, f)) {
            return false;
          }
        }
        return true;
      }
      case Ir.ArrayN a -> {
        return all(a.items(), f);
      }
      case Ir.SetN s -> {
        return all(s.items(), f);
      }
      case Ir.ObjectN o -> {
        return all(o.keys(), f) && all(o.values(), f);
      }
      case Ir.Call c -> {
        int n2 = c.arity() < 0 ? c.args().length : Math.min(c.arity(), c.args().length);
        for (int i = 0; i < n2; i++) {
          if (!evaluable(c.args()[i], f)) {
            return false;
          }
        }
        return true;
      }
      case Ir.Template t -> {
        for (Object p : t.parts()) {
          if (p instanceof Ir.Node x && !evaluable(x, f)) {
            return false;
          }
        }
        return true;
      }
      default -> {
        return true;
      }
    }
  }

  static boolean patternEvaluable(Ir.Node p, Value[] f) {
    switch (p) {
      case Ir.Local l -> {
        return true;
      }
      case Ir.ArrayN a -> {
        for (Ir.Node x : a.items()) {
          if (!patternEvaluable(x, f)) {
            return false;
          }
        }
        return true;
      }
      case Ir.ObjectN o -> {
        for (Ir.Node x : o.values()) {
          if (!patternEvaluable(x, f)) {
            return false;
          }
        }
        return all(o.keys(), f);
      }
      default -> {
        return evaluable(p, f);
      }
    }
  }

  private static boolean all(Ir.Node[] ns, Value[] f) {
    for (Ir.Node x : ns) {
      if (!evaluable(x, f)) {
        return false;
      }
    }
    return true;
  }
}
