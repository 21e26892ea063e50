package io.maestro.provenance;

import io.maestro.core.problem.ErrorCode;

/** The error codes of the provenance module (documented in {@code docs/api/errors.md}). */
public final class ProvenanceErrors {
  /** No usable signing key: checkpoints stop and privileged operations fail closed. */
  public static final ErrorCode SIGNER_UNAVAILABLE =
      new ErrorCode("signer_unavailable", 503, "No signing key is available");

  /** A transaction scoped to one tenant tried to write to another log. */
  public static final ErrorCode FOREIGN_LOG =
      new ErrorCode("receipt_foreign_log", 403, "The receipt belongs to another tenant's log");

  public static final ErrorCode RECEIPT_NOT_FOUND =
      new ErrorCode("receipt_not_found", 404, "No such receipt");
  public static final ErrorCode NO_CHECKPOINT =
      new ErrorCode("checkpoint_not_found", 404, "No checkpoint covers the request yet");
  public static final ErrorCode BAD_RANGE =
      new ErrorCode("bad_tree_range", 422, "The tree sizes or sequence numbers are out of range");

  /**
   * What the server would serve or sign does not verify against its own log (an edited or deleted
   * receipt row, a tree that does not extend the last signed checkpoint). Nothing partial is
   * served.
   */
  public static final ErrorCode INTEGRITY_VIOLATION =
      new ErrorCode(
          "log_integrity_violation", 500, "The receipt log does not verify; nothing was served");

  /**
   * At start-up: the database holds less of a log than a checkpoint this installation already
   * signed (a restored backup, lost writes). The server refuses to start rather than grow a second,
   * different history under the same key.
   */
  public static final ErrorCode ROLLBACK_DETECTED =
      new ErrorCode(
          "log_rollback_detected", 500, "The database is behind a checkpoint already signed");

  /** No package of that name (and version) in the tenant's catalog or the default catalog. */
  public static final ErrorCode PACKAGE_NOT_FOUND =
      new ErrorCode("package_not_found", 404, "No such workflow package");

  /** A package version is already in the catalog with other content; versions never change. */
  public static final ErrorCode PACKAGE_VERSION_EXISTS =
      new ErrorCode(
          "package_version_exists",
          409,
          "The package version is already published with other content");

  /** A publisher key that is not an Ed25519 JWK whose kid matches it. */
  public static final ErrorCode PUBLISHER_KEY_INVALID =
      new ErrorCode("publisher_key_invalid", 422, "The publisher key is not a usable Ed25519 JWK");

  /** The tenant does not trust a publisher key of that id. */
  public static final ErrorCode PUBLISHER_NOT_FOUND =
      new ErrorCode("publisher_not_found", 404, "The tenant trusts no publisher key of that id");

  private ProvenanceErrors() {}
}
