package io.maestro.metering.webhooks;

import io.maestro.core.problem.ErrorCode;

/** The error codes of billing webhooks (documented in {@code docs/api/errors.md}). */
public final class WebhookErrors {
  public static final ErrorCode URL_INVALID =
      new ErrorCode("webhook_url_invalid", 422, "The endpoint URL is not an absolute http(s) URL");
  public static final ErrorCode URL_FORBIDDEN =
      new ErrorCode(
          "webhook_url_forbidden",
          422,
          "The endpoint resolves to a private, loopback, link-local or otherwise non-public address");
  public static final ErrorCode EVENT_TYPES_INVALID =
      new ErrorCode(
          "webhook_event_types_invalid", 422, "The event types are missing or name no event type");
  public static final ErrorCode NOT_FOUND =
      new ErrorCode("webhook_not_found", 404, "No such webhook endpoint");
  public static final ErrorCode DELIVERY_NOT_FOUND =
      new ErrorCode("webhook_delivery_not_found", 404, "No such webhook delivery");
  public static final ErrorCode TOO_MANY =
      new ErrorCode(
          "webhook_limit_reached", 422, "The tenant already has the most endpoints allowed");

  private WebhookErrors() {}
}
