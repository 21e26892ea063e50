package io.maestro.rego.ast;

import java.util.List;

/**
 * A rule as parsed. {@code ref} is the head reference relative to the package (first element the
 * rule name as a string scalar); {@code args} is non-null for functions; {@code key} is set for
 * partial set rules ({@code contains}); {@code value} is the head value (true when omitted).
 */
public record Rule(
    List<Term> ref,
    List<Term> args,
    Term key,
    Term value,
    boolean assign,
    boolean isDefault,
    boolean isContains,
    List<Expr> body,
    Rule elseRule,
    Location loc,
    String text) {
  public Rule {
    ref = List.copyOf(ref);
    args = args == null ? null : List.copyOf(args);
  }

  public boolean isFunction() {
    return args != null;
  }

  /** The rule's name as written in the head (dotted ground prefix, e.g. "p.q"). */
  public String name() {
    StringBuilder sb = new StringBuilder();
    for (Term t : ref) {
      if (t instanceof Term.Scalar s && s.value() instanceof io.maestro.rego.value.StringValue sv) {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(sv.value());
      } else {
        break;
      }
    }
    return sb.toString();
  }
}
