package io.maestro.rego.compiler;

import io.maestro.rego.ast.Expr;
import io.maestro.rego.ast.Term;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Variable analysis over parsed terms, for safety and reordering. Only local variables count
 * (globals such as rule names, imports, input and data are filtered by {@code isLocal}).
 *
 * <p>The analyses walk terms the same way and differ only in what a variable, a pattern and a
 * closure mean to them, so the walk itself lives in {@link #subterms} and {@link #patternParts}.
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

  /**
   * Visits the direct subterms of a composite term. Ref path operands and call arguments past the
   * operator's arity are patterns: evaluating the term binds their variables instead of reading
   * them, so they go to {@code pattern}; every other subterm goes to {@code operand}. Variables,
   * scalars and closures have no subterms here, because each analysis treats them its own way.
   */
  private void subterms(Term t, Consumer<Term> operand, Consumer<Term> pattern) {
    switch (t) {
      case Term.Ref r -> {
        operand.accept(r.head());
        r.path().forEach(pattern);
      }
      case Term.ArrayTerm a -> a.items().forEach(operand);
      case Term.SetTerm s -> s.items().forEach(operand);
      case Term.ObjectTerm o -> {
        o.keys().forEach(operand);
        o.values().forEach(operand);
      }
      case Term.Call c -> {
        int n = arity.arityOf(c);
        for (int k = 0; k < c.args().size(); k++) {
          (n >= 0 && k >= n ? pattern : operand).accept(c.args().get(k));
        }
      }
      case Term.Template tp -> {
        for (Object o : tp.parts()) {
          if (o instanceof Term x) {
            operand.accept(x);
          }
        }
      }
      case Term.Var v -> {}
      case Term.Scalar s -> {}
      case Term.ArrayCompr c -> {}
      case Term.SetCompr c -> {}
      case Term.ObjectCompr c -> {}
    }
  }

  /**
   * Walks a pattern as unification does: array items and object values are patterns again,
   * variables bind ({@code atVar}), object keys must be known ({@code atKey}) and any other term is
   * evaluated ({@code atOther}).
   */
  private static void patternParts(
      Term p, Consumer<Term.Var> atVar, Consumer<Term> atKey, Consumer<Term> atOther) {
    switch (p) {
      case Term.Var v -> atVar.accept(v);
      case Term.ArrayTerm a -> a.items().forEach(x -> patternParts(x, atVar, atKey, atOther));
      case Term.ObjectTerm o -> {
        o.keys().forEach(atKey);
        o.values().forEach(x -> patternParts(x, atVar, atKey, atOther));
      }
      default -> atOther.accept(p);
    }
  }

  private void addLocal(Term.Var v, Set<String> out) {
    if (isLocal.test(v.name())) {
      out.add(v.name());
    }
  }

  /** Variables that must be bound before the term can be evaluated. */
  Set<String> in(Term t) {
    Set<String> out = new LinkedHashSet<>();
    in(t, out);
    return out;
  }

  void in(Term t, Set<String> out) {
    switch (t) {
      case Term.Var v -> addLocal(v, out);
      case Term.ArrayCompr c -> captured(c.head(), c.body(), out);
      case Term.SetCompr c -> captured(c.head(), c.body(), out);
      case Term.ObjectCompr c -> {
        captured(c.key(), c.body(), out);
        captured(c.value(), List.of(), out);
      }
      default -> subterms(t, x -> in(x, out), p -> patternIn(p, out));
    }
  }

  /** Inputs of a pattern: the non-variable parts that must be evaluated. */
  void patternIn(Term p, Set<String> out) {
    Consumer<Term> evaluated = x -> in(x, out);
    patternParts(p, v -> {}, evaluated, evaluated);
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
    patternParts(t, v -> out.remove(v.name()), k -> {}, x -> {});
  }

  /** Variables bound by evaluating the term: ref path variables and call outputs. */
  Set<String> outputs(Term t) {
    Set<String> out = new LinkedHashSet<>();
    outputs(t, out);
    return out;
  }

  void outputs(Term t, Set<String> out) {
    subterms(t, x -> outputs(x, out), p -> pattern(p, out));
  }

  /** Variables a pattern binds when unified with a value. */
  void pattern(Term p, Set<String> out) {
    patternParts(p, v -> addLocal(v, out), k -> {}, x -> outputs(x, out));
  }

  /** Every local variable in a term, closures included. */
  void all(Term t, Set<String> out) {
    Consumer<Term> each = x -> all(x, out);
    switch (t) {
      case Term.Var v -> addLocal(v, out);
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
      default -> subterms(t, each, each);
    }
  }

  void all(Expr e, Set<String> out) {
    switch (e.kind()) {
      case Expr.Every ev -> {
        if (ev.key() != null) {
          all(ev.key(), out);
        }
        all(ev.value(), out);
        all(ev.domain(), out);
        ev.body().forEach(x -> all(x, out));
      }
      case Expr.NotBody nb -> nb.body().forEach(x -> all(x, out));
      default -> ownTerms(e, t -> all(t, out));
    }
    withValues(e, t -> all(t, out), out);
  }

  /** Local variables mentioned outside closures (the ones a body owns). */
  void topLevel(Expr e, Set<String> out) {
    switch (e.kind()) {
      case Expr.Every ev -> shallow(ev.domain(), out);
      case Expr.NotBody nb -> {}
      default -> ownTerms(e, t -> shallow(t, out));
    }
    withValues(e, t -> shallow(t, out), out);
  }

  /**
   * The terms of an expression that has no body of its own; {@code every} and {@code not} bodies
   * are left to the caller, whose analyses differ there.
   */
  private static void ownTerms(Expr e, Consumer<Term> each) {
    switch (e.kind()) {
      case Expr.TermExpr te -> each.accept(te.term());
      case Expr.Unify u -> {
        each.accept(u.lhs());
        each.accept(u.rhs());
      }
      case Expr.Assign a -> {
        each.accept(a.lhs());
        each.accept(a.rhs());
      }
      case Expr.SomeDecl s -> s.vars().forEach(each);
      case Expr.SomeIn s -> {
        if (s.key() != null) {
          each.accept(s.key());
        }
        each.accept(s.value());
        each.accept(s.collection());
      }
      case Expr.Every ev -> {}
      case Expr.NotBody nb -> {}
    }
  }

  /** With values: a plain value goes to {@code value}; a var or ref is handled by withRef. */
  private void withValues(Expr e, Consumer<Term> value, Set<String> out) {
    for (Expr.With w : e.withs()) {
      if (!(w.value() instanceof Term.Var || w.value() instanceof Term.Ref)) {
        value.accept(w.value());
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

  void shallow(Term t, Set<String> out) {
    Consumer<Term> each = x -> shallow(x, out);
    if (t instanceof Term.Var v) {
      addLocal(v, out);
    } else {
      subterms(t, each, each);
    }
  }
}
