package io.maestro.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How {@link ConfigKeys} turn text into typed values: each parser throws an {@link
 * IllegalArgumentException} whose message says what a valid value looks like (the loader adds the
 * key, the value — or {@code ***} for secrets — and where it came from).
 */
final class ConfigValues {
  private ConfigValues() {}

  static java.math.BigDecimal parsePercent(String v) {
    try {
      java.math.BigDecimal p = new java.math.BigDecimal(v.trim());
      if (p.signum() < 0 || p.compareTo(java.math.BigDecimal.valueOf(100)) > 0) {
        throw new IllegalArgumentException("must be a percentage from 0 to 100, not " + v);
      }
      return p;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a percentage from 0 to 100, not " + v);
    }
  }

  static int parseInt(String v, int min, int max) {
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        throw new IllegalArgumentException("must be between " + min + " and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be an integer between " + min + " and " + max);
    }
  }

  static boolean parseBoolean(String v) {
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("must be true or false");
    };
  }

  static long parseLong(String v) {
    try {
      long n = Long.parseLong(v.trim());
      if (n < 1) {
        throw new IllegalArgumentException("must be a positive integer");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a positive integer");
    }
  }

  static <E extends Enum<E>> E parseEnum(Class<E> type, String v) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(v.trim())) {
        return e;
      }
    }
    List<String> names =
        java.util.Arrays.stream(type.getEnumConstants())
            .map(e -> e.name().toLowerCase(Locale.ROOT))
            .toList();
    throw new IllegalArgumentException("must be one of " + String.join(", ", names));
  }

  static String parseEnumName(String v, List<String> allowed) {
    String upper = v.trim().toUpperCase(Locale.ROOT);
    if (!allowed.contains(upper)) {
      throw new IllegalArgumentException("must be one of " + String.join(", ", allowed));
    }
    return upper;
  }

  static String nonBlank(String v) {
    if (v.isBlank()) {
      throw new IllegalArgumentException("must not be empty");
    }
    return v.trim();
  }

  static Path parsePath(String v) {
    if (v.isBlank()) {
      throw new IllegalArgumentException("must be a directory path");
    }
    try {
      return Path.of(v.trim());
    } catch (java.nio.file.InvalidPathException e) {
      throw new IllegalArgumentException("is not a valid path: " + e.getReason());
    }
  }

  static String parseJdbcUrl(String v) {
    String url = v.trim();
    if (!url.isEmpty() && !url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
      throw new IllegalArgumentException(
          "must be a jdbc:postgresql: or jdbc:h2: URL (or empty for the embedded database)");
    }
    return url;
  }

  static String parseIdentifier(String v) {
    String s = v.trim();
    if (!s.isEmpty() && !s.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("must be a lower-case SQL identifier");
    }
    return s;
  }

  /**
   * An origin goes into the first line of a signed note and into key names, where the C2SP
   * signed-note format allows no spaces and no '+'.
   */
  static String parseOrigin(String v) {
    String s = v.trim();
    if (s.isEmpty() || !s.matches("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}")) {
      throw new IllegalArgumentException(
          "must be a schema-less URL such as maestro.example.com (letters, digits, . _ : / -)");
    }
    return s;
  }

  static String parseChoice(String v, List<String> allowed) {
    String s = v.trim().toLowerCase(Locale.ROOT);
    if (!allowed.contains(s)) {
      throw new IllegalArgumentException("must be one of " + String.join(", ", allowed));
    }
    return s;
  }

  /** {@code id=path,id2=path2}: key ids with the PEM files of their public keys, in order. */
  static Map<String, Path> parseKeyFiles(String v) {
    Map<String, Path> keys = new java.util.LinkedHashMap<>();
    for (String part : v.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq <= 0 || eq == part.length() - 1 || part.substring(0, eq).isBlank()) {
        throw new IllegalArgumentException(
            "must be comma-separated keyid=path/to/public.pem entries");
      }
      String id = part.substring(0, eq).trim();
      if (keys.put(id, parsePath(part.substring(eq + 1))) != null) {
        throw new IllegalArgumentException("names key id " + id + " twice");
      }
    }
    return java.util.Collections.unmodifiableMap(keys);
  }

  /**
   * Host names as the egress allowlist takes them: exact names or {@code *.suffix} patterns, no
   * schemes, ports or paths (an allowlist entry that could never match is a mistake to report).
   */
  static List<String> parseHosts(String v) {
    List<String> hosts = new java.util.ArrayList<>();
    for (String part : v.split(",")) {
      String h = part.trim().toLowerCase(Locale.ROOT);
      if (h.isEmpty()) {
        continue;
      }
      if (!h.matches("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
        throw new IllegalArgumentException(
            "'" + h + "' is not a host name or *.suffix pattern (no scheme, port or path)");
      }
      hosts.add(h);
    }
    return List.copyOf(hosts);
  }

  /** Syscall names as the kernel headers spell them; whether each exists is checked at start. */
  static List<String> parseSyscalls(String v) {
    List<String> names = new java.util.ArrayList<>();
    for (String part : v.split(",")) {
      String name = part.trim();
      if (name.isEmpty()) {
        continue;
      }
      if (!name.matches("[a-z_][a-z0-9_]{0,63}")) {
        throw new IllegalArgumentException("'" + name + "' is not a syscall name");
      }
      names.add(name);
    }
    return List.copyOf(names);
  }

  static String parseProfileName(String v) {
    String s = v.trim();
    if (!s.isEmpty() && !s.matches("[A-Za-z0-9][A-Za-z0-9._/-]{0,127}")) {
      throw new IllegalArgumentException("must be an AppArmor profile name (or empty for none)");
    }
    return s;
  }

  static double parseRatio(String v) {
    try {
      double r = Double.parseDouble(v.trim());
      if (!(r >= 0 && r <= 1)) {
        throw new IllegalArgumentException("must be a number from 0 to 1");
      }
      return r;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a number from 0 to 1");
    }
  }

  /** {@code name=value,name2=value2}: HTTP header names (tokens) and values without commas. */
  static Map<String, String> parseHeaders(String v) {
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    for (String part : v.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      String name = eq > 0 ? part.substring(0, eq).trim() : "";
      if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
        // The value may be a credential: the message names the entry's position, not its text.
        throw new IllegalArgumentException("must be comma-separated name=value headers");
      }
      headers.put(name, part.substring(eq + 1).trim());
    }
    return java.util.Collections.unmodifiableMap(headers);
  }

  static String parseHttpUrl(String v) {
    String url = v.trim();
    if (!url.isEmpty() && !url.startsWith("https://") && !url.startsWith("http://")) {
      throw new IllegalArgumentException("must be an http:// or https:// URL");
    }
    return url;
  }
}
