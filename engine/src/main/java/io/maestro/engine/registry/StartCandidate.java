package io.maestro.engine.registry;

import java.util.Objects;
import java.util.Optional;

/**
 * What a start would run and where canary routing could send it instead.
 *
 * @param workflow the published version the start would run
 * @param stable for a start that named no version, the most recently published other version
 */
public record StartCandidate(PublishedWorkflow workflow, Optional<String> stable) {
  public StartCandidate {
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(stable, "stable");
  }
}
