package io.maestro.engine.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * A string that may hold {@code ${{ expression }}} parts. A string that is exactly one expression
 * evaluates to the expression's value with its type (a number stays a number); any other string
 * with expressions evaluates to text, each expression replaced by its value rendered as text.
 */
public record Template(List<Part> parts) {
  private static final String OPEN = "${{";
  private static final String CLOSE = "}}";

  public Template {
    parts = List.copyOf(parts);
  }

  /** A literal run of text, or an expression's source (without the braces). */
  public sealed interface Part {}

  public record Literal(String text) implements Part {}

  public record Expr(String source) implements Part {}

  public static boolean hasExpressions(String s) {
    return s.contains(OPEN);
  }

  /**
   * @throws ExpressionException when a {@code ${{} is not closed or an expression is empty
   */
  public static Template parse(String s) {
    List<Part> parts = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      int open = s.indexOf(OPEN, i);
      if (open < 0) {
        parts.add(new Literal(s.substring(i)));
        break;
      }
      if (open > i) {
        parts.add(new Literal(s.substring(i, open)));
      }
      int close = s.indexOf(CLOSE, open + OPEN.length());
      if (close < 0) {
        throw new ExpressionException("'${{' at offset " + open + " is not closed by '}}'");
      }
      String source = s.substring(open + OPEN.length(), close).strip();
      if (source.isEmpty()) {
        throw new ExpressionException("empty expression at offset " + open);
      }
      parts.add(new Expr(source));
      i = close + CLOSE.length();
    }
    return new Template(parts);
  }

  /** True when the whole string is a single expression, so its value keeps its type. */
  public boolean isSingleExpression() {
    return parts.size() == 1 && parts.getFirst() instanceof Expr;
  }

  public List<String> expressions() {
    return parts.stream().filter(p -> p instanceof Expr).map(p -> ((Expr) p).source()).toList();
  }
}
