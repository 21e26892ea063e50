package io.maestro.rego.parser;

/** A lexical token; {@code nl} tells whether a line break preceded it. */
record Token(Kind kind, String text, int line, int col, int pos, boolean nl) {
  enum Kind {
    IDENT,
    NUMBER,
    STRING,
    RAW_STRING,
    TEMPLATE,
    RAW_TEMPLATE,
    PUNCT,
    EOF
  }

  boolean is(String punct) {
    return kind == Kind.PUNCT && text.equals(punct);
  }

  boolean isIdent(String word) {
    return kind == Kind.IDENT && text.equals(word);
  }
}
