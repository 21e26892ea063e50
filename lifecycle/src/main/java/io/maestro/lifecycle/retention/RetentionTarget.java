package io.maestro.lifecycle.retention;

import io.maestro.core.TenantId;
import io.maestro.core.purge.PurgedItem;
import io.maestro.store.Tx;
import java.time.Instant;
import java.util.List;

/**
 * A module that owns one {@link DataClass} and removes its expired rows for the retention job,
 * through its own Java API (lifecycle never issues SQL against another module's tables). The
 * composition root adapts each owner to this port.
 *
 * <p>Contract: runs inside the batch's transaction, scoped to {@code tenant}; removes at most
 * {@code limit} of that tenant's rows of the class older than {@code before}, the oldest first (for
 * runs: at most {@code limit} runs, each with its dependent rows), and returns exactly what it
 * removed, one item per row with the digest of the row as it was. Returns an empty list when
 * nothing is left. An exception rolls the batch back. Called from one thread at a time.
 */
@FunctionalInterface
public interface RetentionTarget {
  List<PurgedItem> expire(Tx tx, TenantId tenant, Instant before, int limit);
}
