package io.maestro.metering;

import io.maestro.core.problem.MaestroException;
import java.util.Arrays;

/**
 * The metered actions. The wire names and units are API: billing sinks and the usage API match on
 * them, so renaming one is a breaking change. Each type has one unit, in which its {@code quantity}
 * is counted.
 */
public enum EventType {
  /** A run was admitted and started; one per run. */
  RUN_STARTED("run_started", "run"),
  /** A step attempt finished; the quantity is its execution time in milliseconds. */
  STEP_EXECUTED("step_executed", "step_ms"),
  /** An approver approved or rejected a gate; one per decision. */
  APPROVAL_DECISION("approval_decision", "decision"),
  /** A receipt was appended to a tenant's log (and will be covered by a signed checkpoint). */
  RECEIPT_EMITTED("receipt_emitted", "receipt"),
  /** An evidence pack or receipt export was produced; one per export. */
  EVIDENCE_EXPORTED("evidence_exported", "export"),
  /** Bytes stored on the tenant's behalf (run inputs and outputs, logs, receipts). */
  STORAGE_BYTES_WRITTEN("storage_bytes_written", "byte");

  /** The prefix of every CloudEvents {@code type} Maestro emits. */
  public static final String CE_PREFIX = "io.maestro.metering.";

  private final String wire;
  private final String unit;

  EventType(String wire, String unit) {
    this.wire = wire;
    this.unit = unit;
  }

  /** The name on the wire and in the database, e.g. {@code run_started}. */
  public String wire() {
    return wire;
  }

  /** The unit of the quantity, e.g. {@code step_ms}. */
  public String unit() {
    return unit;
  }

  /** The CloudEvents type, e.g. {@code io.maestro.metering.run_started}. */
  public String cloudEventType() {
    return CE_PREFIX + wire;
  }

  /** The wire names of every type, in declaration order. */
  public static java.util.List<String> wireNames() {
    return Arrays.stream(values()).map(EventType::wire).toList();
  }

  private static final EventType[] ALL = values();

  /**
   * The type with this wire name, or a {@code metering_event_type_unknown} problem. A loop, not a
   * stream: a usage summary calls this for each of its rows.
   */
  public static EventType ofWire(String wire) {
    for (EventType t : ALL) {
      if (t.wire.equals(wire)) {
        return t;
      }
    }
    throw new MaestroException(
        MeteringErrors.UNKNOWN_EVENT_TYPE,
        "unknown event type '" + wire + "'; one of " + wireNames());
  }
}
