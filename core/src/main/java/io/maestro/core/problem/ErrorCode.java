package io.maestro.core.problem;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A stable, documented error code and the HTTP status it maps to. Codes are API: clients and
 * scripts match on them, so renaming or removing one is a breaking change. Each module declares its
 * codes as constants (see {@link CoreErrors}); the catalogue is {@code docs/api/errors.md}.
 */
public record ErrorCode(String code, int status, String title) {
  private static final Pattern FORM = Pattern.compile("[a-z][a-z0-9_]*");

  public ErrorCode {
    Objects.requireNonNull(code, "code");
    if (!FORM.matcher(code).matches()) {
      throw new IllegalArgumentException("error codes are snake_case: " + code);
    }
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("error status must be 4xx or 5xx: " + status);
    }
    Objects.requireNonNull(title, "title");
  }
}
