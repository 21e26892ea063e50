package io.maestro.provenance;

import java.util.List;

/**
 * The catalogue of receipt types. Each constant is documented in {@code docs/receipts.md} (a test
 * keeps the two in step). Renaming a type is a breaking change for everyone who filters on it.
 */
public final class ReceiptTypes {
  // Runs and steps (engine).
  public static final ReceiptType RUN_STARTED = ReceiptType.of("run.started");
  public static final ReceiptType RUN_COMPLETED = ReceiptType.of("run.completed");
  public static final ReceiptType RUN_FAILED = ReceiptType.of("run.failed");
  public static final ReceiptType RUN_CANCELLED = ReceiptType.of("run.cancelled");
  public static final ReceiptType STEP_STARTED = ReceiptType.of("step.started");
  public static final ReceiptType STEP_COMPLETED = ReceiptType.of("step.completed");
  public static final ReceiptType STEP_FAILED = ReceiptType.of("step.failed");
  public static final ReceiptType APPROVAL_GRANTED = ReceiptType.of("approval.granted");
  public static final ReceiptType APPROVAL_REJECTED = ReceiptType.of("approval.rejected");
  public static final ReceiptType WORKFLOW_REGISTERED = ReceiptType.of("workflow.registered");

  // Policy (policy, server).
  public static final ReceiptType POLICY_DENIED = ReceiptType.of("policy.denied");
  public static final ReceiptType POLICY_BUNDLE_ACTIVATED =
      ReceiptType.of("policy.bundle_activated");

  // Tenancy and configuration.
  public static final ReceiptType TENANT_PROVISIONED = ReceiptType.of("tenant.provisioned");
  public static final ReceiptType MEMBER_CHANGED = ReceiptType.of("member.changed");
  public static final ReceiptType PROFILE_ASSIGNED = ReceiptType.of("profile.assigned");
  public static final ReceiptType QUOTA_CHANGED = ReceiptType.of("quota.changed");
  public static final ReceiptType CONFIG_CHANGED = ReceiptType.of("config.changed");

  // Provenance itself.
  public static final ReceiptType KEY_ROTATED = ReceiptType.of("key.rotated");

  /** Every type above, in catalogue order. */
  public static final List<ReceiptType> ALL =
      List.of(
          RUN_STARTED,
          RUN_COMPLETED,
          RUN_FAILED,
          RUN_CANCELLED,
          STEP_STARTED,
          STEP_COMPLETED,
          STEP_FAILED,
          APPROVAL_GRANTED,
          APPROVAL_REJECTED,
          WORKFLOW_REGISTERED,
          POLICY_DENIED,
          POLICY_BUNDLE_ACTIVATED,
          TENANT_PROVISIONED,
          MEMBER_CHANGED,
          PROFILE_ASSIGNED,
          QUOTA_CHANGED,
          CONFIG_CHANGED,
          KEY_ROTATED);

  private ReceiptTypes() {}
}
