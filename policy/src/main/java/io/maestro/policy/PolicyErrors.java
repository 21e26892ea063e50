package io.maestro.policy;

import io.maestro.core.problem.ErrorCode;

/** The stable error codes of the policy module. Codes are API: never rename or remove one. */
public final class PolicyErrors {
  /** A bundle cannot be read: bad archive, bad path, bad JSON/YAML, roots that do not hold it. */
  public static final ErrorCode BUNDLE_INVALID =
      new ErrorCode("bundle_invalid", 422, "The policy bundle is not valid");

  /** A bundle's signature does not verify; the bundle is never activated. */
  public static final ErrorCode BUNDLE_SIGNATURE_INVALID =
      new ErrorCode("bundle_signature_invalid", 422, "The policy bundle signature does not verify");

  /** Two loaded bundles claim overlapping roots of {@code data}. */
  public static final ErrorCode BUNDLE_ROOTS_OVERLAP =
      new ErrorCode("bundle_roots_overlap", 409, "Policy bundle roots overlap");

  /** A signing or verification key cannot be read or does not fit the algorithm. */
  public static final ErrorCode KEY_INVALID =
      new ErrorCode("policy_key_invalid", 422, "The policy signing key is not valid");

  /** No decision could be made (evaluation error, deadline, no policy loaded): fail closed. */
  public static final ErrorCode POLICY_UNAVAILABLE =
      new ErrorCode("policy_unavailable", 503, "The policy decision point is unavailable");

  public static final ErrorCode PACK_NOT_FOUND =
      new ErrorCode("policy_pack_not_found", 404, "No such policy pack");

  public static final ErrorCode PROFILE_NOT_FOUND =
      new ErrorCode("policy_profile_not_found", 404, "No such policy profile");

  public static final ErrorCode PROFILE_INVALID =
      new ErrorCode("policy_profile_invalid", 422, "The policy profile is not valid");

  private PolicyErrors() {}
}
