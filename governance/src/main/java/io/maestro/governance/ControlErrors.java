package io.maestro.governance;

import io.maestro.core.problem.ErrorCode;

/** The error codes of the governance module (documented in {@code docs/api/errors.md}). */
public final class ControlErrors {
  public static final ErrorCode RAMP_PERCENT_INVALID =
      new ErrorCode("ramp_percent_invalid", 422, "A ramp percentage must be between 0 and 100");
  public static final ErrorCode RAMP_INVALID =
      new ErrorCode("ramp_invalid", 422, "The ramp rule is incomplete or malformed");
  public static final ErrorCode WORKFLOW_UNKNOWN =
      new ErrorCode("governance_workflow_unknown", 422, "No such workflow or workflow version");
  public static final ErrorCode KILL_SWITCH_INVALID =
      new ErrorCode("kill_switch_invalid", 422, "The kill switch names no valid target or mode");
  public static final ErrorCode KILL_SWITCH_NOT_FOUND =
      new ErrorCode("kill_switch_not_found", 404, "No such active kill switch");
  public static final ErrorCode FREEZE_INVALID =
      new ErrorCode("freeze_window_invalid", 422, "The freeze window is malformed or inverted");
  public static final ErrorCode FREEZE_OVERLAP =
      new ErrorCode("freeze_window_overlap", 422, "The freeze window overlaps another");
  public static final ErrorCode FREEZE_NOT_FOUND =
      new ErrorCode("freeze_window_not_found", 404, "No such freeze window");
  public static final ErrorCode BREAK_GLASS_INVALID =
      new ErrorCode(
          "break_glass_invalid", 422, "A break-glass grant needs a reason and a duration");
  public static final ErrorCode BREAK_GLASS_NOT_FOUND =
      new ErrorCode("break_glass_not_found", 404, "No such break-glass grant");
  public static final ErrorCode BREAK_GLASS_SELF_APPROVAL =
      new ErrorCode(
          "break_glass_self_approval", 403, "The second approver must not be who opened the grant");
  public static final ErrorCode BREAK_GLASS_EXPIRED =
      new ErrorCode("break_glass_expired", 403, "The break-glass grant has expired or was closed");

  public static final ErrorCode THROTTLE_INVALID =
      new ErrorCode("throttle_invalid", 422, "A throttle needs a concurrency limit of at least 1");
  public static final ErrorCode THROTTLE_NOT_FOUND =
      new ErrorCode("throttle_not_found", 404, "No such active throttle");

  public static final ErrorCode INCIDENT_NOT_FOUND =
      new ErrorCode("incident_not_found", 404, "No such incident");
  public static final ErrorCode INCIDENT_CLOSED =
      new ErrorCode("incident_closed", 409, "The incident is already closed");

  private ControlErrors() {}
}
