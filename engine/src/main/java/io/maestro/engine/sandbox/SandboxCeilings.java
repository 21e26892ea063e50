package io.maestro.engine.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.TenantId;
import io.maestro.engine.expr.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The most a manifest may ask of the sandbox for one {@code core/exec} step: the platform's ({@code
 * engine.sandbox.max*}) and, lower, a tenant's (its quotas). A manifest asking more is refused at
 * validation (422); a limit only known when the step runs (an expression) is checked then and fails
 * the step.
 *
 * @param memoryBytes the largest {@code memory}
 * @param cpuSeconds the largest {@code cpuSeconds}
 * @param processes the largest {@code processes}
 */
public record SandboxCeilings(long memoryBytes, long cpuSeconds, long processes) {
  /** 2 GiB, 600 CPU seconds, 256 processes. */
  public static final SandboxCeilings DEFAULTS = new SandboxCeilings(2L << 30, 600, 256);

  /** One limit over its ceiling (or of the wrong type): the {@code with} key and why. */
  public record Problem(String key, String message) {}

  /**
   * A tenant's own ceilings, when it has any. Called on the request path: implementations read in
   * their own short transaction. Thread-safe.
   */
  @FunctionalInterface
  public interface PerTenant {
    PerTenant NONE = tenant -> Optional.empty();

    Optional<SandboxCeilings> of(TenantId tenant);
  }

  /**
   * What is wrong with the literal limits of a {@code core/exec} step's {@code with}, measured
   * against these ceilings; {@code whose} names them in messages ("the platform", "tenant acme").
   */
  public List<Problem> check(JsonNode with, String whose) {
    List<Problem> p = new ArrayList<>();
    JsonNode memory = with.path("memory");
    if ((memory.isTextual() && !Template.hasExpressions(memory.textValue())) || memory.isNumber()) {
      try {
        over(p, "memory", parseBytes(memory.asText()), memoryBytes, whose);
      } catch (IllegalArgumentException e) {
        p.add(new Problem("memory", e.getMessage()));
      }
    } else if (!memory.isMissingNode() && !memory.isTextual()) {
      p.add(new Problem("memory", "memory is a size such as 256Mi"));
    }
    count(p, with.path("cpuSeconds"), "cpuSeconds", cpuSeconds, whose);
    count(p, with.path("processes"), "processes", processes, whose);
    return p;
  }

  /** A run-time value within its ceiling, or an {@link IllegalArgumentException} saying why not. */
  public static long atMost(long value, String key, long max) {
    if (value > max) {
      throw new IllegalArgumentException(
          key + " " + value + " is more than the platform allows (" + max + ")");
    }
    return value;
  }

  private static void count(List<Problem> p, JsonNode v, String key, long max, String whose) {
    if (v.isIntegralNumber()) {
      over(p, key, v.longValue(), max, whose);
    } else if (!v.isMissingNode() && !(v.isTextual() && Template.hasExpressions(v.textValue()))) {
      p.add(new Problem(key, key + " is a whole number"));
    }
  }

  private static void over(List<Problem> p, String key, long value, long max, String whose) {
    if (value > max) {
      p.add(
          new Problem(key, key + " " + value + " is more than " + whose + " allows (" + max + ")"));
    }
  }

  /** {@code 268435456}, {@code 256Mi}, {@code 1Gi}, {@code 512Ki}. */
  public static long parseBytes(String s) {
    String t = s.trim();
    long mult = 1;
    if (t.endsWith("Ki")) {
      mult = 1L << 10;
    } else if (t.endsWith("Mi")) {
      mult = 1L << 20;
    } else if (t.endsWith("Gi")) {
      mult = 1L << 30;
    }
    String digits = mult == 1 ? t : t.substring(0, t.length() - 2);
    try {
      return Math.multiplyExact(Long.parseLong(digits.trim()), mult);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("'" + s + "' is not a size (use e.g. 256Mi)");
    }
  }
}
