package io.maestro.rego.compiler;

import io.maestro.rego.ast.Location;
import io.maestro.rego.value.Value;
import java.util.List;

/**
 * The compiled form the evaluator runs: variables resolved to frame slots, names resolved to data
 * paths or builtins, bodies reordered for safety.
 */
public final class Ir {
  private Ir() {}

  /** A compiled term. */
  public sealed interface Node {}

  public record Const(Value value) implements Node {}

  public record Local(int slot, String name) implements Node {}

  public record InputRoot() implements Node {}

  public record DataRoot() implements Node {}

  public record RefN(Node head, Node[] path) implements Node {}

  public record ArrayN(Node[] items) implements Node {}

  public record SetN(Node[] items) implements Node {}

  public record ObjectN(Node[] keys, Node[] values) implements Node {}

  public record ArrayCompr(Node head, Body body) implements Node {}

  public record SetCompr(Node head, Body body) implements Node {}

  public record ObjectCompr(Node key, Node value, Body body) implements Node {}

  /**
   * A call. {@code fn} is a builtin name or a user function's data path ("data.pkg.f"); {@code
   * arity} is the callee's declared arity (-1 for variadic), so args beyond it are outputs.
   */
  public record Call(String fn, Node[] args, int arity, Location loc) implements Node {}

  /** A template string: parts are String literals or Nodes. */
  public record Template(Object[] parts, Location loc) implements Node {}

  /** A body, already ordered so that every variable is bound before it is needed. */
  public record Body(Expr[] exprs) {}

  /** A compiled literal. */
  public record Expr(Kind kind, boolean negated, With[] withs, Location loc) {}

  public sealed interface Kind {}

  /** A term that must be defined and not false. */
  public record TermK(Node term) implements Kind {}

  /** Unification of two terms (also assignment, and `some … in` as coll[k] = v). */
  public record UnifyK(Node a, Node b) implements Kind {}

  /** `every k, v in domain { body }`; key may be null. */
  public record EveryK(Node key, Node value, Node domain, Body body) implements Kind {}

  /** `not { body }`. */
  public record NotBodyK(Body body) implements Kind {}

  /** Declarations (some x) that do nothing at run time. */
  public record NoopK() implements Kind {}

  /** A `with` modifier. */
  public sealed interface With {}

  public record WithInput(String[] path, Node value) implements With {}

  public record WithData(String[] path, Node value) implements With {}

  /** Replaces a function or builtin: by another function ({@code byFn}) or by a value. */
  public record WithFunction(String fn, String byFn, Node value) implements With {}

  /**
   * A compiled rule. {@code suffix} holds the dynamic part of the head ref after the node's path;
   * {@code key} is the member for contains rules; {@code value} the head value.
   */
  public record Rule(
      Node[] args,
      Node[] suffix,
      Node key,
      Node value,
      boolean contains,
      Body body,
      int slots,
      Rule elseRule,
      Location loc,
      List<Value> annotations) {}
}
