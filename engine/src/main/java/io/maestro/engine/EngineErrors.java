package io.maestro.engine;

import io.maestro.core.problem.ErrorCode;

/**
 * The engine's stable error codes (see {@code docs/api/errors.md}); renaming one breaks clients.
 */
public final class EngineErrors {
  public static final ErrorCode MANIFEST_INVALID =
      new ErrorCode("manifest_invalid", 422, "The workflow manifest is not valid");

  /**
   * A manifest uses a task type this server knows but cannot run on this machine (e.g. {@code
   * core/exec} without bubblewrap); the problem names the reason and the remedy.
   */
  public static final ErrorCode TASK_TYPE_UNAVAILABLE =
      new ErrorCode(
          "task_type_unavailable", 422, "The manifest uses a task type unavailable on this server");

  public static final ErrorCode MANIFEST_TOO_MANY_TASKS =
      new ErrorCode(
          "manifest_too_many_tasks", 422, "The workflow has more tasks than the server allows");

  /**
   * The bytes sent as a workflow package are not one: not a gzip'd tar, unsafe file names, no
   * digest manifest, over the size limits, or no workflow in it.
   */
  public static final ErrorCode WORKFLOW_PACKAGE_INVALID =
      new ErrorCode("workflow_package_invalid", 400, "The body is not a workflow package");

  public static final ErrorCode WORKFLOW_NOT_FOUND =
      new ErrorCode("workflow_not_found", 404, "No such workflow or version");
  public static final ErrorCode WORKFLOW_VERSION_PUBLISHED =
      new ErrorCode(
          "workflow_version_published", 409, "A published workflow version cannot be changed");
  public static final ErrorCode WORKFLOW_NOT_PUBLISHED =
      new ErrorCode("workflow_not_published", 409, "The workflow has no published version");
  public static final ErrorCode RUN_NOT_FOUND = new ErrorCode("run_not_found", 404, "No such run");
  public static final ErrorCode INPUTS_INVALID =
      new ErrorCode("inputs_invalid", 422, "The run inputs do not match the workflow's schema");
  public static final ErrorCode IDEMPOTENCY_CONFLICT =
      new ErrorCode(
          "idempotency_conflict",
          409,
          "The idempotency key was already used for a different request");
  public static final ErrorCode RUN_FINISHED =
      new ErrorCode("run_finished", 409, "The run has already finished");
  public static final ErrorCode STEP_NOT_AWAITING_APPROVAL =
      new ErrorCode("step_not_awaiting_approval", 409, "The step is not waiting for an approval");
  public static final ErrorCode APPROVAL_SELF =
      new ErrorCode(
          "approval_separation_of_duties",
          403,
          "The starter of a run cannot approve or reject its steps");
  public static final ErrorCode APPROVAL_ROLE_MISSING =
      new ErrorCode("approval_role_missing", 403, "The approver lacks the role the step requires");
  public static final ErrorCode APPROVAL_DUPLICATE =
      new ErrorCode("approval_duplicate", 409, "This approver has already decided on this step");
  public static final ErrorCode ILLEGAL_TRANSITION =
      new ErrorCode("illegal_transition", 409, "The requested state change is not allowed");
  public static final ErrorCode OUTPUT_TOO_LARGE =
      new ErrorCode(
          "output_too_large",
          422,
          "A step's output, a run's outputs, an expression's value or a tenant's storage exceeds"
              + " its limit");
  public static final ErrorCode OUTPUT_INVALID =
      new ErrorCode("output_invalid", 422, "A step's output cannot be stored as it is");
  public static final ErrorCode EXPRESSION_FAILED =
      new ErrorCode("expression_failed", 422, "An expression could not be evaluated");

  /**
   * An external worker reported on a task it does not hold: unknown, already completed or failed (a
   * duplicate completion), or redelivered to another worker after its lease ran out.
   */
  public static final ErrorCode WORKER_TASK_NOT_HELD =
      new ErrorCode("worker_task_not_held", 409, "The worker does not hold this task");

  public static final ErrorCode WORKER_OUTPUT_TOO_LARGE =
      new ErrorCode(
          "worker_output_too_large", 413, "The worker's outputs exceed the step output limit");
  public static final ErrorCode WORKER_OUTPUT_INVALID =
      new ErrorCode(
          "worker_output_invalid",
          422,
          "The worker's outputs do not match the task's output schema");
  public static final ErrorCode WORKER_REQUEST_INVALID =
      new ErrorCode("worker_request_invalid", 400, "The worker's request is malformed");

  private EngineErrors() {}

  // Schedules and webhook triggers (docs/schedules.md).
  public static final ErrorCode CRON_INVALID =
      new ErrorCode("cron_invalid", 422, "The cron expression cannot be read");
  public static final ErrorCode CRON_NEVER_FIRES =
      new ErrorCode("cron_never_fires", 422, "The cron expression never fires");
  public static final ErrorCode CRON_TOO_FREQUENT =
      new ErrorCode(
          "cron_too_frequent",
          422,
          "The cron expression fires more often than schedules.minIntervalSeconds allows");
  public static final ErrorCode SCHEDULE_INVALID =
      new ErrorCode("schedule_invalid", 422, "The schedule is not valid");
  public static final ErrorCode SCHEDULE_NOT_FOUND =
      new ErrorCode("schedule_not_found", 404, "No such schedule");
  public static final ErrorCode SCHEDULE_EXISTS =
      new ErrorCode("schedule_exists", 409, "A schedule with this id already exists");
  public static final ErrorCode TRIGGER_NOT_FOUND =
      new ErrorCode("trigger_not_found", 404, "The workflow has no webhook trigger");
  public static final ErrorCode WEBHOOK_SIGNATURE_INVALID =
      new ErrorCode(
          "webhook_signature_invalid",
          401,
          "The webhook-signature header does not sign this request with the trigger's secret");
  public static final ErrorCode WEBHOOK_TIMESTAMP_STALE =
      new ErrorCode(
          "webhook_timestamp_stale",
          401,
          "The webhook-timestamp is missing or outside the accepted tolerance");
  public static final ErrorCode WEBHOOK_REPLAYED =
      new ErrorCode("webhook_replayed", 409, "This webhook-id was already accepted");
}
