package io.maestro.rego.ast;

import java.util.List;

/** One literal of a body: a (possibly negated) expression with its with-modifiers. */
public record Expr(Kind kind, boolean negated, List<With> withs, Location loc) {
  public Expr {
    withs = List.copyOf(withs);
  }

  public Expr withNegated(boolean n) {
    return new Expr(kind, n, withs, loc);
  }

  public Expr withKind(Kind k) {
    return new Expr(k, negated, withs, loc);
  }

  /** A `with target as value` modifier. */
  public record With(Term target, Term value, Location loc) {}

  /** The alternatives of an expression. */
  public sealed interface Kind {}

  /** A bare term (often a call: equal(a, b), lt(a, b) …). */
  public record TermExpr(Term term) implements Kind {}

  /** `lhs = rhs`. */
  public record Unify(Term lhs, Term rhs) implements Kind {}

  /** `lhs := rhs`. */
  public record Assign(Term lhs, Term rhs) implements Kind {}

  /** `some x, y`. */
  public record SomeDecl(List<Term.Var> vars) implements Kind {}

  /** `some [key,] value in collection`. */
  public record SomeIn(Term key, Term value, Term collection) implements Kind {}

  /** `every [key,] value in domain { body }`. */
  public record Every(Term key, Term value, Term domain, List<Expr> body) implements Kind {}

  /** `not { body }` (a negated body, newer OPA). */
  public record NotBody(List<Expr> body) implements Kind {}
}
