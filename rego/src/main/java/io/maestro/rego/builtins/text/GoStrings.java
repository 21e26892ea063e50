package io.maestro.rego.builtins.text;

import java.util.List;

/** Go's strings package semantics that differ from Java's: Replacer, Trim and TrimSpace. */
final class GoStrings {
  private GoStrings() {}

  /**
   * strings.NewReplacer(old1, new1, ...).Replace(s): one left-to-right pass without overlaps; where
   * several olds match at one position the earliest pair wins, and an empty old matches between
   * every rune.
   */
  static String replaceAll(String s, List<String> olds, List<String> news) {
    if (olds.size() == 1 && !olds.get(0).isEmpty()) {
      return s.replace(olds.get(0), news.get(0));
    }
    StringBuilder sb = new StringBuilder(s.length());
    int i = 0;
    while (true) {
      int match = -1;
      for (int k = 0; k < olds.size(); k++) {
        if (s.startsWith(olds.get(k), i)) {
          match = k;
          break;
        }
      }
      if (match >= 0) {
        sb.append(news.get(match));
        String old = olds.get(match);
        if (!old.isEmpty()) {
          i += old.length();
          continue;
        }
      }
      if (i >= s.length()) {
        break;
      }
      int cp = s.codePointAt(i);
      sb.appendCodePoint(cp);
      i += Character.charCount(cp);
    }
    return sb.toString();
  }

  /** strings.Trim / TrimLeft / TrimRight with a cutset of runes. */
  static String trim(String s, String cutset, boolean left, boolean right) {
    int start = 0;
    int end = s.length();
    if (left) {
      while (start < end) {
        int cp = s.codePointAt(start);
        if (cutset.indexOf(cp) < 0) {
          break;
        }
        start += Character.charCount(cp);
      }
    }
    if (right) {
      while (end > start) {
        int cp = s.codePointBefore(end);
        if (cutset.indexOf(cp) < 0) {
          break;
        }
        end -= Character.charCount(cp);
      }
    }
    return s.substring(start, end);
  }

  /** strings.TrimSpace: strips Unicode white space at both ends. */
  static String trimSpace(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.codePointAt(start))) {
      start += Character.charCount(s.codePointAt(start));
    }
    while (end > start && isSpace(s.codePointBefore(end))) {
      end -= Character.charCount(s.codePointBefore(end));
    }
    return s.substring(start, end);
  }

  /** Go's unicode.IsSpace. */
  static boolean isSpace(int cp) {
    return switch (cp) {
      case '\t', '\n', 0x0b, '\f', '\r', ' ', 0x85, 0xA0 -> true;
      default -> cp > 0xff && Character.isSpaceChar(cp);
    };
  }
}
