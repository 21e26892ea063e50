package io.maestro.client;

import java.util.List;

/**
 * The server answered with a problem ({@code application/problem+json}): its HTTP status, its
 * stable {@code code} (see docs/api/errors.md) and, for policy refusals, the reason codes.
 */
public final class MaestroApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final List<String> reasons;

  public MaestroApiException(int status, String code, String detail, List<String> reasons) {
    super(code + " (" + status + "): " + detail);
    this.status = status;
    this.code = code;
    this.reasons = List.copyOf(reasons);
  }

  public int status() {
    return status;
  }

  /** The problem's stable code, e.g. {@code worker_task_not_held}. */
  public String code() {
    return code;
  }

  /**
   * The policy's reason codes when the refusal is a policy decision, e.g. {@code
   * queue_not_granted}.
   */
  public List<String> reasons() {
    return reasons;
  }
}
