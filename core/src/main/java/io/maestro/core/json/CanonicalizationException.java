package io.maestro.core.json;

/** The input has no RFC 8785 canonical form (not I-JSON: NaN, lone surrogates, duplicates). */
public final class CanonicalizationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public CanonicalizationException(String message) {
    super(message);
  }

  public CanonicalizationException(String message, Throwable cause) {
    super(message, cause);
  }
}
