package io.maestro.rego.parser;

import io.maestro.rego.RegoException;
import io.maestro.rego.ast.Expr;
import io.maestro.rego.ast.Location;
import io.maestro.rego.ast.Term;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.NullValue;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.StringValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Terms: operators by precedence, refs, calls, collections, comprehensions, templates, strings. */
abstract class TermParser extends TokenStream {
  private static final Map<String, String> REL =
      Map.of("==", "equal", "!=", "neq", "<", "lt", ">", "gt", "<=", "lte", ">=", "gte");
  private static final Map<String, String> ARITH = Map.of("+", "plus", "-", "minus");
  private static final Map<String, String> FACTOR = Map.of("*", "mul", "/", "div", "%", "rem");

  TermParser(String src, String file, int lineOffset, int colOffset, AtomicInteger wildcards) {
    super(src, file, lineOffset, colOffset, wildcards);
  }

  /** A literal (expression with modifiers), for comprehension bodies. */
  abstract Expr literal();

  /** Parses `with` modifiers after an expression. */
  abstract Expr withs(Expr e);

  static Term call(String name, Location l, Term... args) {
    return new Term.Call(new Term.Var(name, l), List.of(args), l);
  }

  // ---------------------------------------------------------------- terms

  Term termIn(boolean noBar) {
    Term lhs = termRelation(noBar);
    while (isKw("in") && !peek().nl()) {
      next();
      Term rhs = termRelation(noBar);
      lhs = call("internal.member_2", lhs.loc(), lhs, rhs);
    }
    return lhs;
  }

  /** The rest of a two-operand membership {@code k, v in xs}, at the comma after {@code k}. */
  Term membership(Term key) {
    next(); // ,
    Term v = termRelation(false);
    if (!isKw("in")) {
      throw error("unexpected " + describe(peek()) + " token: expected in");
    }
    next();
    return call("internal.member_3", key.loc(), key, v, termRelation(false));
  }

  Term termRelation(boolean noBar) {
    Term lhs = termOr(noBar);
    while (peek().kind() == Token.Kind.PUNCT && REL.containsKey(peek().text()) && !peek().nl()) {
      String op = REL.get(next().text());
      lhs = call(op, lhs.loc(), lhs, termOr(noBar));
    }
    return lhs;
  }

  Term termOr(boolean noBar) {
    Term lhs = termAnd(noBar);
    while (!noBar && peek().is("|") && !peek().nl()) {
      next();
      lhs = call("or", lhs.loc(), lhs, termAnd(noBar));
    }
    return lhs;
  }

  Term termAnd(boolean noBar) {
    Term lhs = termArith();
    while (peek().is("&") && !peek().nl()) {
      next();
      lhs = call("and", lhs.loc(), lhs, termArith());
    }
    return lhs;
  }

  Term termArith() {
    Term lhs = termFactor();
    while (peek().kind() == Token.Kind.PUNCT && ARITH.containsKey(peek().text()) && !peek().nl()) {
      String op = ARITH.get(next().text());
      lhs = call(op, lhs.loc(), lhs, termFactor());
    }
    return lhs;
  }

  Term termFactor() {
    Term lhs = termPrimary();
    while (peek().kind() == Token.Kind.PUNCT && FACTOR.containsKey(peek().text()) && !peek().nl()) {
      String op = FACTOR.get(next().text());
      lhs = call(op, lhs.loc(), lhs, termPrimary());
    }
    return lhs;
  }

  /** A primary term followed by ref/call suffixes. */
  Term termPrimary() {
    Term t = operand();
    while (true) {
      Token n = peek();
      if (n.is(".") && peek(1).kind() == Token.Kind.IDENT && isAdjacent(n)) {
        next();
        Token id = next();
        t = extend(t, new Term.Scalar(StringValue.of(id.text()), loc(id)));
      } else if (n.is("[") && isAdjacent(n)) {
        next();
        Term idx = termIn(false);
        expect("]");
        t = extend(t, idx);
      } else if (n.is("(") && isAdjacent(n) && (t instanceof Term.Var || t instanceof Term.Ref)) {
        next();
        List<Term> args = new ArrayList<>();
        while (!peek().is(")")) {
          args.add(termIn(false));
          if (peek().is(",")) {
            next();
          } else if (!peek().is(")")) {
            throw error("unexpected " + describe(peek()) + " token: expected , or )");
          }
        }
        next();
        t = new Term.Call(t, args, t.loc());
      } else {
        return t;
      }
    }
  }

  /** Suffixes bind only without whitespace before them (so `x [1]` is not an index). */
  boolean isAdjacent(Token n) {
    Token prev = toks.get(i - 1);
    return prev.pos() + prev.text().length() == n.pos();
  }

  Term extend(Term t, Term op) {
    if (t instanceof Term.Ref r) {
      List<Term> p = new ArrayList<>(r.path());
      p.add(op);
      return new Term.Ref(r.head(), p, r.loc());
    }
    return new Term.Ref(t, List.of(op), t.loc());
  }

  Term operand() {
    Token t = next();
    Location l = loc(t);
    switch (t.kind()) {
      case NUMBER:
        return new Term.Scalar(NumberValue.parse(t.text()), l);
      case STRING:
        return new Term.Scalar(StringValue.of(unquote(t.text(), l)), l);
      case RAW_STRING:
        return new Term.Scalar(StringValue.of(t.text().substring(1, t.text().length() - 1)), l);
      case TEMPLATE:
      case RAW_TEMPLATE:
        return template(t, l);
      case IDENT:
        if (isAdjacentSuffix(t)) {
          return new Term.Var(t.text(), l);
        }
        return switch (t.text()) {
          case "true" -> new Term.Scalar(BooleanValue.TRUE, l);
          case "false" -> new Term.Scalar(BooleanValue.FALSE, l);
          case "null" -> new Term.Scalar(NullValue.INSTANCE, l);
          case "_" -> new Term.Var("$_" + wildcards.getAndIncrement(), l);
          default -> {
            if (t.text().equals("set") && peek().is("(") && peek(1).is(")")) {
              next();
              next();
              yield new Term.SetTerm(List.of(), l);
            }
            yield new Term.Var(t.text(), l);
          }
        };
      case PUNCT:
        break;
      case EOF:
        throw RegoException.parse("unexpected eof token", l);
      default:
        break;
    }
    switch (t.text()) {
      case "-" -> {
        Token n = peek();
        if (n.kind() == Token.Kind.NUMBER && n.pos() == t.pos() + 1) {
          next();
          return new Term.Scalar(NumberValue.parse("-" + n.text()), l);
        }
        Term operand = termPrimary();
        return call("minus", l, new Term.Scalar(NumberValue.ZERO, l), operand);
      }
      case "(" -> {
        Term inner = termIn(false);
        if (peek().is(",")) {
          inner = membership(inner);
        }
        expect(")");
        return inner;
      }
      case "[" -> {
        return arrayOrCompr(l);
      }
      case "{" -> {
        return braceTerm(l);
      }
      default -> throw RegoException.parse("unexpected " + t.text() + " token", l);
    }
  }

  boolean isAdjacentSuffix(Token t) {
    Token n = peek();
    return (t.text().equals("true") || t.text().equals("false") || t.text().equals("null"))
        && (n.is(".") || n.is("["))
        && n.pos() == t.pos() + t.text().length();
  }

  Term arrayOrCompr(Location l) {
    if (peek().is("]")) {
      next();
      return new Term.ArrayTerm(List.of(), l);
    }
    Term first = termIn(true);
    if (peek().is("|")) {
      next();
      List<Expr> b = comprBody("]");
      return new Term.ArrayCompr(first, b, l);
    }
    List<Term> items = new ArrayList<>();
    items.add(first);
    while (peek().is(",")) {
      next();
      if (peek().is("]")) {
        break;
      }
      items.add(termIn(false));
    }
    expect("]");
    return new Term.ArrayTerm(items, l);
  }

  Term braceTerm(Location l) {
    if (peek().is("}")) {
      next();
      return new Term.ObjectTerm(List.of(), List.of(), l);
    }
    Term first = termIn(true);
    if (peek().is(":")) {
      next();
      Term v = termIn(true);
      if (peek().is("|")) {
        next();
        return new Term.ObjectCompr(first, v, comprBody("}"), l);
      }
      List<Term> ks = new ArrayList<>();
      List<Term> vs = new ArrayList<>();
      ks.add(first);
      vs.add(v);
      while (peek().is(",")) {
        next();
        if (peek().is("}")) {
          break;
        }
        ks.add(termIn(false));
        expect(":");
        vs.add(termIn(false));
      }
      expect("}");
      return new Term.ObjectTerm(ks, vs, l);
    }
    if (peek().is("|")) {
      next();
      return new Term.SetCompr(first, comprBody("}"), l);
    }
    List<Term> items = new ArrayList<>();
    items.add(first);
    while (peek().is(",")) {
      next();
      if (peek().is("}")) {
        break;
      }
      items.add(termIn(false));
    }
    expect("}");
    return new Term.SetTerm(items, l);
  }

  List<Expr> comprBody(String close) {
    List<Expr> out = new ArrayList<>();
    while (!peek().is(close)) {
      out.add(literal());
      if (peek().is(";")) {
        next();
      } else if (!peek().is(close) && !peek().nl()) {
        throw error("unexpected " + describe(peek()) + " token: expected \\n or ; or " + close);
      }
    }
    next();
    if (out.isEmpty()) {
      throw error("empty comprehension body");
    }
    return out;
  }

  // ---------------------------------------------------------------- strings

  Term template(Token t, Location l) {
    boolean raw = t.kind() == Token.Kind.RAW_TEMPLATE;
    String s = t.text();
    String body = s.substring(2, s.length() - 1);
    int baseOffset = t.pos() + 2;
    List<Object> parts = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    int k = 0;
    while (k < body.length()) {
      char c = body.charAt(k);
      if (raw && c == '\\' && k + 1 < body.length() && body.charAt(k + 1) == '{') {
        lit.append('{');
        k += 2;
        continue;
      }
      if (!raw && c == '\\') {
        char n = body.charAt(k + 1);
        if (n == '{' || n == '}') {
          lit.append(n);
          k += 2;
          continue;
        }
        int end = k + 2;
        if (n == 'u') {
          end = k + 6;
        }
        lit.append(unquote("\"" + body.substring(k, end) + "\"", l));
        k = end;
        continue;
      }
      if (c == '{') {
        int end = matchBrace(body, k);
        String exprSrc = body.substring(k + 1, end);
        if (!lit.isEmpty()) {
          parts.add(lit.toString());
          lit.setLength(0);
        }
        int abs = baseOffset + k + 1;
        int line = 1 + (int) src.substring(0, abs).chars().filter(ch -> ch == '\n').count();
        int col = abs - src.lastIndexOf('\n', abs - 1);
        Parser sub = new Parser(exprSrc, file, line - 1, col - 1, wildcards);
        Term inner = sub.termIn(false);
        if (sub.isKw("with")) {
          // `{a with input as x}`: evaluate the expression under its modifiers; the marker head
          // tells the evaluator to take the comprehension's values, not the array.
          Location il = inner.loc();
          Term.Var tv = new Term.Var("$tpl" + wildcards.getAndIncrement(), il);
          Expr ex = sub.withs(new Expr(new Expr.Unify(tv, inner), false, List.of(), il));
          inner = new Term.ArrayCompr(tv, List.of(ex), il);
        }
        if (sub.peek().kind() != Token.Kind.EOF) {
          throw sub.error(
              "unexpected " + sub.describe(sub.peek()) + " token in template expression");
        }
        parts.add(inner);
        k = end + 1;
        continue;
      }
      lit.append(c);
      k++;
    }
    if (!lit.isEmpty()) {
      parts.add(lit.toString());
    }
    return new Term.Template(parts, l);
  }

  static int matchBrace(String s, int start) {
    int depth = 0;
    int k = start;
    while (k < s.length()) {
      char c = s.charAt(k);
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
        if (depth == 0) {
          return k;
        }
      } else if (c == '"') {
        k++;
        while (k < s.length() && s.charAt(k) != '"') {
          if (s.charAt(k) == '\\') {
            k++;
          }
          k++;
        }
      } else if (c == '`') {
        k++;
        while (k < s.length() && s.charAt(k) != '`') {
          k++;
        }
      }
      k++;
    }
    return s.length();
  }

  static String unquote(String quoted, Location l) {
    StringBuilder sb = new StringBuilder(quoted.length());
    for (int k = 1; k < quoted.length() - 1; k++) {
      char c = quoted.charAt(k);
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char n = quoted.charAt(++k);
      switch (n) {
        case '"' -> sb.append('"');
        case '\\' -> sb.append('\\');
        case '/' -> sb.append('/');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (k + 4 >= quoted.length()) {
            throw RegoException.parse("invalid unicode escape", l);
          }
          sb.append((char) Integer.parseInt(quoted.substring(k + 1, k + 5), 16));
          k += 4;
        }
        default -> throw RegoException.parse("invalid escape sequence \\" + n, l);
      }
    }
    return sb.toString();
  }
}
