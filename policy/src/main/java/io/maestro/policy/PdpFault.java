package io.maestro.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A fault a chaos drill puts into the decision point until {@code until}: an outage (no decision
 * can be made) or added latency before each evaluation (which the deadline turns into a refusal
 * when it is longer). Either way every decision fails closed with {@code policy_unavailable}; the
 * fault ends by itself at {@code until}, because while it lasts no request — not even the one that
 * would lift it — can be decided.
 *
 * @param latency the added wait before evaluation; zero for an outage
 */
public record PdpFault(Kind kind, Duration latency, Instant until) {
  public enum Kind {
    OUTAGE,
    LATENCY
  }

  public PdpFault {
    Objects.requireNonNull(kind);
    Objects.requireNonNull(latency);
    Objects.requireNonNull(until);
  }

  public static PdpFault outage(Instant until) {
    return new PdpFault(Kind.OUTAGE, Duration.ZERO, until);
  }

  public static PdpFault latency(Duration latency, Instant until) {
    return new PdpFault(Kind.LATENCY, latency, until);
  }
}
