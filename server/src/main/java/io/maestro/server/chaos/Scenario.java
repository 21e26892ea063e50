package io.maestro.server.chaos;

import java.util.Arrays;
import java.util.Optional;

/** The faults a chaos drill can inject, by their wire names ({@code signer-outage}, …). */
public enum Scenario {
  /** Signing is unavailable: checkpoints pause, privileged operations fail closed. */
  SIGNER_OUTAGE("signer-outage"),
  /** The policy decision point makes no decision: every action fails closed. */
  PDP_OUTAGE("pdp-outage"),
  /** Every decision waits {@code latencyMs} (1 s by default) before evaluation. */
  PDP_LATENCY("pdp-latency"),
  /** The evidence storage refuses and slows pack writes: exports retry with backoff. */
  EXPORT_THROTTLE("export-throttle"),
  /** The server's PostgreSQL restarts (the operator's command) while runs start and execute. */
  DB_RESTART("db-restart");

  private final String wire;

  Scenario(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Optional<Scenario> of(String wire) {
    return Arrays.stream(values()).filter(s -> s.wire.equals(wire)).findFirst();
  }

  public static String names() {
    return String.join(", ", Arrays.stream(values()).map(Scenario::wire).toList());
  }
}
