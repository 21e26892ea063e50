package io.maestro.rego.compiler;

import io.maestro.rego.RegoException;
import io.maestro.rego.ast.Expr;
import io.maestro.rego.ast.Location;
import io.maestro.rego.ast.Term;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Safety: orders a body so that every variable is bound before an expression needs it (OPA reorders
 * the same way), and reports the first variable no ordering can bind as unsafe.
 */
final class Safety {
  private final VarSets vs;
  private final Names names;

  Safety(VarSets vs, Names names) {
    this.vs = vs;
    this.names = names;
  }

  List<Expr> reorder(List<Expr> exprs, Lowerer.Scope scope, Set<String> bound) {
    List<Expr> pending = new ArrayList<>(exprs);
    List<Expr> order = new ArrayList<>(exprs.size());
    Set<String> b = new HashSet<>(bound);
    while (!pending.isEmpty()) {
      boolean progress = false;
      for (int k = 0; k < pending.size(); k++) {
        Set<String> outs = ready(pending.get(k), b, scope);
        if (outs != null) {
          b.addAll(outs);
          order.add(pending.remove(k));
          progress = true;
          break;
        }
      }
      if (!progress) {
        Expr e = pending.get(0);
        Set<String> needs = new LinkedHashSet<>();
        needsOf(e, scope, needs);
        for (Expr p : pending) {
          needsOf(p, scope, needs);
        }
        String bad = null;
        Location where = e.loc();
        for (Expr p : pending) {
          Set<String> n = new LinkedHashSet<>();
          needsOf(p, scope, n);
          for (String v : n) {
            if (!b.contains(v)) {
              bad = v;
              where = p.loc();
              break;
            }
          }
          if (bad != null) {
            break;
          }
        }
        throw new RegoException(
            "rego_unsafe_var_error",
            "var " + display(bad == null ? "?" : bad) + " is unsafe",
            where);
      }
    }
    bound.addAll(b);
    return order;
  }

  /** The name as the user wrote it: "_" for a wildcard, without a comprehension rename suffix. */
  static String display(String v) {
    if (v.startsWith("$_")) {
      return "_";
    }
    int renamed = v.indexOf("$c");
    return renamed > 0 ? v.substring(0, renamed) : v;
  }

  /** All variables an expression could need (for error reporting). */
  private void needsOf(Expr e, Lowerer.Scope scope, Set<String> out) {
    Set<String> all = new LinkedHashSet<>();
    vs.all(e, all);
    for (String v : all) {
      if (scope.lookup(v) != null) {
        out.add(v);
      }
    }
  }

  private Set<String> resolve(Set<String> in, Lowerer.Scope scope) {
    Set<String> out = new HashSet<>();
    for (String n : in) {
      if (n.startsWith("^")) {
        String v = n.substring(1);
        if (scope.lookup(v) != null) {
          out.add(v);
        }
      } else {
        out.add(n);
      }
    }
    return out;
  }

  Set<String> in(Term t, Lowerer.Scope scope) {
    return resolve(vs.in(t), scope);
  }

  private boolean patternReady(Term p, Set<String> b, Lowerer.Scope scope) {
    Set<String> n = new LinkedHashSet<>();
    vs.patternIn(p, n);
    return b.containsAll(resolve(n, scope));
  }

  /** The variables an expression binds if it can run with {@code b} bound, else null. */
  private Set<String> ready(Expr e, Set<String> b, Lowerer.Scope scope) {
    Set<String> needs = new HashSet<>();
    for (Expr.With w : e.withs()) {
      String fnName = Names.dotted(w.value());
      if (fnName != null
          && !(w.value() instanceof Term.Var v && scope.lookup(v.name()) != null)
          && names.resolveFn(fnName, null) != null) {
        continue;
      }
      needs.addAll(in(w.value(), scope));
    }
    Set<String> outs = new HashSet<>();
    if (e.negated() && !(e.kind() instanceof Expr.NotBody)) {
      Set<String> all = new LinkedHashSet<>();
      vs.all(e, all);
      for (String v : all) {
        if (!v.startsWith("$") && scope.lookup(v) != null) {
          needs.add(v);
        }
      }
      return b.containsAll(needs) ? outs : null;
    }
    switch (e.kind()) {
      case Expr.TermExpr te -> {
        vs.outputs(te.term(), outs);
        Set<String> n = in(te.term(), scope);
        n.removeAll(outs);
        needs.addAll(n);
      }
      case Expr.Unify u -> {
        Set<String> r = unifyReady(u.lhs(), u.rhs(), b, scope);
        if (r == null) {
          return null;
        }
        outs.addAll(r);
      }
      case Expr.Assign a -> {
        Set<String> r = unifyReady(a.lhs(), a.rhs(), b, scope);
        if (r == null) {
          return null;
        }
        outs.addAll(r);
      }
      case Expr.SomeDecl s -> {}
      case Expr.SomeIn s -> {
        needs.addAll(in(s.collection(), scope));
        Set<String> pi = new LinkedHashSet<>();
        if (s.key() != null) {
          vs.patternIn(s.key(), pi);
          vs.pattern(s.key(), outs);
        }
        vs.patternIn(s.value(), pi);
        needs.addAll(resolve(pi, scope));
        vs.pattern(s.value(), outs);
        vs.outputs(s.collection(), outs);
      }
      case Expr.Every ev -> {
        needs.addAll(in(ev.domain(), scope));
        Set<String> inner = new LinkedHashSet<>();
        ev.body().forEach(x -> vs.all(x, inner));
        Set<String> own = new HashSet<>();
        if (ev.key() != null) {
          Lowerer.allVarNames(ev.key(), own);
        }
        Lowerer.allVarNames(ev.value(), own);
        for (String v : inner) {
          if (!own.contains(v) && scope.lookup(v) != null) {
            needs.add(v);
          }
        }
      }
      case Expr.NotBody nb -> {
        Set<String> inner = new LinkedHashSet<>();
        nb.body().forEach(x -> vs.all(x, inner));
        for (String v : inner) {
          if (!v.startsWith("$") && scope.lookup(v) != null) {
            needs.add(v);
          }
        }
      }
    }
    return b.containsAll(needs) ? outs : null;
  }

  private Set<String> unifyReady(Term a, Term c, Set<String> b, Lowerer.Scope scope) {
    if (b.containsAll(in(c, scope)) && patternReady(a, b, scope)) {
      Set<String> outs = new HashSet<>();
      vs.pattern(a, outs);
      vs.outputs(c, outs);
      return outs;
    }
    if (b.containsAll(in(a, scope)) && patternReady(c, b, scope)) {
      Set<String> outs = new HashSet<>();
      vs.pattern(c, outs);
      vs.outputs(a, outs);
      return outs;
    }
    List<Term[]> pairs = new ArrayList<>();
    if (a instanceof Term.ArrayTerm x
        && c instanceof Term.ArrayTerm y
        && x.items().size() == y.items().size()) {
      for (int k = 0; k < x.items().size(); k++) {
        pairs.add(new Term[] {x.items().get(k), y.items().get(k)});
      }
    } else if (a instanceof Term.ObjectTerm x
        && c instanceof Term.ObjectTerm y
        && x.keys().size() == y.keys().size()) {
      for (int k = 0; k < x.keys().size(); k++) {
        int j = y.keys().indexOf(x.keys().get(k));
        if (j < 0) {
          for (int m = 0; m < y.keys().size(); m++) {
            if (sameScalar(x.keys().get(k), y.keys().get(m))) {
              j = m;
            }
          }
        }
        if (j < 0) {
          return null;
        }
        pairs.add(new Term[] {x.values().get(k), y.values().get(j)});
      }
    } else {
      return null;
    }
    Set<String> bb = new HashSet<>(b);
    boolean progress = true;
    while (!pairs.isEmpty() && progress) {
      progress = false;
      for (int k = 0; k < pairs.size(); k++) {
        Set<String> r = unifyReady(pairs.get(k)[0], pairs.get(k)[1], bb, scope);
        if (r != null) {
          bb.addAll(r);
          pairs.remove(k);
          progress = true;
          break;
        }
      }
    }
    if (!pairs.isEmpty()) {
      return null;
    }
    bb.removeAll(b);
    return bb;
  }

  private static boolean sameScalar(Term a, Term b) {
    return a instanceof Term.Scalar x && b instanceof Term.Scalar y && x.value().equals(y.value());
  }
}
