package io.maestro.lifecycle;

import io.maestro.core.TenantId;
import io.maestro.core.purge.PurgedItem;
import io.maestro.store.Tx;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A module that owns tenant data and deletes it for a purge, through its own Java API (the
 * lifecycle module never issues SQL against another module's tables). The composition root adapts
 * each owning module to this port.
 *
 * <p>Contract: runs inside the purge's transaction, which is scoped to {@code tenant}; deletes only
 * that tenant's rows that {@code scope} covers (ended before {@code before} when present) and
 * returns exactly what it deleted; returns an empty list for scopes it does not own. An exception
 * rolls back the whole purge. Called from one thread at a time per purge.
 */
@FunctionalInterface
public interface PurgeTarget {
  List<PurgedItem> purge(Tx tx, TenantId tenant, PurgeScope scope, Optional<Instant> before);
}
