package io.maestro.policy.bundle;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the package a Rego source declares without compiling it, so that bundles can check their
 * roots (and list packages) even where no Rego engine is at hand, e.g. while signing.
 */
final class RegoPackages {
  private RegoPackages() {}

  /** The declared package as a slash path ({@code a.b["c"]} → {@code a/b/c}), or null. */
  static String packagePath(String source) {
    int i = 0;
    int n = source.length();
    while (i < n) {
      char c = source.charAt(i);
      if (c == '#') {
        while (i < n && source.charAt(i) != '\n') {
          i++;
        }
      } else if (Character.isWhitespace(c)) {
        i++;
      } else if (source.startsWith("package", i)
          && i + 7 < n
          && Character.isWhitespace(source.charAt(i + 7))) {
        return parseRef(source, i + 7);
      } else {
        return null;
      }
    }
    return null;
  }

  private static String parseRef(String s, int start) {
    int i = start;
    int n = s.length();
    while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    List<String> parts = new ArrayList<>();
    while (i < n) {
      char c = s.charAt(i);
      if (Character.isLetter(c) || c == '_') {
        int b = i;
        while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
          i++;
        }
        parts.add(s.substring(b, i));
      } else if (c == '.') {
        i++;
      } else if (c == '[' && i + 1 < n && s.charAt(i + 1) == '"') {
        int end = s.indexOf("\"]", i + 2);
        if (end < 0) {
          return null;
        }
        parts.add(s.substring(i + 2, end));
        i = end + 2;
      } else {
        break;
      }
    }
    return parts.isEmpty() ? null : String.join("/", parts);
  }
}
