package io.maestro.rego.builtins.regex;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.maestro.rego.builtins.BuiltinException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Go's regexp package semantics on top of RE2/J: a bounded compile cache shared by all evaluations
 * (patterns are immutable and thread-safe), and FindAll / Split / ReplaceAll / Expand implemented
 * exactly as Go iterates matches (an empty match right after a previous match is skipped).
 */
final class GoRegex {
  private static final int CACHE_LIMIT = 1000;
  private static final ConcurrentHashMap<String, Pattern> CACHE = new ConcurrentHashMap<>();

  private GoRegex() {}

  /** Compiles (or fetches) a pattern; a syntax error is a builtin error with Go's message. */
  static Pattern compile(String builtin, String pattern) {
    Pattern p = CACHE.get(pattern);
    if (p != null) {
      return p;
    }
    try {
      p = Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      throw BuiltinException.error(builtin, e.getMessage());
    }
    if (CACHE.size() >= CACHE_LIMIT) {
      // A crude bound: policies use a handful of patterns, so a full cache means churn anyway.
      CACHE.clear();
    }
    CACHE.put(pattern, p);
    return p;
  }

  static boolean isValid(String pattern) {
    if (CACHE.containsKey(pattern)) {
      return true;
    }
    try {
      Pattern.compile(pattern);
      return true;
    } catch (PatternSyntaxException e) {
      return false;
    }
  }

  /** Go's allMatches: up to n matches (n &lt; 0 means all), each as group offsets. */
  static List<int[]> findAll(Pattern p, String s, int n) {
    List<int[]> out = new ArrayList<>();
    if (n == 0) {
      return out;
    }
    Matcher m = p.matcher(s);
    int groups = m.groupCount();
    int pos = 0;
    int prevMatchEnd = -1;
    while ((n < 0 || out.size() < n) && pos <= s.length()) {
      if (!m.find(pos)) {
        break;
      }
      boolean accept = true;
      if (m.end() == pos) {
        // An empty match directly after the previous match is not reported.
        if (m.start() == prevMatchEnd) {
          accept = false;
        }
        pos += pos < s.length() ? Character.charCount(s.codePointAt(pos)) : 1;
      } else {
        pos = m.end();
      }
      prevMatchEnd = m.end();
      if (accept) {
        int[] offsets = new int[2 * (groups + 1)];
        for (int g = 0; g <= groups; g++) {
          offsets[2 * g] = m.start(g);
          offsets[2 * g + 1] = m.end(g);
        }
        out.add(offsets);
      }
    }
    return out;
  }

  /** Go's Regexp.Split(s, -1). */
  static List<String> split(Pattern p, String pattern, String s) {
    List<String> out = new ArrayList<>();
    if (!pattern.isEmpty() && s.isEmpty()) {
      out.add("");
      return out;
    }
    int beg = 0;
    int end = 0;
    for (int[] match : findAll(p, s, -1)) {
      end = match[0];
      if (match[1] != 0) {
        out.add(s.substring(beg, end));
      }
      beg = match[1];
    }
    if (end != s.length()) {
      out.add(s.substring(beg));
    }
    return out;
  }

  /** Go's Regexp.ReplaceAllString, with $1 / ${name} expansion in the replacement. */
  static String replaceAll(Pattern p, String src, String template) {
    Matcher m = p.matcher(src);
    int groups = m.groupCount();
    StringBuilder buf = new StringBuilder();
    int lastMatchEnd = 0;
    int searchPos = 0;
    while (searchPos <= src.length()) {
      if (!m.find(searchPos)) {
        break;
      }
      int start = m.start();
      int end = m.end();
      buf.append(src, lastMatchEnd, start);
      if (end > lastMatchEnd || start == 0) {
        int[] offsets = new int[2 * (groups + 1)];
        for (int g = 0; g <= groups; g++) {
          offsets[2 * g] = m.start(g);
          offsets[2 * g + 1] = m.end(g);
        }
        expand(buf, template, src, offsets, p);
      }
      lastMatchEnd = end;
      int width = searchPos < src.length() ? Character.charCount(src.codePointAt(searchPos)) : 0;
      if (searchPos + width > end) {
        searchPos += width;
      } else if (searchPos + 1 > end) {
        searchPos++;
      } else {
        searchPos = end;
      }
    }
    buf.append(src, lastMatchEnd, src.length());
    return buf.toString();
  }

  /** Go's Regexp.Expand: $n, ${n}, $name, ${name}; $$ is a dollar; unknown groups are empty. */
  private static void expand(
      StringBuilder dst, String template, String src, int[] offsets, Pattern p) {
    int i = 0;
    while (i < template.length()) {
      int dollar = template.indexOf('$', i);
      if (dollar < 0) {
        dst.append(template, i, template.length());
        return;
      }
      dst.append(template, i, dollar);
      i = dollar;
      if (i + 1 < template.length() && template.charAt(i + 1) == '$') {
        dst.append('$');
        i += 2;
        continue;
      }
      boolean brace = i + 1 < template.length() && template.charAt(i + 1) == '{';
      int j = i + (brace ? 2 : 1);
      int nameStart = j;
      while (j < template.length()) {
        char c = template.charAt(j);
        if (!(Character.isLetterOrDigit(c) || c == '_')) {
          break;
        }
        j++;
      }
      String name = template.substring(nameStart, j);
      if (name.isEmpty() || (brace && (j >= template.length() || template.charAt(j) != '}'))) {
        // Malformed: the dollar is literal text.
        dst.append('$');
        i++;
        continue;
      }
      i = brace ? j + 1 : j;
      int group = -1;
      if (name.chars().allMatch(Character::isDigit)) {
        group = name.length() > 8 ? -1 : Integer.parseInt(name);
      } else {
        Integer named = p.namedGroups().get(name);
        if (named != null) {
          group = named;
        }
      }
      if (group >= 0 && 2 * group + 1 < offsets.length && offsets[2 * group] >= 0) {
        dst.append(src, offsets[2 * group], offsets[2 * group + 1]);
      }
    }
  }

  /** Go's regexp.QuoteMeta. */
  static String quoteMeta(String s) {
    StringBuilder sb = new StringBuilder(s.length() * 2);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }
}
