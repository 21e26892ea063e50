package io.maestro.lifecycle;

import io.maestro.core.problem.ErrorCode;

/** The error codes of the lifecycle module (documented in {@code docs/api/errors.md}). */
public final class LifecycleErrors {
  public static final ErrorCode PURGE_INVALID =
      new ErrorCode(
          "purge_invalid", 422, "A purge needs a known scope, a cut-off time and a reason");
  public static final ErrorCode PURGE_NOT_FOUND =
      new ErrorCode("purge_not_found", 404, "No such purge request");
  public static final ErrorCode PURGE_NOT_PENDING =
      new ErrorCode(
          "purge_not_pending", 409, "The purge was already executed or cancelled, or is due");
  public static final ErrorCode PURGE_MANIFEST_NOT_FOUND =
      new ErrorCode("purge_manifest_not_found", 404, "The purge has no signed manifest yet");
  public static final ErrorCode BACKUP_FAILED =
      new ErrorCode("backup_failed", 500, "The backup or restore could not be completed");
  public static final ErrorCode BACKUP_TOOL_MISSING =
      new ErrorCode("backup_tool_missing", 503, "pg_dump or psql is not installed on this machine");

  public static final ErrorCode RETENTION_INVALID =
      new ErrorCode(
          "retention_invalid",
          422,
          "A retention rule needs a known data class and a whole number of days");
  public static final ErrorCode RETENTION_RULE_NOT_FOUND =
      new ErrorCode(
          "retention_rule_not_found", 404, "The tenant has no retention rule for this class");
  public static final ErrorCode LEGAL_HOLD_NOT_FOUND =
      new ErrorCode("legal_hold_not_found", 404, "No such legal hold");
  public static final ErrorCode LEGAL_HOLD_NOT_ACTIVE =
      new ErrorCode("legal_hold_not_active", 409, "The legal hold was already released");
  public static final ErrorCode DRILL_NOT_FOUND =
      new ErrorCode("drill_not_found", 404, "No such restore drill in the platform log");

  public static final ErrorCode IMPERSONATION_INVALID =
      new ErrorCode(
          "impersonation_invalid",
          422,
          "An impersonation names a member, a reason and a time box in whole minutes");
  public static final ErrorCode IMPERSONATION_NOT_FOUND =
      new ErrorCode("impersonation_not_found", 404, "No such impersonation session");
  public static final ErrorCode IMPERSONATION_NOT_PENDING =
      new ErrorCode(
          "impersonation_not_pending", 409, "The impersonation is no longer awaiting approval");
  public static final ErrorCode IMPERSONATION_NOT_ACTIVE =
      new ErrorCode(
          "impersonation_not_active", 409, "The impersonation has already stopped or expired");

  private LifecycleErrors() {}
}
