package io.maestro.tenancy.identity;

import io.maestro.core.problem.MaestroException;
import io.maestro.tenancy.TenancyErrors;

/**
 * A token that is missing, malformed, expired, not yet valid, for another audience, from an
 * untrusted issuer, or badly signed: answered with 401 {@code invalid_token}. The detail says
 * which, because an operator debugging a login needs to know; it never includes the token itself.
 */
public final class InvalidTokenException extends MaestroException {
  private static final long serialVersionUID = 1L;

  public InvalidTokenException(String detail) {
    super(TenancyErrors.INVALID_TOKEN, detail);
  }
}
