package io.maestro.evidence;

import io.maestro.core.problem.ErrorCode;

/** The error codes of the evidence module (documented in {@code docs/api/errors.md}). */
public final class EvidenceErrors {
  /** The run does not exist in the caller's tenant (or the caller may not see it). */
  public static final ErrorCode RUN_NOT_FOUND =
      new ErrorCode("evidence_run_not_found", 404, "No such run");

  /** The region is malformed or not one of the tenant's regions. */
  public static final ErrorCode REGION_UNKNOWN =
      new ErrorCode(
          "evidence_region_unknown", 422, "The region is not one of the tenant's regions");

  /** A withhold path is not in the supported JSONPath subset. */
  public static final ErrorCode WITHHOLD_INVALID =
      new ErrorCode("evidence_withhold_invalid", 422, "The withhold path is not valid");

  /** A withhold path matches nothing in the run: it is reported, never silently ignored. */
  public static final ErrorCode WITHHOLD_UNMATCHED =
      new ErrorCode("evidence_withhold_unmatched", 422, "The withhold path matches nothing");

  /** The run has not ended: a pack is only made of a finished run (docs/evidence.md). */
  public static final ErrorCode RUN_NOT_FINISHED =
      new ErrorCode("evidence_run_not_finished", 409, "The run has not finished yet");

  /** No signed checkpoint covers the run's receipts yet; retry in a few seconds. */
  public static final ErrorCode NOT_CHECKPOINTED =
      new ErrorCode(
          "evidence_not_checkpointed",
          503,
          "The run's receipts are not yet covered by a checkpoint");

  /** No control with that id in the catalog. */
  public static final ErrorCode CONTROL_NOT_FOUND =
      new ErrorCode("evidence_control_not_found", 404, "No such control in the catalog");

  public static final ErrorCode STORAGE_THROTTLED =
      new ErrorCode(
          "evidence_storage_throttled",
          503,
          "The evidence storage kept refusing the pack (throttled); nothing was stored");

  /** A compliance bundle's window is missing, unparsable, or ends before it starts. */
  public static final ErrorCode WINDOW_INVALID =
      new ErrorCode(
          "evidence_window_invalid", 422, "The window is not two RFC 3339 times, from before to");

  /** Not an OSCAL model the control catalog is exported as. */
  public static final ErrorCode OSCAL_MODEL_UNKNOWN =
      new ErrorCode(
          "evidence_oscal_model_unknown",
          404,
          "Not an exported OSCAL model (component-definition, assessment-results)");

  /** A compliance pack's {@code at} is unparsable or in the future. */
  public static final ErrorCode PACK_TIME_INVALID =
      new ErrorCode(
          "evidence_pack_time_invalid",
          422,
          "The pack's time is not an RFC 3339 time that has passed");

  private EvidenceErrors() {}
}
