package io.maestro.metering;

import io.maestro.core.problem.ErrorCode;

/** The error codes of the metering module (documented in {@code docs/api/errors.md}). */
public final class MeteringErrors {
  public static final ErrorCode UNKNOWN_EVENT_TYPE =
      new ErrorCode("metering_event_type_unknown", 422, "No such metered event type");
  public static final ErrorCode BAD_RANGE =
      new ErrorCode("usage_range_invalid", 422, "The time range is missing, malformed or inverted");
  public static final ErrorCode RANGE_TOO_LONG =
      new ErrorCode("usage_range_too_long", 422, "The time range is longer than 400 days");
  public static final ErrorCode BAD_GROUP_BY =
      new ErrorCode("usage_group_by_invalid", 422, "Unknown usage grouping");
  public static final ErrorCode BAD_INTERVAL =
      new ErrorCode("usage_interval_invalid", 422, "Unknown usage interval");
  public static final ErrorCode BAD_EXPORT_FORMAT =
      new ErrorCode("usage_export_format_invalid", 422, "Unknown usage export format");
  public static final ErrorCode BAD_CURSOR =
      new ErrorCode("metering_cursor_invalid", 422, "The page cursor is not valid");
  public static final ErrorCode PRICE_BOOK_INVALID =
      new ErrorCode(
          "price_book_invalid", 500, "The price book is unreadable or does not match its pin");

  public static final ErrorCode BAD_BUDGET =
      new ErrorCode("budget_invalid", 422, "The budget is not a valid USD amount");
  public static final ErrorCode BAD_PLAN =
      new ErrorCode("plan_invalid", 422, "The plan request names no manifest or workflow");

  /**
   * Policy refused a run because its estimated cost would take the tenant over its daily or monthly
   * budget; the problem carries the policy {@code reasons} and {@code decision_id}.
   */
  public static final ErrorCode BUDGET_EXCEEDED =
      new ErrorCode("budget_exceeded", 403, "The tenant's budget would be exceeded");

  private MeteringErrors() {}
}
