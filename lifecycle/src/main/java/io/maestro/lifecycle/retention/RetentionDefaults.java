package io.maestro.lifecycle.retention;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The rules a tenant without its own rule for a class gets from the platform's edition (its
 * governance profile): the hosted {@code saas} edition keeps a bounded history, the self-hosted
 * editions keep everything for good unless a tenant says otherwise — so upgrading a self-hosted
 * installation never starts deleting. A tenant's own rule always wins; the bounds still apply (a
 * default outside them is moved inside).
 *
 * @param source where the defaults come from, e.g. {@code edition:saas} (shown with each rule)
 */
public record RetentionDefaults(String source, Map<DataClass, Integer> days) {
  public RetentionDefaults {
    days = Map.copyOf(days);
  }

  /** The shipped defaults of {@code edition}, within {@code bounds}. */
  public static RetentionDefaults forEdition(String edition, RetentionBounds bounds) {
    Map<DataClass, Integer> d = new EnumMap<>(DataClass.class);
    if ("saas".equals(edition)) {
      d.put(DataClass.RUNS, 400);
      d.put(DataClass.RUN_LOGS, 90);
      d.put(DataClass.METERING_EVENTS, 400);
      d.put(DataClass.DECISION_INPUTS, 90);
      d.put(DataClass.EVIDENCE_PACKS, 365);
    }
    d.replaceAll(
        (c, days) ->
            Math.max(bounds.minDays(), Math.min(days, bounds.maxDays().orElse(Integer.MAX_VALUE))));
    return new RetentionDefaults("edition:" + edition, d);
  }

  public Optional<Integer> of(DataClass c) {
    return Optional.ofNullable(days.get(c));
  }
}
