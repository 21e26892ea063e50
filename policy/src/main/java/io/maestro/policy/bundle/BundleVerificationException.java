package io.maestro.policy.bundle;

import io.maestro.policy.PolicyErrors;

/**
 * A bundle whose signature does not verify. {@link #failure()} says which check failed so that
 * callers (and tests) can tell tampering from misconfiguration; the message is one clear line.
 */
public final class BundleVerificationException extends BundleException {
  private static final long serialVersionUID = 1L;

  /** Which verification check failed. */
  public enum Failure {
    /** No {@code .signatures.json} although verification is required. */
    SIGNATURE_MISSING,
    /** {@code .signatures.json} is not one compact JWS with a {@code files} claim. */
    SIGNATURE_MALFORMED,
    /** The token names a key id that is not configured (or names none). */
    UNKNOWN_KEY_ID,
    /** The token's algorithm is not the configured key's algorithm. */
    ALGORITHM_MISMATCH,
    /** The JWS signature is wrong for the configured key. */
    BAD_SIGNATURE,
    /** The token's {@code scope} claim differs from the configured scope. */
    SCOPE_MISMATCH,
    /** The signature lists a file the bundle does not contain. */
    FILE_MISSING,
    /** The bundle contains a file the signature does not list. */
    FILE_NOT_SIGNED,
    /** A file's digest differs from the signed digest. */
    DIGEST_MISMATCH,
    /** The signature uses a hash algorithm OPA does not define. */
    UNSUPPORTED_HASH
  }

  private final Failure failure;

  public BundleVerificationException(Failure failure, String detail) {
    super(PolicyErrors.BUNDLE_SIGNATURE_INVALID, detail, null);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}
