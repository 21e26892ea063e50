package io.maestro.engine.queue;

import java.time.Instant;
import java.util.Optional;

/**
 * An external queue row as it stands: its work, its queue and who leases it until when.
 *
 * @param owner the lease owner, empty while nobody holds it
 */
public record Held(WorkItem item, String queue, Optional<String> owner, Optional<Instant> until) {}
