package io.maestro.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;

/**
 * The server answered with a problem ({@code application/problem+json}): its HTTP status, its
 * stable {@code code} (see docs/api/errors.md) and, for policy refusals, the reason codes.
 */
public final class MaestroApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final List<String> reasons;
  private final JsonNode problem;

  public MaestroApiException(int status, String code, String detail, List<String> reasons) {
    this(status, code, detail, reasons, JsonNodeFactory.instance.objectNode());
  }

  /**
   * @param problem the whole problem document as the server sent it
   */
  public MaestroApiException(
      int status, String code, String detail, List<String> reasons, JsonNode problem) {
    super(code + " (" + status + "): " + detail);
    this.status = status;
    this.code = code;
    this.reasons = List.copyOf(reasons);
    this.problem = problem.deepCopy();
  }

  /** The problem document as the server sent it (title, detail, errors, reasons, …). */
  public JsonNode problem() {
    return problem.deepCopy();
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
