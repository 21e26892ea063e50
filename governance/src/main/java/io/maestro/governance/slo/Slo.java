package io.maestro.governance.slo;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/**
 * One service-level objective: the share of good events ({@link #sli}) that must stay at or above
 * {@link #objectivePercent} over {@link #window}. The rest is the error budget.
 *
 * @param threshold for latency SLIs, what counts as fast enough
 */
public record Slo(
    String name,
    String description,
    Sli sli,
    BigDecimal objectivePercent,
    Duration window,
    Optional<Duration> threshold) {

  /** What an SLO measures. */
  public enum Sli {
    /** Runs that finished without failing or timing out, of all runs that finished. */
    WORKFLOW_SUCCESS_RATE("workflow_success_rate"),
    /** Runs that completed within the threshold of their creation, of all runs that finished. */
    START_TO_COMPLETE_LATENCY("start_to_complete_latency"),
    /** Policy decisions evaluated within the threshold ({@code mc_policy_eval_ms}). */
    POLICY_DECISION_LATENCY("policy_decision_latency");

    private final String wire;

    Sli(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    /** Whether the server evaluates it from the engine's own data (the others: Prometheus). */
    public boolean fromEngineData() {
      return this != POLICY_DECISION_LATENCY;
    }
  }

  /** The error budget as a fraction of events: {@code 1 - objective}. */
  public double budgetFraction() {
    return BigDecimal.ONE.subtract(objectivePercent.movePointLeft(2)).doubleValue();
  }
}
