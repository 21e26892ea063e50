package io.maestro.provenance.verify;

/**
 * A check that did not hold: which check, where (a receipt's seq, a line of an export, a checkpoint
 * size), and why. Verifiers stop at the first failure.
 */
public final class VerificationFailure extends Exception {
  private static final long serialVersionUID = 1L;

  private final Check check;
  private final String where;

  public VerificationFailure(Check check, String where, String reason) {
    super(reason);
    this.check = check;
    this.where = where;
  }

  public Check check() {
    return check;
  }

  public String where() {
    return where;
  }

  public String reason() {
    return getMessage();
  }

  /** One line for people: {@code chain at receipt seq 7 (line 12): prev does not match …}. */
  public String describe() {
    return check.label() + " failed at " + where + ": " + getMessage();
  }

  /** The kinds of check, with stable labels scripts can match. */
  public enum Check {
    FORMAT("format"),
    RECEIPT("receipt"),
    PAYLOAD("payload"),
    SEQUENCE("sequence"),
    CHAIN("chain"),
    INCLUSION("inclusion"),
    ROOT("root"),
    CHECKPOINT_SIGNATURE("checkpoint-signature"),
    CHECKPOINT_ORDER("checkpoint-order"),
    CONSISTENCY("consistency"),
    ROLLBACK("rollback"),
    SIGNATURE("signature"),
    SUBJECT("subject"),
    /** A release file's SHA-256 differs from what its attestation says, or it is unattested. */
    DIGEST("digest"),
    /** A release's SBOM is missing, malformed, or not the one its attestation signs. */
    SBOM("sbom"),
    /** A release does not satisfy its in-toto layout (steps, functionaries, artifact rules). */
    LAYOUT("layout"),
    /** A release's build provenance lacks its source commit, builder or materials. */
    PROVENANCE("provenance"),
    /** A release's image tarball is not the OCI image its signed image attestation names. */
    IMAGE("image");

    private final String label;

    Check(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }
}
