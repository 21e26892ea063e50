package io.maestro.rego.builtins.graphql;

/**
 * GraphQL lexer with the token kinds, positions and error texts of gqlparser (the parser OPA
 * embeds): columns count code points, string tokens start after their opening quotes, and a lexing
 * problem becomes an {@code <Invalid>} token carrying its message.
 */
final class GqlLexer {

  enum Kind {
    INVALID("<Invalid>"),
    EOF("<EOF>"),
    BANG("!"),
    DOLLAR("$"),
    AMP("&"),
    PAREN_L("("),
    PAREN_R(")"),
    SPREAD("..."),
    COLON(":"),
    EQUALS("="),
    AT("@"),
    BRACKET_L("["),
    BRACKET_R("]"),
    BRACE_L("{"),
    BRACE_R("}"),
    PIPE("|"),
    NAME("Name"),
    INT("Int"),
    FLOAT("Float"),
    STRING("String"),
    BLOCK_STRING("BlockString");

    final String text;

    Kind(String text) {
      this.text = text;
    }
  }

  record Token(Kind kind, String value, int line, int column, String error) {
    /** gqlparser's Token.String(): valued kinds show their quoted value. */
    String describe() {
      return switch (kind) {
        case NAME, INT, FLOAT, STRING, BLOCK_STRING -> kind.text + " " + quote(value);
        default -> kind.text;
      };
    }
  }

  private final int[] cps;
  private int pos;
  private int line = 1;
  private int lineStart;

  GqlLexer(String input) {
    this.cps = input.codePoints().toArray();
  }

  private Token token(Kind kind, int start, String value) {
    return new Token(kind, value, line, start - lineStart + 1, null);
  }

  private Token error(String message) {
    return new Token(Kind.INVALID, "", line, pos - lineStart + 1, message);
  }

  Token next() {
    skipWhitespace();
    int start = pos;
    if (pos >= cps.length) {
      return token(Kind.EOF, start, "");
    }
    int c = cps[pos++];
    switch (c) {
      case '!':
        return token(Kind.BANG, start, "!");
      case '#':
        while (pos < cps.length && (cps[pos] > 0x1f || cps[pos] == '\t')) {
          pos++;
        }
        return next();
      case '$':
        return token(Kind.DOLLAR, start, "$");
      case '&':
        return token(Kind.AMP, start, "&");
      case '(':
        return token(Kind.PAREN_L, start, "(");
      case ')':
        return token(Kind.PAREN_R, start, ")");
      case '.':
        if (pos + 1 < cps.length && cps[pos] == '.' && cps[pos + 1] == '.') {
          pos += 2;
          return token(Kind.SPREAD, start, "...");
        }
        break;
      case ':':
        return token(Kind.COLON, start, ":");
      case '=':
        return token(Kind.EQUALS, start, "=");
      case '@':
        return token(Kind.AT, start, "@");
      case '[':
        return token(Kind.BRACKET_L, start, "[");
      case ']':
        return token(Kind.BRACKET_R, start, "]");
      case '{':
        return token(Kind.BRACE_L, start, "{");
      case '}':
        return token(Kind.BRACE_R, start, "}");
      case '|':
        return token(Kind.PIPE, start, "|");
      case '"':
        if (pos + 1 < cps.length && cps[pos] == '"' && cps[pos + 1] == '"') {
          return blockString(start);
        }
        return string(start);
      default:
        if (c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
          while (pos < cps.length && isNameChar(cps[pos])) {
            pos++;
          }
          return token(Kind.NAME, start, text(start, pos));
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
          pos--;
          return number(start);
        }
    }
    pos = start;
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      return error(String.format("Cannot contain the invalid character \"\\u%04d\"", c));
    }
    if (c == '\'') {
      return error(
          "Unexpected single quote character ('), did you mean to use a double quote (\")?");
    }
    return error("Cannot parse the unexpected character \"" + Character.toString(c) + "\".");
  }

  private static boolean isNameChar(int c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private void skipWhitespace() {
    while (pos < cps.length) {
      int c = cps[pos];
      if (c == '\t' || c == ' ' || c == ',' || c == 0xFEFF) {
        pos++;
      } else if (c == '\n') {
        pos++;
        line++;
        lineStart = pos;
      } else if (c == '\r') {
        pos++;
        if (pos < cps.length && cps[pos] == '\n') {
          pos++;
        }
        line++;
        lineStart = pos;
      } else {
        return;
      }
    }
  }

  private String text(int from, int to) {
    return new String(cps, from, to - from);
  }

  private int digits() {
    int n = 0;
    while (pos < cps.length && cps[pos] >= '0' && cps[pos] <= '9') {
      pos++;
      n++;
    }
    return n;
  }

  private String describeNext() {
    return pos < cps.length ? "\"" + Character.toString(cps[pos]) + "\"" : "<EOF>";
  }

  private Token number(int start) {
    boolean isFloat = false;
    if (pos < cps.length && cps[pos] == '-') {
      pos++;
    }
    if (pos < cps.length && cps[pos] == '0') {
      pos++;
      int consumed = digits();
      if (consumed != 0) {
        pos -= consumed;
        return error("Invalid number, unexpected digit after 0: " + describeNext() + ".");
      }
    } else if (digits() == 0) {
      return error("Invalid number, expected digit but got: " + describeNext() + ".");
    }
    if (pos < cps.length && cps[pos] == '.') {
      pos++;
      isFloat = true;
      if (digits() == 0) {
        return error("Invalid number, expected digit but got: " + describeNext() + ".");
      }
    }
    if (pos < cps.length && (cps[pos] == 'e' || cps[pos] == 'E')) {
      pos++;
      isFloat = true;
      if (pos < cps.length && (cps[pos] == '-' || cps[pos] == '+')) {
        pos++;
      }
      if (digits() == 0) {
        return error("Invalid number, expected digit but got: " + describeNext() + ".");
      }
    }
    return token(isFloat ? Kind.FLOAT : Kind.INT, start, text(start, pos));
  }

  private Token string(int quote) {
    int start = quote + 1;
    StringBuilder sb = new StringBuilder();
    while (pos < cps.length) {
      int c = cps[pos];
      if (c == '\n' || c == '\r') {
        break;
      }
      if (c < 0x20 && c != '\t') {
        return error(String.format("Invalid character within String: \"\\u%04d\".", c));
      }
      if (c == '"') {
        pos++;
        return new Token(Kind.STRING, sb.toString(), line, start - lineStart + 1, null);
      }
      if (c == '\\') {
        if (pos + 1 >= cps.length) {
          pos++;
          return error("Invalid character escape sequence.");
        }
        int esc = cps[pos + 1];
        if (esc == 'u') {
          if (pos + 6 > cps.length) {
            pos++;
            return error("Invalid character escape sequence: \\" + text(pos, cps.length) + ".");
          }
          String hex = text(pos + 2, pos + 6);
          if (!hex.matches("[0-9a-fA-F]{4}")) {
            pos++;
            return error("Invalid character escape sequence: \\" + text(pos, pos + 5) + ".");
          }
          sb.appendCodePoint(Integer.parseInt(hex, 16));
          pos += 6;
          continue;
        }
        switch (esc) {
          case '"', '/', '\\' -> sb.appendCodePoint(esc);
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          default -> {
            pos++;
            return error("Invalid character escape sequence: \\" + Character.toString(esc) + ".");
          }
        }
        pos += 2;
        continue;
      }
      sb.appendCodePoint(c);
      pos++;
    }
    return error("Unterminated string.");
  }

  private Token blockString(int quote) {
    int start = quote + 3;
    int startLine = line;
    int startCol = start - lineStart + 1;
    pos += 2;
    StringBuilder sb = new StringBuilder();
    while (pos < cps.length) {
      int c = cps[pos];
      if (c == '"' && pos + 2 < cps.length && cps[pos + 1] == '"' && cps[pos + 2] == '"') {
        pos += 3;
        return new Token(Kind.BLOCK_STRING, blockValue(sb.toString()), startLine, startCol, null);
      }
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        return error(String.format("Invalid character within String: \"\\u%04d\".", c));
      }
      if (c == '\\'
          && pos + 3 < cps.length
          && cps[pos + 1] == '"'
          && cps[pos + 2] == '"'
          && cps[pos + 3] == '"') {
        sb.append("\"\"\"");
        pos += 4;
      } else if (c == '\r' || c == '\n') {
        if (c == '\r' && pos + 1 < cps.length && cps[pos + 1] == '\n') {
          pos++;
        }
        sb.append('\n');
        pos++;
        line++;
        lineStart = pos;
      } else {
        sb.appendCodePoint(c);
        pos++;
      }
    }
    return error("Unterminated string.");
  }

  /** The spec's BlockStringValue: common indentation and blank edge lines removed. */
  static String blockValue(String raw) {
    String[] lines = raw.split("\n", -1);
    int common = Integer.MAX_VALUE;
    for (int i = 1; i < lines.length; i++) {
      String l = lines[i];
      int indent = 0;
      while (indent < l.length() && (l.charAt(indent) == ' ' || l.charAt(indent) == '\t')) {
        indent++;
      }
      if (indent < l.length() && indent < common) {
        common = indent;
      }
    }
    java.util.List<String> out = new java.util.ArrayList<>(java.util.Arrays.asList(lines));
    if (common != Integer.MAX_VALUE) {
      for (int i = 1; i < out.size(); i++) {
        String l = out.get(i);
        out.set(i, l.length() >= common ? l.substring(common) : "");
      }
    }
    while (!out.isEmpty() && out.get(0).isBlank()) {
      out.remove(0);
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isBlank()) {
      out.remove(out.size() - 1);
    }
    return String.join("\n", out);
  }

  /** Go's strconv.Quote for the common characters. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
