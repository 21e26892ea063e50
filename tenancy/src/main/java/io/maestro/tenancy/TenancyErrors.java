package io.maestro.tenancy;

import io.maestro.core.problem.ErrorCode;

/**
 * Error codes of tenancy and identity. They are API (documented in {@code docs/api/errors.md}):
 * renaming or removing one breaks clients.
 */
public final class TenancyErrors {
  /** The bearer token is missing, malformed, expired, or not signed by a trusted issuer. */
  public static final ErrorCode INVALID_TOKEN =
      new ErrorCode("invalid_token", 401, "The bearer token is not valid");

  /** A token without {@code tenant_id} was used on a tenant-scoped route. */
  public static final ErrorCode TENANT_MISSING =
      new ErrorCode("tenant_missing", 403, "The token names no tenant");

  /** The tenant exists but is suspended: nothing may be done in it until it is reactivated. */
  public static final ErrorCode TENANT_SUSPENDED =
      new ErrorCode("tenant_suspended", 403, "The tenant is suspended");

  /** Policy refused the action; the problem carries {@code reasons} and {@code decision_id}. */
  public static final ErrorCode POLICY_DENIED =
      new ErrorCode("policy_denied", 403, "Denied by policy");

  public static final ErrorCode TENANT_NOT_FOUND =
      new ErrorCode("tenant_not_found", 404, "No such tenant");
  public static final ErrorCode TENANT_EXISTS =
      new ErrorCode("tenant_exists", 409, "The tenant already exists");
  public static final ErrorCode MEMBER_NOT_FOUND =
      new ErrorCode("member_not_found", 404, "No such member");
  public static final ErrorCode UNKNOWN_ROLE =
      new ErrorCode("unknown_role", 422, "The role is not one Maestro defines");
  public static final ErrorCode UNKNOWN_PROFILE =
      new ErrorCode("unknown_profile", 422, "The policy profile is not known");

  /** The tenant's version changed since the caller read it ({@code If-Match}). */
  public static final ErrorCode TENANT_CONFLICT =
      new ErrorCode("tenant_conflict", 409, "The tenant was changed concurrently");

  /** The dev token issuer only runs in dev mode. */
  public static final ErrorCode DEV_ISSUER_DISABLED =
      new ErrorCode("dev_issuer_disabled", 403, "The dev token issuer is disabled");

  /** A per-tenant quota is exhausted; the problem carries the policy reasons. */
  public static final ErrorCode QUOTA_EXCEEDED =
      new ErrorCode("quota_exceeded", 429, "Tenant quota exceeded");

  /** A brand pack document is malformed: a missing or unknown member, a bad id or logo. */
  public static final ErrorCode BRAND_PACK_INVALID =
      new ErrorCode("brand_pack_invalid", 422, "The brand pack is not valid");

  /** A brand pack colour is not a {@code #rrggbb} hex colour. */
  public static final ErrorCode BRAND_COLOR_INVALID =
      new ErrorCode("brand_color_invalid", 422, "A brand colour is not a hex colour");

  /** A brand pack's typography token is unknown, malformed or outside its readable range. */
  public static final ErrorCode BRAND_TYPOGRAPHY_INVALID =
      new ErrorCode("brand_typography_invalid", 422, "A brand typography token is not valid");

  /** A brand pack's logo is larger than the cap. */
  public static final ErrorCode BRAND_LOGO_TOO_LARGE =
      new ErrorCode("brand_logo_too_large", 422, "The brand logo is too large");

  /** A brand pack's SVG logo could run script or load content; it is refused, not rewritten. */
  public static final ErrorCode BRAND_LOGO_UNSAFE =
      new ErrorCode("brand_logo_unsafe", 422, "The SVG logo is not safe to show");

  public static final ErrorCode BRAND_PACK_NOT_FOUND =
      new ErrorCode("brand_pack_not_found", 404, "No such brand pack");

  private TenancyErrors() {}
}
