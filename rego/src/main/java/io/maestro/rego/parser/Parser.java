package io.maestro.rego.parser;

import io.maestro.rego.RegoException;
import io.maestro.rego.ast.Expr;
import io.maestro.rego.ast.Location;
import io.maestro.rego.ast.Module;
import io.maestro.rego.ast.Rule;
import io.maestro.rego.ast.Term;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.NullValue;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.StringValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A recursive-descent parser for Rego v1 modules, queries and terms. */
public final class Parser {
  private static final Map<String, String> REL =
      Map.of("==", "equal", "!=", "neq", "<", "lt", ">", "gt", "<=", "lte", ">=", "gte");
  private static final Map<String, String> ARITH = Map.of("+", "plus", "-", "minus");
  private static final Map<String, String> FACTOR = Map.of("*", "mul", "/", "div", "%", "rem");

  private final String src;
  private final String file;
  private final List<Token> toks;
  private final Lexer lexer;
  private final AtomicInteger wildcards;
  private int i;

  private Parser(String src, String file, int lineOffset, int colOffset, AtomicInteger wildcards) {
    this.src = src;
    this.file = file;
    this.lexer = new Lexer(src, file, lineOffset, colOffset);
    this.toks = lexer.tokenize();
    this.wildcards = wildcards;
  }

  /** Parses a module. */
  public static Module parseModule(String file, String source) {
    return new Parser(source, file, 0, 0, new AtomicInteger()).module();
  }

  /** Parses a query (a body): literals separated by newlines or semicolons. */
  public static List<Expr> parseQuery(String source) {
    Parser p = new Parser(source, "query", 0, 0, new AtomicInteger(1_000_000));
    List<Expr> body = new ArrayList<>();
    while (p.peek().kind() != Token.Kind.EOF) {
      body.add(p.literal());
      if (p.peek().is(";")) {
        p.next();
      } else if (p.peek().kind() != Token.Kind.EOF && !p.peek().nl()) {
        throw p.error("unexpected " + p.describe(p.peek()) + " token: expected \\n or ; or }");
      }
    }
    if (body.isEmpty()) {
      throw RegoException.parse("empty query", new Location("query", 1, 1));
    }
    return body;
  }

  /** Parses a single term (e.g. an input written as a Rego term). */
  public static Term parseTerm(String source) {
    Parser p = new Parser(source, "term", 0, 0, new AtomicInteger());
    Term t = p.termIn(false);
    if (p.peek().kind() != Token.Kind.EOF) {
      throw p.error("unexpected " + p.describe(p.peek()));
    }
    return t;
  }

  // ---------------------------------------------------------------- token helpers

  private Token peek() {
    return toks.get(i);
  }

  private Token peek(int k) {
    return toks.get(Math.min(i + k, toks.size() - 1));
  }

  private Token next() {
    Token t = toks.get(i);
    if (t.kind() != Token.Kind.EOF) {
      i++;
    }
    return t;
  }

  private Location loc(Token t) {
    return new Location(file, t.line(), t.col());
  }

  private RegoException error(String msg) {
    return RegoException.parse(msg, loc(peek()));
  }

  private String describe(Token t) {
    return switch (t.kind()) {
      case EOF -> "eof";
      case IDENT -> "ident";
      case NUMBER -> "number";
      case STRING, RAW_STRING, TEMPLATE, RAW_TEMPLATE -> "string";
      case PUNCT -> t.text();
    };
  }

  /** True when the token at offset k is a keyword used as a ref head (`every.x`, `false[0]`). */
  private boolean keywordAsRef(int k) {
    Token t = peek(k);
    Token n = peek(k + 1);
    return (n.is(".") || n.is("[")) && n.pos() == t.pos() + t.text().length();
  }

  /** The next token is the keyword (not an ident used as a ref head like `if.foo`). */
  private boolean isKw(String word) {
    return peek().isIdent(word) && !keywordAsRef(0);
  }

  private Token expect(String punct) {
    if (!peek().is(punct)) {
      throw error("unexpected " + describe(peek()) + " token: expected " + punct);
    }
    return next();
  }

  private Token expectIdent() {
    if (peek().kind() != Token.Kind.IDENT) {
      throw error("unexpected " + describe(peek()) + " token: expected ident");
    }
    return next();
  }

  // ---------------------------------------------------------------- module

  private Module module() {
    Token pk = peek();
    if (!pk.isIdent("package")) {
      throw error("unexpected " + describe(pk) + " token: expected package");
    }
    next();
    List<String> pkg = new ArrayList<>();
    pkg.add(expectIdent().text());
    while (peek().is(".") || (peek().is("[") && !peek().nl())) {
      if (next().is(".")) {
        pkg.add(expectIdent().text());
      } else {
        Token s = next();
        if (s.kind() != Token.Kind.STRING) {
          throw error("package path must be strings");
        }
        pkg.add(unquote(s.text(), loc(s)));
        expect("]");
      }
    }
    List<Module.Import> imports = new ArrayList<>();
    List<Rule> rules = new ArrayList<>();
    while (peek().kind() != Token.Kind.EOF) {
      if (peek().isIdent("import") && !keywordAsRef(0)) {
        imports.add(importDecl());
      } else {
        rules.addAll(rule());
      }
    }
    return new Module(file, pkg, imports, rules, annotations(), loc(pk));
  }

  private List<Module.Annotation> annotations() {
    List<Module.Annotation> out = new ArrayList<>();
    List<String> cs = lexer.comments;
    List<Integer> ls = lexer.commentLines;
    for (int k = 0; k < cs.size(); k++) {
      if (cs.get(k).strip().equals("METADATA")) {
        int start = ls.get(k);
        StringBuilder yaml = new StringBuilder();
        int j = k + 1;
        while (j < cs.size() && ls.get(j) == ls.get(j - 1) + 1) {
          String c = cs.get(j);
          yaml.append(c.startsWith(" ") ? c.substring(1) : c).append('\n');
          j++;
        }
        out.add(
            new Module.Annotation(yaml.toString(), ls.get(j - 1), new Location(file, start, 1)));
        k = j - 1;
      }
    }
    return out;
  }

  private Module.Import importDecl() {
    Token t = next();
    List<String> path = new ArrayList<>();
    path.add(expectIdent().text());
    while (peek().is(".") || (peek().is("[") && !peek().nl())) {
      if (next().is(".")) {
        path.add(expectIdent().text());
      } else {
        Token s = next();
        path.add(unquote(s.text(), loc(s)));
        expect("]");
      }
    }
    String alias = null;
    if (isKw("as") && !peek().nl()) {
      next();
      alias = expectIdent().text();
    }
    String root = path.get(0);
    if (!root.equals("data")
        && !root.equals("input")
        && !root.equals("future")
        && !root.equals("rego")) {
      throw RegoException.parse(
          "invalid import path: " + String.join(".", path) + " (must begin with input or data)",
          loc(t));
    }
    return new Module.Import(path, alias, loc(t));
  }

  private List<Rule> rule() {
    Token start = peek();
    Location l = loc(start);
    if (start.isIdent("default") && !keywordAsRef(0)) {
      next();
      Term head = termPrimary();
      boolean assign = peek().is(":=");
      if (!peek().is(":=") && !peek().is("=")) {
        throw error("unexpected " + describe(peek()) + " token: expected := or = after default");
      }
      next();
      Term value = termIn(false);
      List<Term> args = null;
      if (head instanceof Term.Call c) {
        args = c.args();
        head = c.operator();
      }
      return List.of(
          new Rule(
              headRef(head, l),
              args,
              null,
              value,
              assign,
              true,
              false,
              List.of(),
              null,
              l,
              text(start)));
    }
    Term head = termPrimary();
    List<Term> args = null;
    if (head instanceof Term.Call c) {
      args = c.args();
      head = c.operator();
    }
    List<Term> ref = headRef(head, l);
    Term key = null;
    Term value = null;
    boolean assign = false;
    boolean contains = false;
    if (isKw("contains")) {
      next();
      key = termIn(false);
      contains = true;
    }
    if (peek().is(":=") || peek().is("=")) {
      assign = next().is(":=");
      value = termIn(false);
    }
    List<Expr> body;
    if (isKw("if")) {
      next();
      body = ruleBody();
    } else if (peek().is("{") && !peek().nl()) {
      throw error("`if` keyword is required before rule body");
    } else {
      body = List.of(trueExpr(l));
    }
    if (value == null && !contains) {
      value = new Term.Scalar(BooleanValue.TRUE, l);
    }
    Rule elseRule = null;
    if (isKw("else")) {
      elseRule = elseChain(ref, args);
    }
    return List.of(
        new Rule(ref, args, key, value, assign, false, contains, body, elseRule, l, text(start)));
  }

  private String text(Token start) {
    int end = toks.get(Math.max(i - 1, 0)).pos() + toks.get(Math.max(i - 1, 0)).text().length();
    return end > start.pos() ? src.substring(start.pos(), end) : "";
  }

  private Rule elseChain(List<Term> ref, List<Term> args) {
    Token t = next(); // else
    Location l = loc(t);
    Term value = new Term.Scalar(BooleanValue.TRUE, l);
    boolean assign = false;
    if (peek().is(":=") || peek().is("=")) {
      assign = next().is(":=");
      value = termIn(false);
    }
    List<Expr> body;
    if (isKw("if")) {
      next();
      body = ruleBody();
    } else if (peek().is("{")) {
      body = body();
    } else {
      body = List.of(trueExpr(l));
    }
    Rule next = null;
    if (isKw("else")) {
      next = elseChain(ref, args);
    }
    return new Rule(ref, args, null, value, assign, false, false, body, next, l, text(t));
  }

  private Expr trueExpr(Location l) {
    return new Expr(new Expr.TermExpr(new Term.Scalar(BooleanValue.TRUE, l)), false, List.of(), l);
  }

  private List<Term> headRef(Term head, Location l) {
    List<Term> ref = new ArrayList<>();
    if (head instanceof Term.Var v) {
      ref.add(new Term.Scalar(StringValue.of(v.name()), v.loc()));
    } else if (head instanceof Term.Ref r && r.head() instanceof Term.Var v) {
      ref.add(new Term.Scalar(StringValue.of(v.name()), v.loc()));
      ref.addAll(r.path());
    } else {
      throw RegoException.parse("rule head must be a reference", l);
    }
    return ref;
  }

  /** After `if`: a braced body or a single literal. */
  private List<Expr> ruleBody() {
    if (peek().is("{") && isBodyBrace()) {
      return body();
    }
    return List.of(literal());
  }

  /**
   * Distinguishes `if { body }` from `if {1,2}[x]`-style terms: a brace followed by a literal and a
   * closing brace or separator is a body. Bodies are by far the common case.
   */
  private boolean isBodyBrace() {
    int save = i;
    try {
      next();
      if (peek().is("}")) {
        return true;
      }
      literal();
      return peek().is("}") || peek().is(";") || peek().nl();
    } catch (RegoException e) {
      return true;
    } finally {
      i = save;
    }
  }

  private List<Expr> body() {
    Token open = expect("{");
    List<Expr> out = new ArrayList<>();
    while (!peek().is("}")) {
      if (peek().kind() == Token.Kind.EOF) {
        throw error("unexpected eof token: expected }");
      }
      out.add(literal());
      if (peek().is(";")) {
        next();
      } else if (!peek().is("}") && !peek().nl()) {
        throw error("unexpected " + describe(peek()) + " token: expected \\n or ; or }");
      }
    }
    next();
    if (out.isEmpty()) {
      throw RegoException.parse("found empty body", loc(open));
    }
    return out;
  }

  // ---------------------------------------------------------------- literals

  private Expr literal() {
    Token t = peek();
    Location l = loc(t);
    if (t.kind() == Token.Kind.IDENT && keywordAsRef(0)) {
      return withs(new Expr(expr(), false, List.of(), l));
    }
    if (t.isIdent("some")) {
      next();
      return withs(someDecl(l));
    }
    if (t.isIdent("every")) {
      next();
      return withs(every(l));
    }
    if (t.isIdent("not")) {
      next();
      if (peek().is("{") && isBodyBrace() && !looksLikeTerm()) {
        List<Expr> b = body();
        return withs(new Expr(new Expr.NotBody(b), true, List.of(), l));
      }
      Expr inner = literal();
      if (inner.negated()) {
        throw RegoException.parse("unexpected not keyword", l);
      }
      return inner.withNegated(true);
    }
    return withs(new Expr(expr(), false, List.of(), l));
  }

  /** Whether the brace after `not` starts a set/object term used as an expression. */
  private boolean looksLikeTerm() {
    int save = i;
    try {
      termPrimary();
      Token n = peek();
      return !(n.nl() || n.is(";") || n.is("}") || n.kind() == Token.Kind.EOF || n.isIdent("with"))
          || false;
    } catch (RegoException e) {
      return false;
    } finally {
      i = save;
    }
  }

  private Expr withs(Expr e) {
    List<Expr.With> ws = new ArrayList<>();
    while (isKw("with")) {
      Token w = next();
      Term target = termPrimary();
      if (!isKw("as")) {
        throw error("unexpected " + describe(peek()) + " token: expected as");
      }
      next();
      Term value = termIn(false);
      ws.add(new Expr.With(target, value, loc(w)));
    }
    return ws.isEmpty() ? e : new Expr(e.kind(), e.negated(), ws, e.loc());
  }

  private Expr someDecl(Location l) {
    Term first = termRelation(false);
    if (peek().is(",") || isKw("in")) {
      Term key = null;
      Term value = first;
      if (peek().is(",")) {
        next();
        key = first;
        value = termRelation(false);
      }
      if (isKw("in")) {
        next();
        Term coll = termRelation(false);
        return new Expr(new Expr.SomeIn(key, value, coll), false, List.of(), l);
      }
      // some x, y, z
      List<Term.Var> vars = new ArrayList<>();
      vars.add(asVar(first));
      vars.add(asVar(value));
      while (peek().is(",")) {
        next();
        vars.add(asVar(termPrimary()));
      }
      return new Expr(new Expr.SomeDecl(vars), false, List.of(), l);
    }
    return new Expr(new Expr.SomeDecl(List.of(asVar(first))), false, List.of(), l);
  }

  private Term.Var asVar(Term t) {
    if (t instanceof Term.Var v) {
      return v;
    }
    throw RegoException.parse("expected var in some declaration", t.loc());
  }

  private Expr every(Location l) {
    Term first = termPrimary();
    Term key = null;
    Term value = first;
    if (peek().is(",")) {
      next();
      key = first;
      value = termPrimary();
    }
    if (!isKw("in")) {
      throw error("unexpected " + describe(peek()) + " token: expected in");
    }
    next();
    Term domain = termRelation(false);
    List<Expr> b = body();
    return new Expr(new Expr.Every(key, value, domain, b), false, List.of(), l);
  }

  private Expr.Kind expr() {
    Term lhs = termIn(false);
    if (peek().is(",")) {
      // `k, v in xs` membership
      next();
      Term v = termRelation(false);
      if (!isKw("in")) {
        throw error("unexpected " + describe(peek()) + " token: expected in");
      }
      next();
      Term coll = termRelation(false);
      lhs = call("internal.member_3", lhs.loc(), lhs, v, coll);
    }
    if (peek().is(":=")) {
      next();
      return new Expr.Assign(lhs, termIn(false));
    }
    if (peek().is("=")) {
      next();
      return new Expr.Unify(lhs, termIn(false));
    }
    return new Expr.TermExpr(lhs);
  }

  private static Term call(String name, Location l, Term... args) {
    return new Term.Call(new Term.Var(name, l), List.of(args), l);
  }

  // ---------------------------------------------------------------- terms

  private Term termIn(boolean noBar) {
    Term lhs = termRelation(noBar);
    while (isKw("in") && !peek().nl()) {
      next();
      Term rhs = termRelation(noBar);
      lhs = call("internal.member_2", lhs.loc(), lhs, rhs);
    }
    return lhs;
  }

  private Term termRelation(boolean noBar) {
    Term lhs = termOr(noBar);
    while (peek().kind() == Token.Kind.PUNCT && REL.containsKey(peek().text()) && !peek().nl()) {
      String op = REL.get(next().text());
      lhs = call(op, lhs.loc(), lhs, termOr(noBar));
    }
    return lhs;
  }

  private Term termOr(boolean noBar) {
    Term lhs = termAnd(noBar);
    while (!noBar && peek().is("|") && !peek().nl()) {
      next();
      lhs = call("or", lhs.loc(), lhs, termAnd(noBar));
    }
    return lhs;
  }

  private Term termAnd(boolean noBar) {
    Term lhs = termArith();
    while (peek().is("&") && !peek().nl()) {
      next();
      lhs = call("and", lhs.loc(), lhs, termArith());
    }
    return lhs;
  }

  private Term termArith() {
    Term lhs = termFactor();
    while (peek().kind() == Token.Kind.PUNCT && ARITH.containsKey(peek().text()) && !peek().nl()) {
      String op = ARITH.get(next().text());
      lhs = call(op, lhs.loc(), lhs, termFactor());
    }
    return lhs;
  }

  private Term termFactor() {
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
  private boolean isAdjacent(Token n) {
    Token prev = toks.get(i - 1);
    return prev.pos() + prev.text().length() == n.pos();
  }

  private Term extend(Term t, Term op) {
    if (t instanceof Term.Ref r) {
      List<Term> p = new ArrayList<>(r.path());
      p.add(op);
      return new Term.Ref(r.head(), p, r.loc());
    }
    return new Term.Ref(t, List.of(op), t.loc());
  }

  private Term operand() {
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
          next();
          Term v = termRelation(false);
          if (!isKw("in")) {
            throw error("unexpected " + describe(peek()) + " token: expected in");
          }
          next();
          inner = call("internal.member_3", inner.loc(), inner, v, termRelation(false));
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

  private boolean isAdjacentSuffix(Token t) {
    Token n = peek();
    return (t.text().equals("true") || t.text().equals("false") || t.text().equals("null"))
        && (n.is(".") || n.is("["))
        && n.pos() == t.pos() + t.text().length();
  }

  private Term arrayOrCompr(Location l) {
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

  private Term braceTerm(Location l) {
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

  private List<Expr> comprBody(String close) {
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

  private Term template(Token t, Location l) {
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

  private static int matchBrace(String s, int start) {
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
