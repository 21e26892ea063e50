package io.maestro.rego.builtins.regex;

import com.google.re2j.Pattern;
import io.maestro.rego.builtins.BuiltinException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The glob language of gobwas/glob (what glob.match uses), compiled to an RE2 pattern: {@code *}
 * matches any run of non-delimiter characters, {@code **} any run at all, {@code ?} one
 * non-delimiter character, {@code [abc]}/{@code [a-z]} and their {@code [!...]} negations one
 * character, {@code {a,b}} alternatives, and a backslash escapes the next character.
 */
final class Glob {
  private static final String BUILTIN = "glob.match";
  private static final int CACHE_LIMIT = 1000;
  private static final ConcurrentHashMap<String, Pattern> CACHE = new ConcurrentHashMap<>();

  private Glob() {}

  static boolean match(String glob, List<Integer> delimiters, String input) {
    StringBuilder key = new StringBuilder(glob).append('\u0000');
    delimiters.forEach(key::appendCodePoint);
    Pattern p = CACHE.get(key.toString());
    if (p == null) {
      p = Pattern.compile(toRegex(glob, delimiters), Pattern.DOTALL);
      if (CACHE.size() >= CACHE_LIMIT) {
        CACHE.clear();
      }
      CACHE.put(key.toString(), p);
    }
    return p.matches(input);
  }

  /** gobwas QuoteMeta: escapes the glob metacharacters. */
  static String quoteMeta(String s) {
    StringBuilder sb = new StringBuilder(s.length() * 2);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ("*?\\[]{}".indexOf(c) >= 0) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  static String toRegex(String glob, List<Integer> delimiters) {
    StringBuilder notDelim = new StringBuilder();
    if (delimiters.isEmpty()) {
      notDelim.append(".");
    } else {
      notDelim.append("[^");
      for (int d : delimiters) {
        appendClassChar(notDelim, d);
      }
      notDelim.append(']');
    }
    StringBuilder out = new StringBuilder("^(?:");
    int end = new Translator(glob, notDelim.toString(), out).run(0, 0);
    if (end != glob.length()) {
      throw BuiltinException.error(BUILTIN, "unexpected end of input");
    }
    return out.append(")$").toString();
  }

  private static void appendClassChar(StringBuilder sb, int cp) {
    if (cp == '\\' || cp == ']' || cp == '[' || cp == '^' || cp == '-') {
      sb.append('\\');
    }
    sb.appendCodePoint(cp);
  }

  private record Translator(String glob, String notDelim, StringBuilder out) {
    /** Translates from i; inside braces (depth &gt; 0) stops at ',' or '}'. Returns the index. */
    int run(int i, int depth) {
      while (i < glob.length()) {
        int c = glob.codePointAt(i);
        switch (c) {
          case '*' -> {
            if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
              out.append(".*");
              i += 2;
            } else {
              out.append(notDelim).append('*');
              i++;
            }
          }
          case '?' -> {
            out.append(notDelim);
            i++;
          }
          case '[' -> i = charClass(i + 1);
          case '{' -> {
            out.append("(?:");
            i++;
            while (true) {
              i = run(i, depth + 1);
              if (i >= glob.length()) {
                throw BuiltinException.error(BUILTIN, "unexpected end of input");
              }
              if (glob.charAt(i) == '}') {
                i++;
                break;
              }
              out.append('|');
              i++; // ','
            }
            out.append(')');
          }
          case '}', ',' -> {
            if (depth > 0) {
              return i;
            }
            if (c == '}') {
              throw BuiltinException.error(BUILTIN, "unexpected '}'");
            }
            out.append(',');
            i++;
          }
          case '\\' -> {
            if (i + 1 >= glob.length()) {
              throw BuiltinException.error(BUILTIN, "unexpected end of input");
            }
            int e = glob.codePointAt(i + 1);
            literal(e);
            i += 1 + Character.charCount(e);
          }
          default -> {
            literal(c);
            i += Character.charCount(c);
          }
        }
      }
      return i;
    }

    private int charClass(int i) {
      StringBuilder cls = new StringBuilder("[");
      if (i < glob.length() && glob.charAt(i) == '!') {
        cls.append('^');
        i++;
      }
      boolean any = false;
      while (i < glob.length() && glob.charAt(i) != ']') {
        int c = glob.codePointAt(i);
        if (c == '\\' && i + 1 < glob.length()) {
          i++;
          c = glob.codePointAt(i);
        }
        i += Character.charCount(c);
        if (c == '-' && any && i < glob.length() && glob.charAt(i) != ']') {
          cls.append('-');
          continue;
        }
        appendClassChar(cls, c);
        any = true;
      }
      if (i >= glob.length() || !any) {
        throw BuiltinException.error(BUILTIN, "unexpected end of input");
      }
      out.append(cls).append(']');
      return i + 1;
    }

    private void literal(int cp) {
      out.append(GoRegex.quoteMeta(new String(Character.toChars(cp))));
    }
  }
}
