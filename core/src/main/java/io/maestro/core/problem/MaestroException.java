package io.maestro.core.problem;

import java.util.Map;
import java.util.Objects;

/**
 * The one exception type that crosses module boundaries. It carries a stable {@link ErrorCode}, a
 * human detail safe to show to the caller (never secrets), extension members for the problem
 * document (e.g. policy {@code reasons}, the {@code decision_id}) and whether retrying may help.
 */
public class MaestroException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final transient Map<String, Object> extensions;
  private final boolean retryable;

  public MaestroException(ErrorCode code, String detail) {
    this(code, detail, Map.of(), false, null);
  }

  public MaestroException(
      ErrorCode code,
      String detail,
      Map<String, Object> extensions,
      boolean retryable,
      Throwable cause) {
    super(detail, cause);
    this.code = Objects.requireNonNull(code, "code");
    this.extensions = Map.copyOf(extensions);
    this.retryable = retryable;
  }

  public static MaestroException of(ErrorCode code, String detail) {
    return new MaestroException(code, detail);
  }

  public ErrorCode code() {
    return code;
  }

  public String detail() {
    return getMessage();
  }

  public Map<String, Object> extensions() {
    return extensions;
  }

  public boolean retryable() {
    return retryable;
  }
}
