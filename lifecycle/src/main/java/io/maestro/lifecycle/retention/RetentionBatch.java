package io.maestro.lifecycle.retention;

import java.time.Instant;
import java.util.Map;

/**
 * One batch the retention job removed: the class whose rule expired the data, the cut-off, what it
 * removed (counts by the owners' data classes), the Merkle root over the removed items' digests,
 * and the receipt that records it with every item's digest.
 */
public record RetentionBatch(
    String id,
    DataClass dataClass,
    Instant cutoff,
    int itemCount,
    String merkleRoot,
    Map<String, Long> counts,
    String receiptId,
    Instant ranAt) {
  public RetentionBatch {
    counts = Map.copyOf(counts);
  }
}
