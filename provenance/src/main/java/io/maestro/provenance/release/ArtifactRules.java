package io.maestro.provenance.release;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * in-toto artifact rules. A step's materials or products form a queue; rules apply in order, each
 * consuming the artifacts it accepts, and {@code DISALLOW} fails on any artifact still queued that
 * it matches. Patterns are globs over the artifact's name where {@code *} also crosses {@code /}
 * (as in-toto's fnmatch does).
 */
public final class ArtifactRules {
  private ArtifactRules() {}

  /** The rule kinds this verifier knows; an unknown kind fails the layout when it is read. */
  public enum Kind {
    CREATE,
    MATCH,
    ALLOW,
    REQUIRE,
    DISALLOW
  }

  /** One rule; {@code fromStep} only for MATCH (… WITH PRODUCTS FROM step). */
  public record Rule(Kind kind, String pattern, Optional<String> fromStep) {
    public Rule {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(pattern, "pattern");
      Objects.requireNonNull(fromStep, "fromStep");
    }

    boolean matches(String name) {
      return globAcrossSlashes(pattern, name);
    }

    @Override
    public String toString() {
      return kind + " " + pattern + fromStep.map(s -> " WITH PRODUCTS FROM " + s).orElse("");
    }
  }

  /** Reads {@code [[KIND, pattern, ...], ...]}. */
  static List<Rule> parse(JsonNode rules, String step) {
    List<Rule> out = new ArrayList<>();
    for (JsonNode r : rules) {
      List<String> parts = ReleaseLayout.strings(r);
      if (parts.size() < 2) {
        throw new IllegalArgumentException("step " + step + ": a rule is [KIND, pattern, ...]");
      }
      Kind kind;
      try {
        kind = Kind.valueOf(parts.get(0).toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "step " + step + ": unknown artifact rule " + parts.get(0), e);
      }
      Optional<String> from = Optional.empty();
      if (kind == Kind.MATCH) {
        if (parts.size() != 6
            || !parts.get(2).equalsIgnoreCase("WITH")
            || !parts.get(3).equalsIgnoreCase("PRODUCTS")
            || !parts.get(4).equalsIgnoreCase("FROM")) {
          throw new IllegalArgumentException(
              "step " + step + ": MATCH is [MATCH, pattern, WITH, PRODUCTS, FROM, step]");
        }
        from = Optional.of(parts.get(5));
      } else if (parts.size() != 2) {
        throw new IllegalArgumentException("step " + step + ": " + kind + " takes one pattern");
      }
      out.add(new Rule(kind, parts.get(1), from));
    }
    return out;
  }

  /**
   * Applies {@code rules} to {@code artifacts} (name → sha256).
   *
   * @param products whether these are products (CREATE applies) or materials
   * @param otherProducts each earlier step's products, for MATCH
   * @return empty when the rules hold, else why not
   */
  public static Optional<String> check(
      List<Rule> rules,
      Map<String, String> artifacts,
      boolean products,
      Map<String, Map<String, String>> otherProducts) {
    Map<String, String> queue = new TreeMap<>(artifacts);
    for (Rule rule : rules) {
      switch (rule.kind()) {
        case REQUIRE -> {
          if (artifacts.keySet().stream().noneMatch(rule::matches)) {
            return Optional.of(rule + ": no artifact matches");
          }
        }
        case ALLOW -> queue.keySet().removeIf(rule::matches);
        case CREATE -> {
          if (products) {
            queue.keySet().removeIf(rule::matches);
          }
        }
        case MATCH -> {
          Map<String, String> theirs = otherProducts.get(rule.fromStep().orElseThrow());
          if (theirs == null) {
            return Optional.of(rule + ": no such step before this one");
          }
          queue
              .entrySet()
              .removeIf(
                  e -> rule.matches(e.getKey()) && e.getValue().equals(theirs.get(e.getKey())));
        }
        case DISALLOW -> {
          for (String name : queue.keySet()) {
            if (rule.matches(name)) {
              return Optional.of(rule + ": " + name + " is not accepted by any earlier rule");
            }
          }
        }
      }
    }
    return Optional.empty();
  }

  /** fnmatch without FNM_PATHNAME: {@code *} matches any run of characters, '/' included. */
  static boolean globAcrossSlashes(String pattern, String name) {
    StringBuilder re = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(java.util.regex.Pattern.quote(String.valueOf(c)));
      }
    }
    return name.matches(re.toString());
  }
}
