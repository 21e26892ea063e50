package io.maestro.metering;

import java.math.BigDecimal;

/**
 * What an ended run cost beside the estimate it was admitted with.
 *
 * @param actualUsd every cost line of the run, summed when it ended
 * @param overheadUsd the part that is not step time (its start, receipts, storage, approvals)
 */
public record RunSettlement(RunEstimate estimate, BigDecimal actualUsd, BigDecimal overheadUsd) {}
