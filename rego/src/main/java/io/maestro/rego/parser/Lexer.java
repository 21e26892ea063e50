package io.maestro.rego.parser;

import io.maestro.rego.RegoException;
import io.maestro.rego.ast.Location;
import java.util.ArrayList;
import java.util.List;

/** Splits Rego source into tokens. String literals keep their raw text (quotes included). */
final class Lexer {
  private static final String[] PUNCTS = {
    ":=", "==", "!=", "<=", ">=", "{", "}", "[", "]", "(", ")", ".", ",", ";", ":", "=", "<", ">",
    "+", "-", "*", "/", "%", "|", "&"
  };

  private final String src;
  private final String file;
  private final int lineOffset;
  private final int colOffset;
  private int pos;
  private int line = 1;
  private int lineStart;
  final List<String> comments = new ArrayList<>();
  final List<Integer> commentLines = new ArrayList<>();

  Lexer(String src, String file, int lineOffset, int colOffset) {
    this.src = src;
    this.file = file;
    this.lineOffset = lineOffset;
    this.colOffset = colOffset;
  }

  private Location here() {
    return new Location(file, line + lineOffset, pos - lineStart + 1 + (line == 1 ? colOffset : 0));
  }

  List<Token> tokenize() {
    List<Token> out = new ArrayList<>();
    boolean nl = true;
    while (true) {
      // skip whitespace and comments
      while (pos < src.length()) {
        char c = src.charAt(pos);
        if (c == '\n') {
          nl = true;
          pos++;
          line++;
          lineStart = pos;
        } else if (c == ' ' || c == '\t' || c == '\r') {
          pos++;
        } else if (c == '#') {
          int start = pos;
          while (pos < src.length() && src.charAt(pos) != '\n') {
            pos++;
          }
          comments.add(src.substring(start + 1, pos));
          commentLines.add(line + lineOffset);
        } else {
          break;
        }
      }
      int tl = line + lineOffset;
      int tc = pos - lineStart + 1 + (line == 1 ? colOffset : 0);
      if (pos >= src.length()) {
        out.add(new Token(Token.Kind.EOF, "", tl, tc, pos, nl));
        return out;
      }
      int start = pos;
      char c = src.charAt(pos);
      Token.Kind kind;
      if (Character.isLetter(c) || c == '_') {
        while (pos < src.length()
            && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
          pos++;
        }
        kind = Token.Kind.IDENT;
      } else if (Character.isDigit(c)) {
        lexNumber();
        kind = Token.Kind.NUMBER;
      } else if (c == '"') {
        lexString();
        kind = Token.Kind.STRING;
      } else if (c == '`') {
        lexRaw();
        kind = Token.Kind.RAW_STRING;
      } else if (c == '$' && pos + 1 < src.length() && src.charAt(pos + 1) == '"') {
        pos++;
        lexTemplate();
        kind = Token.Kind.TEMPLATE;
      } else if (c == '$' && pos + 1 < src.length() && src.charAt(pos + 1) == '`') {
        pos++;
        lexRawTemplate();
        kind = Token.Kind.RAW_TEMPLATE;
      } else {
        String p = null;
        for (String cand : PUNCTS) {
          if (src.startsWith(cand, pos)) {
            p = cand;
            break;
          }
        }
        if (p == null) {
          throw RegoException.parse("illegal token", here());
        }
        pos += p.length();
        kind = Token.Kind.PUNCT;
      }
      out.add(new Token(kind, src.substring(start, pos), tl, tc, start, nl));
      nl = false;
    }
  }

  private void lexNumber() {
    while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
      pos++;
    }
    if (pos + 1 < src.length()
        && src.charAt(pos) == '.'
        && Character.isDigit(src.charAt(pos + 1))) {
      pos++;
      while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
        pos++;
      }
    }
    if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
      int save = pos;
      pos++;
      if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
        pos++;
      }
      if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
          pos++;
        }
      } else {
        pos = save;
      }
    }
  }

  private void lexString() {
    pos++;
    while (true) {
      if (pos >= src.length() || src.charAt(pos) == '\n') {
        throw RegoException.parse("non-terminated string", here());
      }
      char c = src.charAt(pos);
      if (c == '\\') {
        pos += 2;
        continue;
      }
      pos++;
      if (c == '"') {
        return;
      }
    }
  }

  private void lexRaw() {
    pos++;
    while (true) {
      if (pos >= src.length()) {
        throw RegoException.parse("non-terminated raw string", here());
      }
      char c = src.charAt(pos++);
      if (c == '\n') {
        line++;
        lineStart = pos;
      }
      if (c == '`') {
        return;
      }
    }
  }

  private void lexTemplate() {
    pos++; // opening quote
    while (true) {
      if (pos >= src.length() || src.charAt(pos) == '\n') {
        throw RegoException.parse("non-terminated template string", here());
      }
      char c = src.charAt(pos);
      if (c == '\\') {
        pos += 2;
        continue;
      }
      if (c == '{') {
        skipTemplateExpr();
        continue;
      }
      pos++;
      if (c == '"') {
        return;
      }
    }
  }

  private void lexRawTemplate() {
    pos++;
    while (true) {
      if (pos >= src.length()) {
        throw RegoException.parse("non-terminated template string", here());
      }
      char c = src.charAt(pos);
      if (c == '\\' && pos + 1 < src.length() && src.charAt(pos + 1) == '{') {
        pos += 2;
        continue;
      }
      if (c == '{') {
        skipTemplateExpr();
        continue;
      }
      pos++;
      if (c == '\n') {
        line++;
        lineStart = pos;
      }
      if (c == '`') {
        return;
      }
    }
  }

  /** Skips a balanced {...} inside a template, honouring nested strings and templates. */
  private void skipTemplateExpr() {
    int depth = 0;
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == '{') {
        depth++;
        pos++;
      } else if (c == '}') {
        depth--;
        pos++;
        if (depth == 0) {
          return;
        }
      } else if (c == '"') {
        lexString();
      } else if (c == '`') {
        lexRaw();
      } else if (c == '$' && pos + 1 < src.length() && src.charAt(pos + 1) == '"') {
        pos++;
        lexTemplate();
      } else if (c == '$' && pos + 1 < src.length() && src.charAt(pos + 1) == '`') {
        pos++;
        lexRawTemplate();
      } else {
        if (c == '\n') {
          line++;
          lineStart = pos + 1;
        }
        pos++;
      }
    }
    throw RegoException.parse("non-terminated template expression", here());
  }
}
