package io.maestro.engine.registry;

import java.time.Instant;
import java.util.Optional;

/**
 * A stored version of a workflow.
 *
 * @param digest {@code sha256:…} of the canonical manifest
 * @param origin the signed package the version was published from, when it was
 */
public record WorkflowVersion(
    String name,
    String version,
    Status status,
    String digest,
    String createdBy,
    Instant createdAt,
    Instant updatedAt,
    Optional<String> publishedBy,
    Optional<Instant> publishedAt,
    Optional<PackageOrigin> origin) {

  /** A draft can be replaced; a published version never changes again. */
  public enum Status {
    DRAFT,
    PUBLISHED
  }
}
