package io.maestro.evidence;

import io.maestro.core.TenantId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A request for a run's disclosure pack.
 *
 * @param region only artifacts of this region; empty for every region the run touched
 * @param withhold JSONPath expressions (see {@code docs/evidence.md}) of members to replace by
 *     salted digests
 */
public record DisclosureRequest(
    TenantId tenant, String runId, Optional<String> region, List<String> withhold) {
  public DisclosureRequest {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(region, "region");
    withhold = List.copyOf(withhold);
  }
}
