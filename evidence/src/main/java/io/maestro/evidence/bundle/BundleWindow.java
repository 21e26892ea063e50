package io.maestro.evidence.bundle;

import io.maestro.core.problem.MaestroException;
import io.maestro.evidence.EvidenceErrors;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/** The half-open time window {@code [from, to)} a compliance bundle covers. */
public record BundleWindow(Instant from, Instant to) {
  public BundleWindow {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (!from.isBefore(to)) {
      throw MaestroException.of(
          EvidenceErrors.WINDOW_INVALID,
          "the window must start before it ends: from " + from + " is not before to " + to);
    }
  }

  /**
   * Parses two RFC 3339 times.
   *
   * @throws MaestroException {@code evidence_window_invalid} when one is missing or unparsable, or
   *     {@code from} is not before {@code to}
   */
  public static BundleWindow parse(String from, String to) {
    return new BundleWindow(time("from", from), time("to", to));
  }

  private static Instant time(String name, String value) {
    if (value == null || value.isBlank()) {
      throw MaestroException.of(
          EvidenceErrors.WINDOW_INVALID, "'" + name + "' is required (an RFC 3339 time)");
    }
    try {
      return Instant.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw MaestroException.of(
          EvidenceErrors.WINDOW_INVALID,
          "'" + name + "' is not an RFC 3339 time such as 2026-10-01T00:00:00Z: " + value);
    }
  }

  public boolean contains(Instant t) {
    return !t.isBefore(from) && t.isBefore(to);
  }
}
