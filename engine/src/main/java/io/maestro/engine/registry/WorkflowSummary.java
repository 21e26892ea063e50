package io.maestro.engine.registry;

import java.util.List;
import java.util.Optional;

/**
 * A workflow and its versions, newest first.
 *
 * @param activeVersion the most recently published version, which runs use by default
 */
public record WorkflowSummary(
    String name, Optional<String> activeVersion, List<WorkflowVersion> versions) {
  public WorkflowSummary {
    versions = List.copyOf(versions);
  }
}
