package io.maestro.metering;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A metered event as recorded: the caller's event, its outbox position and id, and its cost line.
 *
 * @param seq the outbox position (increasing in commit order per writer; the page cursor)
 * @param id the CloudEvents id: derived from tenant, type and idempotency key, so a redelivered
 *     action yields the same id and sinks can deduplicate on it too
 * @param event what happened
 * @param cost what it cost, and which price book said so
 */
public record StoredEvent(long seq, String id, MeteredEvent event, CostLine cost) {
  public StoredEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(cost, "cost");
  }

  /**
   * The cost of one event, fixed when it was recorded.
   *
   * @param sku the edition's price list that applied
   * @param priceBook the price book version
   * @param usd the cost in US dollars, nine decimal places
   */
  public record CostLine(String sku, String priceBook, BigDecimal usd) {
    public CostLine {
      Objects.requireNonNull(sku, "sku");
      Objects.requireNonNull(priceBook, "priceBook");
      Objects.requireNonNull(usd, "usd");
    }
  }
}
