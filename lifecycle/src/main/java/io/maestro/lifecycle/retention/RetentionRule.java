package io.maestro.lifecycle.retention;

import java.time.Instant;

/**
 * How long a tenant keeps one class of data, who set it, and the decision (with its policy version)
 * that allowed it.
 */
public record RetentionRule(
    DataClass dataClass,
    int keepDays,
    String setBy,
    String decisionId,
    String policyVersion,
    Instant setAt) {}
