package io.maestro.metering;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What a tenant has spent (the priced cost of its metered events) in the UTC day and the UTC month
 * of {@code at}, read from the maintained spend counters.
 */
public record Spend(Instant at, BigDecimal todayUsd, BigDecimal monthUsd) {}
