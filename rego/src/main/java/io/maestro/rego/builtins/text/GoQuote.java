package io.maestro.rego.builtins.text;

/** Go's strconv quoting (Quote, QuoteToASCII, QuoteRune), used by sprintf's %q verb. */
final class GoQuote {
  private GoQuote() {}

  /** Quotes like strconv.Quote; {@code ascii} escapes every non-ASCII rune (QuoteToASCII). */
  static String quote(String s, boolean ascii, boolean backquote) {
    if (backquote && canBackquote(s)) {
      return "`" + s + "`";
    }
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      appendEscaped(sb, cp, '"', ascii);
    }
    return sb.append('"').toString();
  }

  /** Quotes a rune like strconv.QuoteRune. */
  static String quoteRune(int cp, boolean ascii) {
    StringBuilder sb = new StringBuilder().append('\'');
    appendEscaped(sb, cp, '\'', ascii);
    return sb.append('\'').toString();
  }

  private static boolean canBackquote(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '`' || c == '\uFEFF' || (c < ' ' && c != '\t') || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  private static void appendEscaped(StringBuilder sb, int cp, char quote, boolean ascii) {
    if (cp == quote || cp == '\\') {
      sb.append('\\').appendCodePoint(cp);
      return;
    }
    if (ascii ? (cp < 0x80 && isPrint(cp)) : isPrint(cp)) {
      sb.appendCodePoint(cp);
      return;
    }
    switch (cp) {
      case 0x07 -> sb.append("\\a");
      case '\b' -> sb.append("\\b");
      case '\f' -> sb.append("\\f");
      case '\n' -> sb.append("\\n");
      case '\r' -> sb.append("\\r");
      case '\t' -> sb.append("\\t");
      case 0x0b -> sb.append("\\v");
      default -> {
        if (cp < ' ' || cp == 0x7f) {
          sb.append(String.format("\\x%02x", cp));
        } else if (cp < 0x10000) {
          sb.append(String.format("\\u%04x", cp));
        } else {
          sb.append(String.format("\\U%08x", cp));
        }
      }
    }
  }

  /** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
  static boolean isPrint(int cp) {
    if (cp == ' ') {
      return true;
    }
    return switch (Character.getType(cp)) {
      case Character.UNASSIGNED,
          Character.CONTROL,
          Character.FORMAT,
          Character.PRIVATE_USE,
          Character.SURROGATE,
          Character.SPACE_SEPARATOR,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR ->
          false;
      default -> true;
    };
  }
}
