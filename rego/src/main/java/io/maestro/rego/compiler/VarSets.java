package io.maestro.rego.compiler;

import io.maestro.rego.ast.Expr;
import io.maestro.rego.ast.Term;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Variable analysis over parsed terms, for safety and reordering. Only local variables count
 * (globals such as rule names, imports, input and data are filtered by {@code isLocal}).
 */
final class VarSets {
  private final Predicate<String> isLocal;
  private final ArityLookup arity;

  interface ArityLookup {
    /** Declared arity of a call's operator, -1 if variadic or unknown. */
    int arityOf(Term.Call call);

    /** Whether a dotted name is a function or builtin (and not a declared local). */
    boolean isFunction(String dotted);
  }

  VarSets(Predicate<String> isLocal, ArityLookup arity) {
    this.isLocal = isLocal;
    this.arity = arity;
  }

  /** Variables that must be bound before the term can be evaluated. */
  Set<String> in(Term t) {
    Set<String> out = new LinkedHashSet<>();
    in(t, out);
    return out;
  }

  void in(Term t, Set<String> out) {
    switch (t) {
      case Term.Var v -> {
        if (isLocal.test(v.name())) {
          out.add(v.name());
        }
      }
      case Term.Scalar s -> {}
      case Term.Ref r -> {
        in(r.head(), out);
        for (Term p : r.path()) {
          pathIn(p, out);
        }
      }
      case Term.ArrayTerm a -> a.items().forEach(x -> in(x, out));
      case Term.SetTerm s -> s.items().forEach(x -> in(x, out));
      case Term.ObjectTerm o -> {
        o.keys().forEach(x -> in(x, out));
        o.values().forEach(x -> in(x, out));
      }
      case Term.Call c -> {
        int n = arity.arityOf(c);
        for (int k = 0; k < c.args().size(); k++) {
          if (n >= 0 && k >= n) {
            patternIn(c.args().get(k), out);
          } else {
            in(c.args().get(k), out);
          }
        }
      }
      case Term.Template tp -> {
        for (Object o : tp.parts()) {
          if (o instanceof Term x) {
            in(x, out);
          }
        }
      }
      case Term.ArrayCompr c -> captured(c.head(), c.body(), out);
      case Term.SetCompr c -> captured(c.head(), c.body(), out);
      case Term.ObjectCompr c -> {
        captured(c.key(), c.body(), out);
        captured(c.value(), List.of(), out);
      }
    }
  }

  /** Ref path operands: bare variables and composite patterns are outputs, not inputs. */
  private void pathIn(Term p, Set<String> out) {
    switch (p) {
      case Term.Var v -> {}
      case Term.ArrayTerm a -> a.items().forEach(x -> pathIn(x, out));
      case Term.ObjectTerm o -> {
        o.keys().forEach(x -> in(x, out));
        o.values().forEach(x -> pathIn(x, out));
      }
      default -> in(p, out);
    }
  }

  /** Inputs of a pattern: the non-variable parts that must be evaluated. */
  void patternIn(Term p, Set<String> out) {
    switch (p) {
      case Term.Var v -> {}
      case Term.ArrayTerm a -> a.items().forEach(x -> patternIn(x, out));
      case Term.ObjectTerm o -> {
        o.keys().forEach(x -> in(x, out));
        o.values().forEach(x -> patternIn(x, out));
      }
      default -> in(p, out);
    }
  }

  /**
   * Variables a closure (comprehension) uses from outside: every local variable mentioned in it;
   * the caller intersects with the variables its own scope owns.
   */
  private void captured(Term head, List<Expr> body, Set<String> out) {
    Set<String> all = new LinkedHashSet<>();
    all(head, all);
    for (Expr e : body) {
      all(e, all);
    }
    // Names the closure declares itself (:=, some, some … in) are its own, not captured.
    for (Expr e : body) {
      switch (e.kind()) {
        case Expr.Assign a -> declaredNames(a.lhs(), all);
        case Expr.SomeDecl sd -> sd.vars().forEach(v -> all.remove(v.name()));
        case Expr.SomeIn si -> {
          if (si.key() != null) {
            declaredNames(si.key(), all);
          }
          declaredNames(si.value(), all);
        }
        default -> {}
      }
    }
    for (String s : all) {
      out.add("^" + s); // marked: needed only if owned by an enclosing scope
    }
  }

  private static void declaredNames(Term t, Set<String> out) {
    switch (t) {
      case Term.Var v -> out.remove(v.name());
      case Term.ArrayTerm a -> a.items().forEach(x -> declaredNames(x, out));
      case Term.ObjectTerm o -> o.values().forEach(x -> declaredNames(x, out));
      default -> {}
    }
  }

  /** Variables bound by evaluating the term: ref path variables and call outputs. */
  Set<String> outputs(Term t) {
    Set<String> out = new LinkedHashSet<>();
    outputs(t, out);
    return out;
  }

  void outputs(Term t, Set<String> out) {
    switch (t) {
      case Term.Ref r -> {
        outputs(r.head(), out);
        for (Term p : r.path()) {
          pathOut(p, out);
        }
      }
      case Term.ArrayTerm a -> a.items().forEach(x -> outputs(x, out));
      case Term.SetTerm s -> s.items().forEach(x -> outputs(x, out));
      case Term.ObjectTerm o -> {
        o.keys().forEach(x -> outputs(x, out));
        o.values().forEach(x -> outputs(x, out));
      }
      case Term.Call c -> {
        int n = arity.arityOf(c);
        for (int k = 0; k < c.args().size(); k++) {
          if (n >= 0 && k >= n) {
            pattern(c.args().get(k), out);
          } else {
            outputs(c.args().get(k), out);
          }
        }
      }
      case Term.Template tp -> {
        for (Object o : tp.parts()) {
          if (o instanceof Term x) {
            outputs(x, out);
          }
        }
      }
      default -> {}
    }
  }

  private void pathOut(Term p, Set<String> out) {
    switch (p) {
      case Term.Var v -> {
        if (isLocal.test(v.name())) {
          out.add(v.name());
        }
      }
      case Term.ArrayTerm a -> a.items().forEach(x -> pathOut(x, out));
      case Term.ObjectTerm o -> o.values().forEach(x -> pathOut(x, out));
      default -> outputs(p, out);
    }
  }

  /** Variables a pattern binds when unified with a value. */
  void pattern(Term p, Set<String> out) {
    switch (p) {
      case Term.Var v -> {
        if (isLocal.test(v.name())) {
          out.add(v.name());
        }
      }
      case Term.ArrayTerm a -> a.items().forEach(x -> pattern(x, out));
      case Term.ObjectTerm o -> o.values().forEach(x -> pattern(x, out));
      default -> outputs(p, out);
    }
  }

  /** Every local variable in a term, closures included. */
  void all(Term t, Set<String> out) {
    switch (t) {
      case Term.Var v -> {
        if (isLocal.test(v.name())) {
          out.add(v.name());
        }
      }
      case Term.Scalar s -> {}
      case Term.Ref r -> {
        all(r.head(), out);
        r.path().forEach(x -> all(x, out));
      }
      case Term.ArrayTerm a -> a.items().forEach(x -> all(x, out));
      case Term.SetTerm s -> s.items().forEach(x -> all(x, out));
      case Term.ObjectTerm o -> {
        o.keys().forEach(x -> all(x, out));
        o.values().forEach(x -> all(x, out));
      }
      case Term.Call c -> c.args().forEach(x -> all(x, out));
      case Term.Template tp -> {
        for (Object o : tp.parts()) {
          if (o instanceof Term x) {
            all(x, out);
          }
        }
      }
      case Term.ArrayCompr c -> {
        all(c.head(), out);
        c.body().forEach(e -> all(e, out));
      }
      case Term.SetCompr c -> {
        all(c.head(), out);
        c.body().forEach(e -> all(e, out));
      }
      case Term.ObjectCompr c -> {
        all(c.key(), out);
        all(c.value(), out);
        c.body().forEach(e -> all(e, out));
      }
    }
  }

  void all(Expr e, Set<String> out) {
    switch (e.kind()) {
      case Expr.TermExpr te -> all(te.term(), out);
      case Expr.Unify u -> {
        all(u.lhs(), out);
        all(u.rhs(), out);
      }
      case Expr.Assign a -> {
        all(a.lhs(), out);
        all(a.rhs(), out);
      }
      case Expr.SomeDecl s -> s.vars().forEach(v -> all(v, out));
      case Expr.SomeIn s -> {
        if (s.key() != null) {
          all(s.key(), out);
        }
        all(s.value(), out);
        all(s.collection(), out);
      }
      case Expr.Every ev -> {
        if (ev.key() != null) {
          all(ev.key(), out);
        }
        all(ev.value(), out);
        all(ev.domain(), out);
        ev.body().forEach(x -> all(x, out));
      }
      case Expr.NotBody nb -> nb.body().forEach(x -> all(x, out));
    }
    for (Expr.With w : e.withs()) {
      if (!(w.value() instanceof Term.Var || w.value() instanceof Term.Ref)) {
        all(w.value(), out);
      } else {
        withRef(w.value(), out);
      }
    }
  }

  /** A with value naming a function is not a variable; any other ref's variables count. */
  private void withRef(Term t, Set<String> out) {
    String d = Names.dotted(t);
    if (d != null && arity.isFunction(d)) {
      return;
    }
    shallow(t, out);
  }

  /** Local variables mentioned outside closures (the ones a body owns). */
  void topLevel(Expr e, Set<String> out) {
    switch (e.kind()) {
      case Expr.TermExpr te -> shallow(te.term(), out);
      case Expr.Unify u -> {
        shallow(u.lhs(), out);
        shallow(u.rhs(), out);
      }
      case Expr.Assign a -> {
        shallow(a.lhs(), out);
        shallow(a.rhs(), out);
      }
      case Expr.SomeDecl s -> s.vars().forEach(v -> shallow(v, out));
      case Expr.SomeIn s -> {
        if (s.key() != null) {
          shallow(s.key(), out);
        }
        shallow(s.value(), out);
        shallow(s.collection(), out);
      }
      case Expr.Every ev -> shallow(ev.domain(), out);
      case Expr.NotBody nb -> {}
    }
    for (Expr.With w : e.withs()) {
      if (!(w.value() instanceof Term.Var || w.value() instanceof Term.Ref)) {
        shallow(w.value(), out);
      } else {
        withRef(w.value(), out);
      }
    }
  }

  void shallow(Term t, Set<String> out) {
    switch (t) {
      case Term.Var v -> {
        if (isLocal.test(v.name())) {
          out.add(v.name());
        }
      }
      case Term.Ref r -> {
        shallow(r.head(), out);
        r.path().forEach(x -> shallow(x, out));
      }
      case Term.ArrayTerm a -> a.items().forEach(x -> shallow(x, out));
      case Term.SetTerm s -> s.items().forEach(x -> shallow(x, out));
      case Term.ObjectTerm o -> {
        o.keys().forEach(x -> shallow(x, out));
        o.values().forEach(x -> shallow(x, out));
      }
      case Term.Call c -> c.args().forEach(x -> shallow(x, out));
      case Term.Template tp -> {
        for (Object o : tp.parts()) {
          if (o instanceof Term x) {
            shallow(x, out);
          }
        }
      }
      default -> {}
    }
  }
}
