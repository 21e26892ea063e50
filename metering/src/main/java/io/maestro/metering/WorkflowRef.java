package io.maestro.metering;

import java.util.Objects;

/**
 * The workflow a metered action belongs to. {@link #NONE} for actions outside any workflow (an
 * export, say): its {@code type} is {@code none} and the other fields are empty.
 *
 * @param type what kind of workflow run it is: {@code workflow} for a run started through the API,
 *     {@code subworkflow} for a child run, {@code none} outside workflows
 * @param name the workflow's name
 * @param version the workflow version the run executes
 * @param runId the run
 */
public record WorkflowRef(String type, String name, String version, String runId) {
  public static final WorkflowRef NONE = new WorkflowRef("none", "", "", "");

  public WorkflowRef {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(runId, "runId");
    if (type.isBlank()) {
      throw new IllegalArgumentException("workflow type must not be blank");
    }
  }

  /** A run started through the API. */
  public static WorkflowRef run(String name, String version, String runId) {
    return new WorkflowRef("workflow", name, version, runId);
  }

  /** A child run started by a parent's workflow step. */
  public static WorkflowRef childRun(String name, String version, String runId) {
    return new WorkflowRef("subworkflow", name, version, runId);
  }

  public boolean isNone() {
    return this.equals(NONE);
  }
}
