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
  public static final ReceiptType RUN_BEGAN = ReceiptType.of("run.began");
  public static final ReceiptType RUN_TIMED_OUT = ReceiptType.of("run.timed_out");
  public static final ReceiptType RUN_PAUSED = ReceiptType.of("run.paused");
  public static final ReceiptType RUN_RESUMED = ReceiptType.of("run.resumed");
  public static final ReceiptType STEP_QUEUED = ReceiptType.of("step.queued");
  public static final ReceiptType STEP_STARTED = ReceiptType.of("step.started");
  public static final ReceiptType STEP_REDELIVERED = ReceiptType.of("step.redelivered");
  public static final ReceiptType STEP_WAITING = ReceiptType.of("step.waiting");
  public static final ReceiptType STEP_RETRIED = ReceiptType.of("step.retried");
  public static final ReceiptType STEP_COMPLETED = ReceiptType.of("step.completed");
  public static final ReceiptType STEP_FAILED = ReceiptType.of("step.failed");
  public static final ReceiptType STEP_TIMED_OUT = ReceiptType.of("step.timed_out");
  public static final ReceiptType STEP_SKIPPED = ReceiptType.of("step.skipped");
  public static final ReceiptType STEP_CANCELLED = ReceiptType.of("step.cancelled");
  public static final ReceiptType APPROVAL_GRANTED = ReceiptType.of("approval.granted");
  public static final ReceiptType APPROVAL_REJECTED = ReceiptType.of("approval.rejected");
  public static final ReceiptType WORKFLOW_DRAFTED = ReceiptType.of("workflow.drafted");
  public static final ReceiptType WORKFLOW_PUBLISHED = ReceiptType.of("workflow.published");
  public static final ReceiptType SCHEDULE_CREATED = ReceiptType.of("schedule.created");
  public static final ReceiptType SCHEDULE_DELETED = ReceiptType.of("schedule.deleted");
  public static final ReceiptType SCHEDULE_PAUSED = ReceiptType.of("schedule.paused");
  public static final ReceiptType SCHEDULE_RESUMED = ReceiptType.of("schedule.resumed");
  public static final ReceiptType SCHEDULE_FIRED = ReceiptType.of("schedule.fired");
  public static final ReceiptType TRIGGER_CREATED = ReceiptType.of("trigger.created");
  public static final ReceiptType TRIGGER_DELETED = ReceiptType.of("trigger.deleted");

  /**
   * Written by engines before {@link #WORKFLOW_DRAFTED} and {@link #WORKFLOW_PUBLISHED} existed;
   * kept so that verifiers and filters still recognise receipts already in the logs.
   */
  public static final ReceiptType WORKFLOW_REGISTERED = ReceiptType.of("workflow.registered");

  // Policy (policy, server).
  public static final ReceiptType POLICY_DENIED = ReceiptType.of("policy.denied");
  public static final ReceiptType ACCESS_NOT_FOUND = ReceiptType.of("access.not_found");
  public static final ReceiptType POLICY_BUNDLE_ACTIVATED =
      ReceiptType.of("policy.bundle_activated");

  // Tenancy and configuration.
  public static final ReceiptType TENANT_PROVISIONED = ReceiptType.of("tenant.provisioned");
  public static final ReceiptType MEMBER_CHANGED = ReceiptType.of("member.changed");
  public static final ReceiptType PROFILE_ASSIGNED = ReceiptType.of("profile.assigned");
  public static final ReceiptType QUOTA_CHANGED = ReceiptType.of("quota.changed");
  public static final ReceiptType CONFIG_CHANGED = ReceiptType.of("config.changed");

  /** A white-label brand pack was created or changed (payload: pack, version, JSON diff). */
  public static final ReceiptType BRAND_PACK_SAVED = ReceiptType.of("brand.pack_saved");

  /** A tenant was given a brand pack (payload: tenant, pack, JSON diff). */
  public static final ReceiptType BRAND_ASSIGNED = ReceiptType.of("brand.assigned");

  /**
   * A signed workflow package was published into the tenant's catalog (payload: name, version,
   * digest, signer, builder, source).
   */
  public static final ReceiptType PACKAGE_PUBLISHED = ReceiptType.of("package.published");

  /** A publisher key was trusted for the tenant's packages (payload: key id, public key). */
  public static final ReceiptType PACKAGE_PUBLISHER_TRUSTED =
      ReceiptType.of("package.publisher_trusted");

  /** A publisher key was no longer trusted for the tenant's packages (payload: key id). */
  public static final ReceiptType PACKAGE_PUBLISHER_REMOVED =
      ReceiptType.of("package.publisher_removed");

  /** A tenant's usage was exported (payload: window, format, snapshot id, SHA-256). */
  public static final ReceiptType USAGE_EXPORTED = ReceiptType.of("usage.exported");

  /** A run's disclosure pack was exported (payload: run, region, withheld paths, SHA-256). */
  public static final ReceiptType EVIDENCE_EXPORTED = ReceiptType.of("evidence.exported");

  /**
   * The residency auditor found an artifact tagged with a region the tenant may not use (payload:
   * kind, ref, region, the allowed regions, what carries the tag).
   */
  public static final ReceiptType RESIDENCY_VIOLATION = ReceiptType.of("residency.violation");

  // Governance controls (the payload names the control and, for ramps, a JSON diff).
  public static final ReceiptType RAMP_CHANGED = ReceiptType.of("ramp.changed");
  public static final ReceiptType KILL_SWITCH_PULLED = ReceiptType.of("kill_switch.pulled");
  public static final ReceiptType KILL_SWITCH_RELEASED = ReceiptType.of("kill_switch.released");

  /** The rollback controller opened an incident (payload: subject, the breach's numbers). */
  public static final ReceiptType INCIDENT_OPENED = ReceiptType.of("incident.opened");

  /** A step of an incident's timeline: a mitigation applied or refused, recovery. */
  public static final ReceiptType INCIDENT_UPDATED = ReceiptType.of("incident.updated");

  /** Someone closed an incident (payload: comment). */
  public static final ReceiptType INCIDENT_CLOSED = ReceiptType.of("incident.closed");

  /** A tenant's starts throttled to a concurrency limit, and the throttle lifted. */
  public static final ReceiptType THROTTLE_APPLIED = ReceiptType.of("throttle.applied");

  public static final ReceiptType THROTTLE_RELEASED = ReceiptType.of("throttle.released");

  /** What a pulled kill switch did to one running run (payload: run, mode, outcome). */
  public static final ReceiptType KILL_SWITCH_APPLIED = ReceiptType.of("kill_switch.applied");

  public static final ReceiptType FREEZE_ADDED = ReceiptType.of("freeze.added");
  public static final ReceiptType FREEZE_REMOVED = ReceiptType.of("freeze.removed");
  public static final ReceiptType BREAK_GLASS_OPENED = ReceiptType.of("break_glass.opened");
  public static final ReceiptType BREAK_GLASS_APPROVED = ReceiptType.of("break_glass.approved");
  public static final ReceiptType BREAK_GLASS_USED = ReceiptType.of("break_glass.used");
  public static final ReceiptType BREAK_GLASS_CLOSED = ReceiptType.of("break_glass.closed");

  // Billing webhooks (metering).
  /**
   * A tenant registered a webhook endpoint (payload: endpoint id, event types; never the secret).
   */
  public static final ReceiptType WEBHOOK_REGISTERED = ReceiptType.of("webhook.registered");

  /** A tenant deleted a webhook endpoint. */
  public static final ReceiptType WEBHOOK_DELETED = ReceiptType.of("webhook.deleted");

  /** A webhook endpoint's signing secret was rotated (payload: when the old one stops signing). */
  public static final ReceiptType WEBHOOK_SECRET_ROTATED = ReceiptType.of("webhook.secret_rotated");

  /** One attempt to deliver an event to a webhook endpoint (payload: attempt, outcome, status). */
  public static final ReceiptType WEBHOOK_DELIVERY_ATTEMPTED =
      ReceiptType.of("webhook.delivery_attempted");

  /** A tenant asked for a delivery to be sent again. */
  public static final ReceiptType WEBHOOK_DELIVERY_REPLAYED =
      ReceiptType.of("webhook.delivery_replayed");

  // Data lifecycle (lifecycle): dual-control purges and restore drills.
  public static final ReceiptType PURGE_REQUESTED = ReceiptType.of("purge.requested");
  public static final ReceiptType PURGE_APPROVED = ReceiptType.of("purge.approved");
  public static final ReceiptType PURGE_CANCELLED = ReceiptType.of("purge.cancelled");

  /** A purge ran (payload: counts by class, the Merkle root of the deleted items' digests). */
  public static final ReceiptType PURGE_EXECUTED = ReceiptType.of("purge.executed");

  /** The signed manifest of an executed purge (payload: its digest and signing key). */
  public static final ReceiptType PURGE_MANIFEST_SIGNED = ReceiptType.of("purge.manifest_signed");

  /** A tenant's retention rule for one data class was set (payload: days, policy version). */
  public static final ReceiptType RETENTION_RULE_SET = ReceiptType.of("retention.rule_set");

  /** A tenant's retention rule was removed: the class is kept for good again. */
  public static final ReceiptType RETENTION_RULE_REMOVED = ReceiptType.of("retention.rule_removed");

  /** A legal hold was placed: nothing of the tenant is deleted until it is released. */
  public static final ReceiptType LEGAL_HOLD_PLACED = ReceiptType.of("retention.hold_placed");

  public static final ReceiptType LEGAL_HOLD_RELEASED = ReceiptType.of("retention.hold_released");

  /**
   * One batch of expired data the retention job removed (payload: counts by class, the Merkle root
   * over the removed items' digests, and the items); the erasure receipt of the payloads it erased.
   */
  public static final ReceiptType RETENTION_BATCH = ReceiptType.of("retention.batch");

  public static final ReceiptType DRILL_COMPLETED = ReceiptType.of("drill.completed");

  /** A platform administrator injected a fault for a chaos drill (payload: scenario, until). */
  public static final ReceiptType FAULT_INJECTED = ReceiptType.of("fault.injected");

  /** An injected fault was lifted before it ended by itself (payload: scenario). */
  public static final ReceiptType FAULT_CLEARED = ReceiptType.of("fault.cleared");

  /** A chaos drill finished (payload: the drill's report, with the measured recovery time). */
  public static final ReceiptType DRILL_CHAOS_COMPLETED = ReceiptType.of("drill.chaos_completed");

  /** A support engineer asked to act as a tenant user (payload: who, whom, reason, time box). */
  public static final ReceiptType IMPERSONATION_REQUESTED =
      ReceiptType.of("impersonation.requested");

  /** A tenant administrator approved an impersonation the profile holds for approval. */
  public static final ReceiptType IMPERSONATION_APPROVED = ReceiptType.of("impersonation.approved");

  /** An impersonation session began: requests naming it act as the user until it ends. */
  public static final ReceiptType IMPERSONATION_STARTED = ReceiptType.of("impersonation.started");

  /** An impersonation session ended: stopped by someone, or its time box ran out. */
  public static final ReceiptType IMPERSONATION_STOPPED = ReceiptType.of("impersonation.stopped");

  /** A tenant health bundle was made for support (payload: its digest, after redaction). */
  public static final ReceiptType SUPPORT_HEALTH_BUNDLE = ReceiptType.of("support.health_bundle");

  // Provenance itself.
  public static final ReceiptType KEY_ROTATED = ReceiptType.of("key.rotated");

  /** The server found a log that does not verify (an edited or missing row, a forked tree). */
  public static final ReceiptType LOG_INTEGRITY_VIOLATION =
      ReceiptType.of("provenance.log_integrity_violation");

  /** Every type above, in catalogue order. */
  public static final List<ReceiptType> ALL =
      List.of(
          RUN_STARTED,
          RUN_COMPLETED,
          RUN_FAILED,
          RUN_CANCELLED,
          RUN_BEGAN,
          RUN_TIMED_OUT,
          RUN_PAUSED,
          RUN_RESUMED,
          STEP_QUEUED,
          STEP_STARTED,
          STEP_REDELIVERED,
          STEP_WAITING,
          STEP_RETRIED,
          STEP_COMPLETED,
          STEP_FAILED,
          STEP_TIMED_OUT,
          STEP_SKIPPED,
          STEP_CANCELLED,
          APPROVAL_GRANTED,
          APPROVAL_REJECTED,
          WORKFLOW_DRAFTED,
          WORKFLOW_PUBLISHED,
          WORKFLOW_REGISTERED,
          SCHEDULE_CREATED,
          SCHEDULE_DELETED,
          SCHEDULE_PAUSED,
          SCHEDULE_RESUMED,
          SCHEDULE_FIRED,
          TRIGGER_CREATED,
          TRIGGER_DELETED,
          POLICY_DENIED,
          ACCESS_NOT_FOUND,
          POLICY_BUNDLE_ACTIVATED,
          TENANT_PROVISIONED,
          MEMBER_CHANGED,
          PROFILE_ASSIGNED,
          QUOTA_CHANGED,
          CONFIG_CHANGED,
          BRAND_PACK_SAVED,
          BRAND_ASSIGNED,
          PACKAGE_PUBLISHED,
          PACKAGE_PUBLISHER_TRUSTED,
          PACKAGE_PUBLISHER_REMOVED,
          USAGE_EXPORTED,
          EVIDENCE_EXPORTED,
          RESIDENCY_VIOLATION,
          RAMP_CHANGED,
          KILL_SWITCH_PULLED,
          KILL_SWITCH_RELEASED,
          KILL_SWITCH_APPLIED,
          THROTTLE_APPLIED,
          THROTTLE_RELEASED,
          INCIDENT_OPENED,
          INCIDENT_UPDATED,
          INCIDENT_CLOSED,
          FREEZE_ADDED,
          FREEZE_REMOVED,
          BREAK_GLASS_OPENED,
          BREAK_GLASS_APPROVED,
          BREAK_GLASS_USED,
          BREAK_GLASS_CLOSED,
          WEBHOOK_REGISTERED,
          WEBHOOK_DELETED,
          WEBHOOK_SECRET_ROTATED,
          WEBHOOK_DELIVERY_ATTEMPTED,
          WEBHOOK_DELIVERY_REPLAYED,
          PURGE_REQUESTED,
          PURGE_APPROVED,
          PURGE_CANCELLED,
          PURGE_EXECUTED,
          PURGE_MANIFEST_SIGNED,
          RETENTION_RULE_SET,
          RETENTION_RULE_REMOVED,
          LEGAL_HOLD_PLACED,
          LEGAL_HOLD_RELEASED,
          RETENTION_BATCH,
          DRILL_COMPLETED,
          FAULT_INJECTED,
          FAULT_CLEARED,
          DRILL_CHAOS_COMPLETED,
          IMPERSONATION_REQUESTED,
          IMPERSONATION_APPROVED,
          IMPERSONATION_STARTED,
          IMPERSONATION_STOPPED,
          SUPPORT_HEALTH_BUNDLE,
          KEY_ROTATED,
          LOG_INTEGRITY_VIOLATION);

  private ReceiptTypes() {}
}
