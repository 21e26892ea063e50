package io.maestro.metering;

import java.math.BigDecimal;
import java.time.Instant;

/** The estimate a run was admitted with, stored under its admission decision's id. */
public record RunEstimate(
    String runId,
    String workflow,
    String version,
    String decisionId,
    BigDecimal estimatedUsd,
    String basis,
    Instant createdAt) {}
