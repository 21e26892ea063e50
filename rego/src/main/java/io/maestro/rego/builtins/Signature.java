package io.maestro.rego.builtins;

import java.util.ArrayList;
import java.util.List;

/**
 * A builtin's declaration as OPA publishes it in its capabilities: operand types (or a variadic
 * operand type), result type (null for none), and the infix operator, relation and nondeterministic
 * marks.
 *
 * <p>{@link #parse} reads the text form used when registering a builtin and in the capabilities
 * test resource: {@code (string, array[any]) => string}, {@code (any...)} for a variadic builtin
 * without result, and marks after {@code |}: {@code (set[any], set[any]) => set[any] | infix |},
 * {@code () => number | nondeterministic}, {@code (any) => array<array[any], any> | relation}.
 */
public record Signature(
    List<Type> args,
    Type variadic,
    Type result,
    String infix,
    boolean relation,
    boolean nondeterministic,
    boolean deprecated) {

  public Signature {
    args = List.copyOf(args);
  }

  /** The number of operands, or -1 for a variadic builtin. */
  public int arity() {
    return variadic != null ? -1 : args.size();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < args.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(args.get(i));
    }
    if (variadic != null) {
      sb.append(args.isEmpty() ? "" : ", ").append(variadic).append("...");
    }
    sb.append(')');
    if (result != null) {
      sb.append(" => ").append(result);
    }
    if (infix != null) {
      sb.append(" | infix ").append(infix);
    }
    if (relation) {
      sb.append(" | relation");
    }
    if (nondeterministic) {
      sb.append(" | nondeterministic");
    }
    if (deprecated) {
      sb.append(" | deprecated");
    }
    return sb.toString();
  }

  /** Reads the text form; throws IllegalArgumentException naming the position of a mistake. */
  public static Signature parse(String text) {
    String[] parts = text.split(" \\| ");
    Reader r = new Reader(parts[0].strip());
    r.expect("(");
    List<Type> args = new ArrayList<>();
    Type variadic = null;
    while (!r.peek(")")) {
      if (!args.isEmpty()) {
        r.expect(",");
      }
      Type t = r.type();
      if (r.peek("...")) {
        r.expect("...");
        variadic = t;
        break;
      }
      args.add(t);
    }
    r.expect(")");
    Type result = null;
    if (r.peek("=>")) {
      r.expect("=>");
      result = r.type();
    }
    r.end();
    String infix = null;
    boolean relation = false;
    boolean nondeterministic = false;
    boolean deprecated = false;
    for (int i = 1; i < parts.length; i++) {
      String mark = parts[i].strip();
      switch (mark) {
        case "relation" -> relation = true;
        case "nondeterministic" -> nondeterministic = true;
        case "deprecated" -> deprecated = true;
        default -> {
          if (!mark.startsWith("infix ")) {
            throw new IllegalArgumentException("unknown mark '" + mark + "' in: " + text);
          }
          infix = mark.substring("infix ".length());
        }
      }
    }
    return new Signature(args, variadic, result, infix, relation, nondeterministic, deprecated);
  }

  /** A small recursive-descent reader of OPA's type notation. */
  private static final class Reader {
    private final String s;
    private int pos;

    Reader(String s) {
      this.s = s;
    }

    Type type() {
      String word = word();
      return switch (word) {
        case "null" -> Type.NULL;
        case "boolean" -> Type.BOOLEAN;
        case "number" -> Type.NUMBER;
        case "string" -> Type.STRING;
        case "any" -> new Type.AnyOf(peek("<") ? list() : List.of());
        case "set" -> {
          expect("[");
          Type of = type();
          expect("]");
          yield new Type.SetOf(of);
        }
        case "array" -> {
          List<Type> fixed = peek("<") ? list() : List.of();
          Type dynamic = null;
          if (peek("[")) {
            expect("[");
            dynamic = type();
            expect("]");
          }
          yield new Type.Array(fixed, dynamic);
        }
        case "object" -> object();
        default -> throw error("unknown type '" + word + "'");
      };
    }

    private Type object() {
      List<Type.Property> fixed = new ArrayList<>();
      if (peek("<")) {
        expect("<");
        do {
          if (!fixed.isEmpty()) {
            expect(",");
          }
          String key = word();
          expect(":");
          fixed.add(new Type.Property(key, type()));
        } while (!peek(">"));
        expect(">");
      }
      Type key = null;
      Type value = null;
      if (peek("[")) {
        expect("[");
        key = type();
        expect(":");
        value = type();
        expect("]");
      }
      return new Type.Obj(fixed, key, value);
    }

    private List<Type> list() {
      expect("<");
      List<Type> out = new ArrayList<>();
      do {
        if (!out.isEmpty()) {
          expect(",");
        }
        out.add(type());
      } while (!peek(">"));
      expect(">");
      return out;
    }

    private String word() {
      skipSpace();
      int start = pos;
      while (pos < s.length()
          && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
        pos++;
      }
      if (start == pos) {
        throw error("expected a name");
      }
      return s.substring(start, pos);
    }

    boolean peek(String token) {
      skipSpace();
      return s.startsWith(token, pos);
    }

    void expect(String token) {
      if (!peek(token)) {
        throw error("expected '" + token + "'");
      }
      pos += token.length();
    }

    void end() {
      skipSpace();
      if (pos != s.length()) {
        throw error("unexpected text");
      }
    }

    private void skipSpace() {
      while (pos < s.length() && s.charAt(pos) == ' ') {
        pos++;
      }
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException(what + " at column " + (pos + 1) + " of: " + s);
    }
  }
}
