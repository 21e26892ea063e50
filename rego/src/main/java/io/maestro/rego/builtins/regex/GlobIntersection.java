package io.maestro.rego.builtins.regex;

import io.maestro.rego.builtins.BuiltinException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * regex.globs_match: whether two patterns of the glob-intersection language accept a common string.
 * The language has literal characters, {@code .} (any character), sets {@code [a-z0-9]}, backslash
 * escapes, and the flags {@code *} (zero or more) and {@code +} (one or more) on the preceding
 * token. The check walks the product of the two pattern automata.
 */
final class GlobIntersection {
  private static final String BUILTIN = "regex.globs_match";

  private GlobIntersection() {}

  /** A token: dot (any), or a set of code points; flag is ' ', '*' or '+'. */
  private record Token(boolean dot, Set<Integer> chars, char flag) {
    boolean overlaps(Token o) {
      if (dot || o.dot) {
        return true;
      }
      for (int c : chars) {
        if (o.chars.contains(c)) {
          return true;
        }
      }
      return false;
    }
  }

  static boolean nonEmpty(String a, String b) {
    List<Token> g1 = expand(tokenize(a));
    List<Token> g2 = expand(tokenize(b));
    // States (i, j): positions in each token list. A starred token may be skipped or repeated.
    int w = g2.size() + 1;
    BitSet seen = new BitSet((g1.size() + 1) * w);
    Deque<int[]> todo = new ArrayDeque<>();
    todo.add(new int[] {0, 0});
    while (!todo.isEmpty()) {
      int[] s = todo.poll();
      int i = s[0];
      int j = s[1];
      if (seen.get(i * w + j)) {
        continue;
      }
      seen.set(i * w + j);
      if (i == g1.size() && j == g2.size()) {
        return true;
      }
      if (i < g1.size() && g1.get(i).flag == '*') {
        todo.add(new int[] {i + 1, j});
      }
      if (j < g2.size() && g2.get(j).flag == '*') {
        todo.add(new int[] {i, j + 1});
      }
      if (i < g1.size() && j < g2.size() && g1.get(i).overlaps(g2.get(j))) {
        int ni = g1.get(i).flag == '*' ? i : i + 1;
        int nj = g2.get(j).flag == '*' ? j : j + 1;
        todo.add(new int[] {ni, nj});
        if (g1.get(i).flag == '*' && g2.get(j).flag == '*') {
          todo.add(new int[] {i + 1, j});
          todo.add(new int[] {i, j + 1});
        }
      }
    }
    return false;
  }

  /** Rewrites x+ as x x*, so that only one repeating flag remains. */
  private static List<Token> expand(List<Token> tokens) {
    List<Token> out = new ArrayList<>();
    for (Token t : tokens) {
      if (t.flag == '+') {
        out.add(new Token(t.dot, t.chars, ' '));
        out.add(new Token(t.dot, t.chars, '*'));
      } else {
        out.add(t);
      }
    }
    return out;
  }

  private static List<Token> tokenize(String input) {
    int[] runes = input.codePoints().toArray();
    List<Token> out = new ArrayList<>();
    int i = 0;
    while (i < runes.length) {
      int r = runes[i];
      Token t;
      if (r == '\\') {
        if (i == runes.length - 1) {
          throw invalid(input, i, "input ends with a \\\\ (escape) character");
        }
        t = new Token(false, Set.of(runes[i + 1]), ' ');
        i += 2;
      } else if (r == '.') {
        t = new Token(true, Set.of(), ' ');
        i++;
      } else if (r == ']') {
        throw invalid(input, i + 1, "set-close ']' with no preceding '['");
      } else if (r == '[') {
        Set<Integer> set = new TreeSet<>();
        i = set(input, runes, i + 1, set);
        t = new Token(false, set, ' ');
      } else if (r == '*' || r == '+') {
        throw invalid(
            input,
            i + 1,
            "flag '" + new String(Character.toChars(r)) + "' must be preceded by a non-flag");
      } else {
        t = new Token(false, Set.of(r), ' ');
        i++;
      }
      if (i < runes.length && (runes[i] == '*' || runes[i] == '+')) {
        t = new Token(t.dot, t.chars, (char) runes[i]);
        i++;
      }
      out.add(t);
    }
    return out;
  }

  /** Reads a set body after '['; returns the index after ']'. */
  private static int set(String input, int[] runes, int i, Set<Integer> out) {
    int prev = -1;
    while (i < runes.length) {
      int r = runes[i];
      boolean escaped = false;
      if (r == '\\') {
        if (i == runes.length - 1) {
          throw invalid(input, i, "input ends with a \\\\ (escape) character");
        }
        r = runes[i + 1];
        escaped = true;
        i += 2;
      } else {
        i++;
      }
      if (!escaped && r == ']') {
        return i;
      }
      if (!escaped && r == '-') {
        if (prev < 0) {
          throw invalid(input, i, "range character '-' must be preceded by a Unicode character");
        }
        if (i >= runes.length) {
          throw invalid(input, i, "range character '-' must be followed by a Unicode character");
        }
        int hi = runes[i];
        if (hi == '\\' && i + 1 < runes.length) {
          hi = runes[i + 1];
          i += 2;
        } else {
          if (hi == ']' || hi == '-') {
            throw invalid(
                input, i + 1, "range character '-' cannot be followed by a special symbol");
          }
          i++;
        }
        if (hi < prev) {
          throw invalid(
              input,
              i,
              "range is out of order: '"
                  + new String(Character.toChars(hi))
                  + "' comes before '"
                  + new String(Character.toChars(prev))
                  + "' in Unicode");
        }
        for (int c = prev; c <= hi; c++) {
          out.add(c);
        }
        prev = -1;
        continue;
      }
      out.add(r);
      prev = r;
    }
    throw invalid(input, i, "found [ without matching ]");
  }

  private static BuiltinException invalid(String input, int pos, String message) {
    return BuiltinException.error(
        BUILTIN,
        "input:" + input + ", pos:" + pos + ", " + message + ": the input provided is invalid");
  }
}
