package io.maestro.rego.builtins.text;

import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.value.ObjectValue;
import java.util.ArrayList;
import java.util.List;

/**
 * A parser for Go's text/template language, as strings.render_template uses it: text, actions with
 * pipelines, variables, {@code if}/{@code else if}/{@code else}, {@code range} (with {@code
 * break}/{@code continue}), {@code with}, comments and the {@code {{-}} / {@code -}}} trim markers.
 * {@link TemplateRunner} executes the parsed tree.
 */
final class GoTemplate {
  static final String BUILTIN = "strings.render_template";

  private GoTemplate() {}

  /** Parses and executes {@code template} with {@code vars} as its data ({@code .}). */
  static String render(String template, ObjectValue vars) {
    List<Node> tree = new Parser(template).parse();
    return new TemplateRunner(vars).run(tree);
  }

  // ---- tree ----

  sealed interface Node permits Text, Action, If, Range, With, Break, Continue {}

  record Text(String text) implements Node {}

  record Action(Pipeline pipe) implements Node {}

  record If(Pipeline cond, List<Node> then, List<Node> otherwise) implements Node {}

  record Range(Pipeline pipe, List<Node> body, List<Node> otherwise) implements Node {}

  record With(Pipeline pipe, List<Node> body, List<Node> otherwise) implements Node {}

  record Break() implements Node {}

  record Continue() implements Node {}

  /** A pipeline: optional variable declarations, then commands joined by '|'. */
  record Pipeline(List<String> decl, boolean assign, List<List<Arg>> commands) {}

  sealed interface Arg permits Field, Variable, Literal, Ident, Sub, Dot {}

  /** A field chain on a receiver: {@code .a.b} (receiver dot) or {@code (x).a}. */
  record Field(Arg receiver, List<String> names) implements Arg {}

  record Variable(String name, List<String> names) implements Arg {}

  record Literal(Object value) implements Arg {}

  record Ident(String name) implements Arg {}

  record Sub(Pipeline pipe) implements Arg {}

  record Dot() implements Arg {}

  static BuiltinException error(String message) {
    return BuiltinException.error(BUILTIN, "template: template:" + message);
  }

  // ---- parser ----

  private static final class Parser {
    private final String src;
    private int pos;
    private int line = 1;
    private boolean trimNextText;

    Parser(String src) {
      this.src = src;
    }

    List<Node> parse() {
      List<Node> out = new ArrayList<>();
      String end = parseList(out, 0);
      if (end != null) {
        throw error(line + ": unexpected {{" + end + "}}");
      }
      return out;
    }

    /** Parses nodes until {{end}} / {{else}}; returns that keyword (or null at EOF). */
    private String parseList(List<Node> out, int depth) {
      while (true) {
        int open = src.indexOf("{{", pos);
        String text = open < 0 ? src.substring(pos) : src.substring(pos, open);
        boolean trimLeft = open >= 0 && src.startsWith("{{- ", open);
        if (trimNextText) {
          text = stripLeading(text);
        }
        if (trimLeft) {
          text = stripTrailing(text);
        }
        trimNextText = false;
        if (!text.isEmpty()) {
          out.add(new Text(text));
        }
        if (open < 0) {
          pos = src.length();
          return null;
        }
        countLines(pos, open);
        int start = open + (trimLeft ? 4 : 2);
        int close = findClose(start);
        if (close < 0) {
          throw error(line + ": unclosed action");
        }
        boolean trimRight = close - 2 >= start && src.startsWith(" -}}", close - 2);
        String body = src.substring(start, trimRight ? close - 1 : close);
        countLines(open, close);
        pos = close + 2;
        trimNextText = trimRight;
        String trimmed = body.strip();
        if (trimmed.startsWith("/*")) {
          if (!trimmed.endsWith("*/")) {
            throw error(line + ": unclosed comment");
          }
          continue;
        }
        List<Token> toks = new Lexer(body, line).lex();
        if (toks.isEmpty()) {
          throw error(line + ": missing value for command");
        }
        String kw = toks.get(0).kind == 'k' ? toks.get(0).text : null;
        if (kw == null) {
          out.add(new Action(new ArgParser(toks, line).pipeline(true)));
          continue;
        }
        switch (kw) {
          case "end" -> {
            return "end";
          }
          case "else" -> {
            if (toks.size() > 1) {
              // "else if ..." / "else with ...": remember the rest for the caller
              pendingElse = toks.subList(1, toks.size());
              return "else-chain";
            }
            return "else";
          }
          case "if", "with", "range" -> out.add(control(kw, toks.subList(1, toks.size()), depth));
          case "break" -> out.add(new Break());
          case "continue" -> out.add(new Continue());
          default -> throw error(line + ": " + kw + " is not supported");
        }
      }
    }

    private List<Token> pendingElse;

    private Node control(String kw, List<Token> rest, int depth) {
      Pipeline pipe = new ArgParser(rest, line).pipeline(true);
      List<Node> body = new ArrayList<>();
      String end = parseList(body, depth + 1);
      List<Node> otherwise = List.of();
      if ("else".equals(end)) {
        List<Node> e = new ArrayList<>();
        if (!"end".equals(parseList(e, depth + 1))) {
          throw error(line + ": expected end; found EOF");
        }
        otherwise = e;
      } else if ("else-chain".equals(end)) {
        List<Token> chain = pendingElse;
        pendingElse = null;
        String chainKw = chain.get(0).text;
        if (!chain.get(0).text.equals("if") && !chain.get(0).text.equals("with")) {
          throw error(line + ": unexpected " + chainKw + " in else");
        }
        // The chained branch consumes the shared {{end}}.
        otherwise = List.of(control(chainKw, chain.subList(1, chain.size()), depth));
      } else if (!"end".equals(end)) {
        throw error(line + ": unexpected EOF");
      }
      return switch (kw) {
        case "if" -> new If(pipe, List.copyOf(body), otherwise);
        case "with" -> new With(pipe, List.copyOf(body), otherwise);
        default -> new Range(pipe, List.copyOf(body), otherwise);
      };
    }

    private int findClose(int from) {
      int i = from;
      while (i < src.length()) {
        char c = src.charAt(i);
        if (c == '"' || c == '`' || c == '\'') {
          int j = i + 1;
          while (j < src.length() && src.charAt(j) != c) {
            j += (src.charAt(j) == '\\' && c != '`') ? 2 : 1;
          }
          i = j + 1;
          continue;
        }
        if (src.startsWith("}}", i)) {
          return i;
        }
        i++;
      }
      return -1;
    }

    private void countLines(int from, int to) {
      for (int i = from; i < to && i < src.length(); i++) {
        if (src.charAt(i) == '\n') {
          line++;
        }
      }
    }

    private static String stripLeading(String s) {
      int i = 0;
      while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
        i++;
      }
      return s.substring(i);
    }

    private static String stripTrailing(String s) {
      int i = s.length();
      while (i > 0 && " \t\r\n".indexOf(s.charAt(i - 1)) >= 0) {
        i--;
      }
      return s.substring(0, i);
    }
  }

  // ---- action lexer ----

  /**
   * A token: kind is one of k(keyword) i(ident) f(field) c(field chained to the previous operand)
   * v(variable) s(string) n(number) p(punct).
   */
  record Token(char kind, String text) {}

  private static final class Lexer {
    private static final List<String> KEYWORDS =
        List.of(
            "if",
            "else",
            "end",
            "range",
            "with",
            "define",
            "template",
            "block",
            "break",
            "continue");
    private final String s;
    private final int line;
    private int i;

    Lexer(String s, int line) {
      this.s = s;
      this.line = line;
    }

    List<Token> lex() {
      List<Token> out = new ArrayList<>();
      while (i < s.length()) {
        char c = s.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
        } else if (c == ':' && i + 1 < s.length() && s.charAt(i + 1) == '=') {
          out.add(new Token('p', ":="));
          i += 2;
        } else if ("()|=,".indexOf(c) >= 0) {
          out.add(new Token('p', String.valueOf(c)));
          i++;
        } else if (c == '"') {
          int j = i + 1;
          StringBuilder sb = new StringBuilder();
          while (j < s.length() && s.charAt(j) != '"') {
            char d = s.charAt(j);
            if (d == '\\' && j + 1 < s.length()) {
              char e = s.charAt(j + 1);
              sb.append(
                  switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    default -> e;
                  });
              j += 2;
            } else {
              sb.append(d);
              j++;
            }
          }
          if (j >= s.length()) {
            throw error(line + ": unterminated quoted string");
          }
          out.add(new Token('s', sb.toString()));
          i = j + 1;
        } else if (c == '`') {
          int j = s.indexOf('`', i + 1);
          if (j < 0) {
            throw error(line + ": unterminated raw quoted string");
          }
          out.add(new Token('s', s.substring(i + 1, j)));
          i = j + 1;
        } else if (c == '.' || c == '$') {
          int j = i + 1;
          while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
            j++;
          }
          String word = s.substring(i, j);
          if (c == '.' && word.length() > 1 && Character.isDigit(word.charAt(1))) {
            j = number(i);
            out.add(new Token('n', s.substring(i, j)));
          } else {
            boolean chained =
                c == '.'
                    && i > 0
                    && !Character.isWhitespace(s.charAt(i - 1))
                    && "(|,=".indexOf(s.charAt(i - 1)) < 0;
            out.add(new Token(c == '$' ? 'v' : chained ? 'c' : 'f', word));
          }
          i = j;
        } else if (Character.isDigit(c) || c == '-' || c == '+') {
          int j = number(i);
          out.add(new Token('n', s.substring(i, j)));
          i = j;
        } else if (Character.isLetter(c) || c == '_') {
          int j = i;
          while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
            j++;
          }
          String word = s.substring(i, j);
          out.add(new Token(KEYWORDS.contains(word) ? 'k' : 'i', word));
          i = j;
        } else {
          throw error(line + ": unexpected \"" + c + "\" in command");
        }
      }
      return out;
    }

    private int number(int from) {
      int j = from + 1;
      while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '.')) {
        j++;
      }
      return j;
    }
  }

  // ---- pipeline parser ----

  private static final class ArgParser {
    private final List<Token> toks;
    private final int line;
    private int i;

    ArgParser(List<Token> toks, int line) {
      this.toks = toks;
      this.line = line;
    }

    Pipeline pipeline(boolean top) {
      List<String> decl = new ArrayList<>();
      boolean assign = false;
      // declarations: $x := / $x = / $i, $v :=
      int save = i;
      while (i < toks.size() && toks.get(i).kind == 'v') {
        decl.add(toks.get(i).text);
        i++;
        if (i < toks.size() && toks.get(i).text.equals(",") && toks.get(i).kind == 'p') {
          i++;
          continue;
        }
        break;
      }
      if (!decl.isEmpty()
          && i < toks.size()
          && toks.get(i).kind == 'p'
          && (toks.get(i).text.equals(":=") || toks.get(i).text.equals("="))) {
        assign = toks.get(i).text.equals("=");
        i++;
      } else {
        decl.clear();
        i = save;
      }
      List<List<Arg>> commands = new ArrayList<>();
      List<Arg> cmd = new ArrayList<>();
      while (i < toks.size()) {
        Token t = toks.get(i);
        if (t.kind == 'p' && t.text.equals(")")) {
          if (top) {
            throw error(line + ": unexpected right paren");
          }
          break;
        }
        if (t.kind == 'p' && t.text.equals("|")) {
          if (cmd.isEmpty()) {
            throw error(line + ": missing value for command");
          }
          commands.add(List.copyOf(cmd));
          cmd = new ArrayList<>();
          i++;
          continue;
        }
        cmd.add(operand());
      }
      if (cmd.isEmpty()) {
        throw error(line + ": missing value for command");
      }
      commands.add(List.copyOf(cmd));
      return new Pipeline(List.copyOf(decl), assign, List.copyOf(commands));
    }

    private Arg operand() {
      Token t = toks.get(i++);
      Arg base =
          switch (t.kind) {
            case 'f', 'c' -> t.text.equals(".") ? new Dot() : fieldChain(new Dot(), t.text);
            case 'v' -> {
              List<String> names = new ArrayList<>();
              while (i < toks.size() && toks.get(i).kind == 'c') {
                names.add(toks.get(i++).text.substring(1));
              }
              yield new Variable(t.text, List.copyOf(names));
            }
            case 's' -> new Literal(t.text);
            case 'n' -> new Literal(number(t.text));
            case 'i' ->
                switch (t.text) {
                  case "true" -> new Literal(Boolean.TRUE);
                  case "false" -> new Literal(Boolean.FALSE);
                  case "nil" -> new Literal(null);
                  default -> new Ident(t.text);
                };
            case 'p' -> {
              if (!t.text.equals("(")) {
                throw error(line + ": unexpected \"" + t.text + "\" in operand");
              }
              Pipeline p = pipeline(false);
              if (i >= toks.size() || !toks.get(i).text.equals(")")) {
                throw error(line + ": unclosed left paren");
              }
              i++;
              yield new Sub(p);
            }
            default -> throw error(line + ": unexpected " + t.text + " in command");
          };
      if (base instanceof Sub && i < toks.size() && toks.get(i).kind == 'c') {
        List<String> names = new ArrayList<>();
        while (i < toks.size() && toks.get(i).kind == 'c') {
          names.add(toks.get(i++).text.substring(1));
        }
        return new Field(base, List.copyOf(names));
      }
      return base;
    }

    private Arg fieldChain(Arg receiver, String first) {
      List<String> names = new ArrayList<>();
      for (String part : first.substring(1).split("\\.", -1)) {
        names.add(part);
      }
      while (i < toks.size() && toks.get(i).kind == 'c') {
        names.add(toks.get(i++).text.substring(1));
      }
      return new Field(receiver, List.copyOf(names));
    }

    private Object number(String text) {
      try {
        if (text.matches("[+-]?\\d+")) {
          return Long.parseLong(text);
        }
        if (text.matches("[+-]?0[xX][0-9a-fA-F]+")) {
          return Long.decode(text);
        }
        return Double.parseDouble(text);
      } catch (NumberFormatException e) {
        throw error(line + ": illegal number syntax: \"" + text + "\"");
      }
    }
  }
}
