package io.maestro.governance;

import java.time.Instant;

/** One change of a ramp rule: its JSON diff ({@code {"percent": {"from": 10, "to": 50}}}). */
public record RampChange(
    long seq,
    String workflow,
    String version,
    String action,
    int step,
    String diff,
    String changedBy,
    Instant changedAt,
    String decisionId,
    String receiptId) {}
