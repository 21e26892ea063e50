package io.maestro.policy.bundle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Root paths of {@code data} as OPA compares them: slash-separated segments, where the empty root
 * is all of {@code data}. Two roots overlap when one is a segment-wise prefix of the other.
 */
public final class Roots {
  private Roots() {}

  public static boolean overlap(String a, String b) {
    return isPrefix(segments(a), segments(b)) || isPrefix(segments(b), segments(a));
  }

  /** Whether {@code path} lies under one of {@code roots}. */
  public static boolean contain(List<String> roots, String path) {
    List<String> p = segments(path);
    for (String r : roots) {
      if (isPrefix(segments(r), p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Fails when roots overlap, within one bundle or between two bundles. The error names both
   * bundles and both roots so an operator can see which bundle to fix.
   *
   * @param rootsByBundle bundle name → its effective roots, in load order
   */
  public static void requireDisjoint(Map<String, List<String>> rootsByBundle) {
    List<Map.Entry<String, String>> all = new ArrayList<>();
    rootsByBundle.forEach((bundle, roots) -> roots.forEach(r -> all.add(Map.entry(bundle, r))));
    for (int i = 0; i < all.size(); i++) {
      for (int j = i + 1; j < all.size(); j++) {
        var a = all.get(i);
        var b = all.get(j);
        if (overlap(a.getValue(), b.getValue())) {
          String where =
              a.getKey().equals(b.getKey())
                  ? "bundle '" + a.getKey() + "' has overlapping roots"
                  : "bundles '" + a.getKey() + "' and '" + b.getKey() + "' have overlapping roots";
          throw BundleException.rootsOverlap(
              where + ": '" + a.getValue() + "' and '" + b.getValue() + "'");
        }
      }
    }
  }

  private static boolean isPrefix(List<String> prefix, List<String> path) {
    if (prefix.size() > path.size()) {
      return false;
    }
    return path.subList(0, prefix.size()).equals(prefix);
  }

  private static List<String> segments(String root) {
    String r = root;
    while (r.startsWith("/")) {
      r = r.substring(1);
    }
    while (r.endsWith("/")) {
      r = r.substring(0, r.length() - 1);
    }
    return r.isEmpty() ? List.of() : List.of(r.split("/", -1));
  }
}
