package io.maestro.rego.parser;

import io.maestro.rego.RegoException;
import io.maestro.rego.ast.Location;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Token access shared by the parsers: lookahead, expectations and OPA-style parse errors. */
abstract class TokenStream {
  final String src;
  final String file;
  final List<Token> toks;
  final Lexer lexer;
  final AtomicInteger wildcards;
  int i;

  TokenStream(String src, String file, int lineOffset, int colOffset, AtomicInteger wildcards) {
    this.src = src;
    this.file = file;
    this.lexer = new Lexer(src, file, lineOffset, colOffset);
    this.toks = lexer.tokenize();
    this.wildcards = wildcards;
  }

  // ---------------------------------------------------------------- token helpers

  Token peek() {
    return toks.get(i);
  }

  Token peek(int k) {
    return toks.get(Math.min(i + k, toks.size() - 1));
  }

  Token next() {
    Token t = toks.get(i);
    if (t.kind() != Token.Kind.EOF) {
      i++;
    }
    return t;
  }

  Location loc(Token t) {
    return new Location(file, t.line(), t.col());
  }

  RegoException error(String msg) {
    return RegoException.parse(msg, loc(peek()));
  }

  String describe(Token t) {
    return switch (t.kind()) {
      case EOF -> "eof";
      case IDENT -> "ident";
      case NUMBER -> "number";
      case STRING, RAW_STRING, TEMPLATE, RAW_TEMPLATE -> "string";
      case PUNCT -> t.text();
    };
  }

  /** True when the token at offset k is a keyword used as a ref head (`every.x`, `false[0]`). */
  boolean keywordAsRef(int k) {
    Token t = peek(k);
    Token n = peek(k + 1);
    return (n.is(".") || n.is("[")) && n.pos() == t.pos() + t.text().length();
  }

  /** The next token is the keyword (not an ident used as a ref head like `if.foo`). */
  boolean isKw(String word) {
    return peek().isIdent(word) && !keywordAsRef(0);
  }

  Token expect(String punct) {
    if (!peek().is(punct)) {
      throw error("unexpected " + describe(peek()) + " token: expected " + punct);
    }
    return next();
  }

  Token expectIdent() {
    if (peek().kind() != Token.Kind.IDENT) {
      throw error("unexpected " + describe(peek()) + " token: expected ident");
    }
    return next();
  }
}
