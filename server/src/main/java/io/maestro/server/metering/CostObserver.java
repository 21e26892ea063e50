package io.maestro.server.metering;

import io.maestro.core.TenantId;
import java.math.BigDecimal;

/** Hears run cost estimates at admission and, when a run ends, its actual cost beside them. */
public interface CostObserver {
  /** A run of {@code tenant} was admitted with this estimate. */
  void estimated(TenantId tenant, BigDecimal estimateUsd);

  /** A run that was admitted with {@code estimateUsd} ended having cost {@code actualUsd}. */
  void settled(TenantId tenant, BigDecimal estimateUsd, BigDecimal actualUsd);

  CostObserver NONE =
      new CostObserver() {
        @Override
        public void estimated(TenantId tenant, BigDecimal estimateUsd) {}

        @Override
        public void settled(TenantId tenant, BigDecimal estimateUsd, BigDecimal actualUsd) {}
      };
}
