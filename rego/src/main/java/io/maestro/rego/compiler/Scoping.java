package io.maestro.rego.compiler;

import io.maestro.rego.ast.Expr;
import io.maestro.rego.ast.Term;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lexical scoping of `:=`: a variable declared with := is visible to comprehensions only after its
 * declaration. A comprehension that mentions a name declared later in the enclosing body has its
 * own variable of that name, so it is renamed apart before safety analysis.
 *
 * <p>One instance serves one rule or query (its {@link Lowerer}): the renamed variables are
 * numbered within it, so compiling the same module gives the same program whatever was compiled
 * before in the process.
 */
final class Scoping {
  private int renamed;

  List<Expr> isolate(List<Expr> body) {
    Map<String, Integer> declaredAt = new HashMap<>();
    for (int i = 0; i < body.size(); i++) {
      if (body.get(i).kind() instanceof Expr.Assign a) {
        Set<String> vs = new LinkedHashSet<>();
        patternVars(a.lhs(), vs);
        for (String v : vs) {
          declaredAt.putIfAbsent(v, i);
        }
      }
    }
    if (declaredAt.isEmpty()) {
      return body;
    }
    List<Expr> out = new ArrayList<>(body.size());
    for (int i = 0; i < body.size(); i++) {
      int idx = i;
      Map<String, String> later = new HashMap<>();
      declaredAt.forEach(
          (name, at) -> {
            if (at > idx) {
              later.put(name, name + "$c" + ++renamed);
            }
          });
      out.add(later.isEmpty() ? body.get(i) : closuresIn(body.get(i), later));
    }
    return out;
  }

  private static void patternVars(Term t, Set<String> out) {
    switch (t) {
      case Term.Var v -> out.add(v.name());
      case Term.ArrayTerm a -> a.items().forEach(x -> patternVars(x, out));
      case Term.ObjectTerm o -> o.values().forEach(x -> patternVars(x, out));
      default -> {}
    }
  }

  /** Renames the given names inside the comprehensions of an expression only. */
  private static Expr closuresIn(Expr e, Map<String, String> m) {
    Expr.Kind k =
        switch (e.kind()) {
          case Expr.TermExpr t -> new Expr.TermExpr(closures(t.term(), m));
          case Expr.Unify u -> new Expr.Unify(closures(u.lhs(), m), closures(u.rhs(), m));
          case Expr.Assign a -> new Expr.Assign(closures(a.lhs(), m), closures(a.rhs(), m));
          case Expr.SomeIn s -> new Expr.SomeIn(s.key(), s.value(), closures(s.collection(), m));
          default -> e.kind();
        };
    return e.withKind(k);
  }

  private static Term closures(Term t, Map<String, String> m) {
    return switch (t) {
      case Term.ArrayCompr c -> rename(c, m);
      case Term.SetCompr c -> rename(c, m);
      case Term.ObjectCompr c -> rename(c, m);
      case Term.Ref r ->
          new Term.Ref(closures(r.head(), m), map(r.path(), x -> closures(x, m)), r.loc());
      case Term.Call c -> new Term.Call(c.operator(), map(c.args(), x -> closures(x, m)), c.loc());
      case Term.ArrayTerm a -> new Term.ArrayTerm(map(a.items(), x -> closures(x, m)), a.loc());
      case Term.SetTerm s -> new Term.SetTerm(map(s.items(), x -> closures(x, m)), s.loc());
      case Term.ObjectTerm o ->
          new Term.ObjectTerm(
              map(o.keys(), x -> closures(x, m)), map(o.values(), x -> closures(x, m)), o.loc());
      default -> t;
    };
  }

  private static List<Term> map(List<Term> ts, java.util.function.UnaryOperator<Term> f) {
    List<Term> out = new ArrayList<>(ts.size());
    for (Term t : ts) {
      out.add(f.apply(t));
    }
    return out;
  }

  static Term rename(Term t, Map<String, String> m) {
    return switch (t) {
      case Term.Var v -> m.containsKey(v.name()) ? new Term.Var(m.get(v.name()), v.loc()) : v;
      case Term.Scalar s -> s;
      case Term.Ref r ->
          new Term.Ref(rename(r.head(), m), map(r.path(), x -> rename(x, m)), r.loc());
      case Term.Call c -> new Term.Call(c.operator(), map(c.args(), x -> rename(x, m)), c.loc());
      case Term.ArrayTerm a -> new Term.ArrayTerm(map(a.items(), x -> rename(x, m)), a.loc());
      case Term.SetTerm s -> new Term.SetTerm(map(s.items(), x -> rename(x, m)), s.loc());
      case Term.ObjectTerm o ->
          new Term.ObjectTerm(
              map(o.keys(), x -> rename(x, m)), map(o.values(), x -> rename(x, m)), o.loc());
      case Term.ArrayCompr c ->
          new Term.ArrayCompr(rename(c.head(), m), renameBody(c.body(), m), c.loc());
      case Term.SetCompr c ->
          new Term.SetCompr(rename(c.head(), m), renameBody(c.body(), m), c.loc());
      case Term.ObjectCompr c ->
          new Term.ObjectCompr(
              rename(c.key(), m), rename(c.value(), m), renameBody(c.body(), m), c.loc());
      case Term.Template tp -> {
        List<Object> parts = new ArrayList<>();
        for (Object p : tp.parts()) {
          parts.add(p instanceof Term x ? rename(x, m) : p);
        }
        yield new Term.Template(parts, tp.loc());
      }
    };
  }

  private static List<Expr> renameBody(List<Expr> body, Map<String, String> m) {
    List<Expr> out = new ArrayList<>();
    for (Expr e : body) {
      out.add(renameExpr(e, m));
    }
    return out;
  }

  private static Expr renameExpr(Expr e, Map<String, String> m) {
    Expr.Kind k =
        switch (e.kind()) {
          case Expr.TermExpr t -> new Expr.TermExpr(rename(t.term(), m));
          case Expr.Unify u -> new Expr.Unify(rename(u.lhs(), m), rename(u.rhs(), m));
          case Expr.Assign a -> new Expr.Assign(rename(a.lhs(), m), rename(a.rhs(), m));
          case Expr.SomeDecl s ->
              new Expr.SomeDecl(s.vars().stream().map(v -> (Term.Var) rename(v, m)).toList());
          case Expr.SomeIn s ->
              new Expr.SomeIn(
                  s.key() == null ? null : rename(s.key(), m),
                  rename(s.value(), m),
                  rename(s.collection(), m));
          case Expr.Every ev ->
              new Expr.Every(
                  ev.key() == null ? null : rename(ev.key(), m),
                  rename(ev.value(), m),
                  rename(ev.domain(), m),
                  renameBody(ev.body(), m));
          case Expr.NotBody nb -> new Expr.NotBody(renameBody(nb.body(), m));
        };
    List<Expr.With> ws = new ArrayList<>();
    for (Expr.With w : e.withs()) {
      ws.add(new Expr.With(w.target(), rename(w.value(), m), w.loc()));
    }
    return new Expr(k, e.negated(), ws, e.loc());
  }
}
