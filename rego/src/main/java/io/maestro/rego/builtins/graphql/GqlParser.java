package io.maestro.rego.builtins.graphql;

import io.maestro.rego.builtins.graphql.GqlLexer.Kind;
import io.maestro.rego.builtins.graphql.GqlLexer.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for GraphQL query and schema documents, following gqlparser's grammar
 * decisions and error messages (the first error wins; its position is reported).
 */
class GqlParser {

  /** A syntax error with gqlparser's message and position. */
  static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;
    final int line;
    final int column;

    SyntaxError(String message, int line, int column) {
      super(message, null, false, false);
      this.line = line;
      this.column = column;
    }
  }

  private final GqlLexer lexer;
  private Token peeked;
  Token prev;
  SyntaxError err;

  GqlParser(String input) {
    this.lexer = new GqlLexer(input);
  }

  static Node parseQuery(String input) throws SyntaxError {
    GqlParser p = new GqlParser(input);
    Node doc = p.queryDocument();
    if (p.err != null) {
      throw p.err;
    }
    return doc;
  }

  static Node parseSchema(String input) throws SyntaxError {
    return GqlSchemaParser.parse(input);
  }

  // ---- token plumbing ----

  Token peek() {
    if (err != null) {
      return prev != null ? prev : new Token(Kind.EOF, "", 0, 0, null);
    }
    if (peeked == null) {
      peeked = lexer.next();
    }
    return peeked;
  }

  Token next() {
    if (err != null) {
      return prev != null ? prev : new Token(Kind.EOF, "", 0, 0, null);
    }
    Token t = peek();
    peeked = null;
    prev = t;
    if (t.kind() == Kind.INVALID) {
      error(t, t.error());
    }
    return t;
  }

  void error(Token at, String message) {
    if (err == null) {
      err = new SyntaxError(message, at.line(), at.column());
    }
  }

  Token expect(Kind kind) {
    Token t = peek();
    if (t.kind() == kind) {
      return next();
    }
    error(t, "Expected " + kind.text + ", found " + t.kind().text);
    return t;
  }

  Token expectKeyword(String value) {
    Token t = peek();
    if (t.kind() == Kind.NAME && t.value().equals(value)) {
      return next();
    }
    error(t, "Expected " + GqlLexer.quote(value) + ", found " + t.describe());
    return t;
  }

  boolean skip(Kind kind) {
    if (err != null || peek().kind() != kind) {
      return false;
    }
    next();
    return true;
  }

  void unexpected() {
    unexpected(peek());
  }

  void unexpected(Token t) {
    error(t, "Unexpected " + t.describe());
  }

  /** Optional bracketed list, possibly empty. */
  void many(Kind start, Kind end, Runnable item) {
    if (!skip(start)) {
      return;
    }
    while (peek().kind() != end && err == null) {
      item.run();
    }
    next();
  }

  /** Optional bracketed list that must not be empty. */
  void some(Kind start, Kind end, Runnable item) {
    if (!skip(start)) {
      return;
    }
    boolean called = false;
    while (peek().kind() != end && err == null) {
      called = true;
      item.run();
    }
    if (!called) {
      error(peek(), "expected at least one definition, found " + peek().kind().text);
      return;
    }
    next();
  }

  String name() {
    return expect(Kind.NAME).value();
  }

  // ---- executable documents ----

  private Node queryDocument() {
    Node doc = new Node();
    List<Object> ops = new ArrayList<>();
    List<Object> frags = new ArrayList<>();
    while (peek().kind() != Kind.EOF && err == null) {
      Token t = peek();
      if (t.kind() == Kind.NAME) {
        switch (t.value()) {
          case "query", "mutation", "subscription" -> ops.add(operation());
          case "fragment" -> frags.add(fragmentDefinition());
          default -> unexpected();
        }
      } else if (t.kind() == Kind.BRACE_L) {
        ops.add(operation());
      } else {
        unexpected();
      }
    }
    doc.put("Operations", ops);
    doc.put("Fragments", frags);
    return doc;
  }

  private Node operation() {
    Token start = peek();
    Node op = new Node().at(start);
    if (start.kind() == Kind.BRACE_L) {
      op.put("Operation", "query");
      op.put("Name", "");
      op.put("SelectionSet", requiredSelectionSet());
      return op;
    }
    op.put("Operation", operationType());
    op.put("Name", peek().kind() == Kind.NAME ? next().value() : "");
    op.put("VariableDefinitions", variableDefinitions());
    op.put("Directives", directives(false));
    op.put("SelectionSet", requiredSelectionSet());
    return op;
  }

  String operationType() {
    Token t = next();
    switch (t.value()) {
      case "query", "mutation", "subscription":
        return t.value();
      default:
        unexpected(t);
        return "";
    }
  }

  private List<Object> variableDefinitions() {
    List<Object> defs = new ArrayList<>();
    many(Kind.PAREN_L, Kind.PAREN_R, () -> defs.add(variableDefinition()));
    return defs;
  }

  private Node variableDefinition() {
    Node def = new Node().at(peek());
    def.put("Variable", variable());
    expect(Kind.COLON);
    def.put("Type", typeReference());
    if (skip(Kind.EQUALS)) {
      def.put("DefaultValue", value(true));
    }
    def.put("Directives", directives(false));
    def.put("Used", false);
    return def;
  }

  private String variable() {
    expect(Kind.DOLLAR);
    return name();
  }

  private List<Object> requiredSelectionSet() {
    if (peek().kind() != Kind.BRACE_L) {
      error(peek(), "Expected {, found " + peek().kind().text);
      return List.of();
    }
    List<Object> sels = new ArrayList<>();
    some(Kind.BRACE_L, Kind.BRACE_R, () -> sels.add(selection()));
    return sels;
  }

  private Object selection() {
    if (peek().kind() == Kind.SPREAD) {
      return fragment();
    }
    Node f = new Node().at(peek());
    String alias = name();
    f.put("Alias", alias);
    f.put("Name", skip(Kind.COLON) ? name() : alias);
    f.put("Arguments", arguments(false));
    f.put("Directives", directives(false));
    if (peek().kind() == Kind.BRACE_L) {
      List<Object> sels = new ArrayList<>();
      some(Kind.BRACE_L, Kind.BRACE_R, () -> sels.add(selection()));
      f.put("SelectionSet", sels);
    }
    return f;
  }

  private List<Object> arguments(boolean isConst) {
    List<Object> args = new ArrayList<>();
    many(
        Kind.PAREN_L,
        Kind.PAREN_R,
        () -> {
          Node a = new Node().at(peek());
          a.put("Name", name());
          expect(Kind.COLON);
          a.put("Value", value(isConst));
          args.add(a);
        });
    return args;
  }

  private Node fragment() {
    Token spread = expect(Kind.SPREAD);
    Token t = peek();
    if (t.kind() == Kind.NAME && !t.value().equals("on")) {
      Node s = new Node().at(spread);
      s.put("Name", fragmentName());
      s.put("Directives", directives(false));
      return s;
    }
    Node f = new Node().at(spread);
    f.put("TypeCondition", "");
    if (peek().value().equals("on")) {
      next();
      f.put("TypeCondition", name());
    }
    f.put("Directives", directives(false));
    f.put("SelectionSet", requiredSelectionSet());
    return f;
  }

  private Node fragmentDefinition() {
    Node def = new Node().at(peek());
    expectKeyword("fragment");
    def.put("Name", fragmentName());
    def.put("VariableDefinition", variableDefinitions());
    expectKeyword("on");
    def.put("TypeCondition", name());
    def.put("Directives", directives(false));
    def.put("SelectionSet", requiredSelectionSet());
    return def;
  }

  private String fragmentName() {
    if (peek().value().equals("on")) {
      unexpected();
      return "";
    }
    return name();
  }

  /** gqlparser's ValueKind numbers. */
  static final int VARIABLE = 0;

  static final int INT = 1;
  static final int FLOAT = 2;
  static final int STRING = 3;
  static final int BLOCK = 4;
  static final int BOOLEAN = 5;
  static final int NULL = 6;
  static final int ENUM = 7;
  static final int LIST = 8;
  static final int OBJECT = 9;

  private static Node valueNode(String raw, int kind, Token at) {
    return new Node()
        .at(at)
        .with("Raw", raw)
        .with("Kind", kind)
        .with("ExpectedTypeHasDefault", false);
  }

  Node value(boolean isConst) {
    Token t = peek();
    int kind;
    switch (t.kind()) {
      case BRACKET_L -> {
        List<Object> children = new ArrayList<>();
        many(
            Kind.BRACKET_L,
            Kind.BRACKET_R,
            () -> children.add(new Node().with("Name", "").with("Value", value(isConst))));
        return valueNode("", LIST, t).with("Children", children);
      }
      case BRACE_L -> {
        List<Object> children = new ArrayList<>();
        many(
            Kind.BRACE_L,
            Kind.BRACE_R,
            () -> {
              Node c = new Node().at(peek());
              c.put("Name", name());
              expect(Kind.COLON);
              c.put("Value", value(isConst));
              children.add(c);
            });
        return valueNode("", OBJECT, t).with("Children", children);
      }
      case DOLLAR -> {
        if (isConst) {
          unexpected();
          return null;
        }
        return valueNode(variable(), VARIABLE, t);
      }
      case INT -> kind = INT;
      case FLOAT -> kind = FLOAT;
      case STRING -> kind = STRING;
      case BLOCK_STRING -> kind = BLOCK;
      case NAME ->
          kind =
              switch (t.value()) {
                case "true", "false" -> BOOLEAN;
                case "null" -> NULL;
                default -> ENUM;
              };
      default -> {
        unexpected();
        return null;
      }
    }
    next();
    return valueNode(t.value(), kind, t);
  }

  List<Object> directives(boolean isConst) {
    List<Object> out = new ArrayList<>();
    while (peek().kind() == Kind.AT && err == null) {
      Token at = expect(Kind.AT);
      Node d = new Node().at(at);
      d.put("Name", name());
      d.put("Arguments", arguments(isConst));
      d.put("Location", "");
      out.add(d);
    }
    return out;
  }

  Node typeReference() {
    Node t = new Node().at(peek());
    if (skip(Kind.BRACKET_L)) {
      t.put("NamedType", "");
      t.put("Elem", typeReference());
      expect(Kind.BRACKET_R);
    } else {
      t.put("NamedType", name());
    }
    t.put("NonNull", skip(Kind.BANG));
    return t;
  }
}
