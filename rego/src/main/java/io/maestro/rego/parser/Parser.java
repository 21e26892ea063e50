package io.maestro.rego.parser;

import io.maestro.rego.RegoException;
import io.maestro.rego.ast.Expr;
import io.maestro.rego.ast.Location;
import io.maestro.rego.ast.Module;
import io.maestro.rego.ast.Rule;
import io.maestro.rego.ast.Term;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.StringValue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A recursive-descent parser for Rego v1 modules, queries and terms. */
public final class Parser extends TermParser {
  Parser(String src, String file, int lineOffset, int colOffset, AtomicInteger wildcards) {
    super(src, file, lineOffset, colOffset, wildcards);
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

  @Override
  Expr literal() {
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

  @Override
  Expr withs(Expr e) {
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
      lhs = membership(lhs);
    }
    if (peek().is(":=")) {
      next();
      return new Expr.Assign(lhs, termIn(false));
    }
    if (peek().is("=")) {
      next();
      return new Expr.Unify(lhs, termIn(false));
    }
    // eq(a, b) and assign(a, b) are the builtins behind "=" and ":=": OPA reads them the same way.
    if (lhs instanceof Term.Call c
        && c.operator() instanceof Term.Var op
        && c.args().size() == 2
        && (op.name().equals("eq") || op.name().equals("assign"))) {
      return op.name().equals("eq")
          ? new Expr.Unify(c.args().get(0), c.args().get(1))
          : new Expr.Assign(c.args().get(0), c.args().get(1));
    }
    return new Expr.TermExpr(lhs);
  }
}
