package io.maestro.engine.task.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.engine.JsonText;
import io.maestro.engine.manifest.TaskCatalog;
import io.maestro.engine.task.TaskContext;
import io.maestro.engine.task.TaskExecutor;
import io.maestro.engine.task.TaskOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code core/approval}: waits for {@code approvals} (default 1) approvals from holders of {@code
 * role} (default {@code workflow_reviewer}, the tenant role that may approve). Decisions arrive
 * through the approve/reject entry points, which enforce separation of duties (the run's starter
 * cannot decide), one decision per person, and the role; each decision is a receipt. One rejection
 * fails the step (a user error, not retried). Add a {@code timeout} to the task to bound the wait.
 * Idempotent: a redelivered attempt waits again with the same state. Outputs {@code {approvers}}.
 */
public final class ApprovalExecutor implements TaskExecutor {
  public static final String TYPE = "core/approval";
  public static final String DEFAULT_ROLE = "workflow_reviewer";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<TaskCatalog.Problem> check(JsonNode with) {
    List<TaskCatalog.Problem> p =
        new ArrayList<>(TaskExecutor.unknownKeys(with, Set.of("role", "approvals", "message")));
    JsonNode n = with.path("approvals");
    if (!n.isMissingNode() && !(n.isIntegralNumber() && n.intValue() >= 1 && n.intValue() <= 20)) {
      if (!(n.isTextual() && n.textValue().contains("${{"))) {
        p.add(new TaskCatalog.Problem("approvals", "approvals must be an integer from 1 to 20"));
      }
    }
    return p;
  }

  @Override
  public TaskOutcome execute(TaskContext ctx) {
    String role = ctx.string("role", DEFAULT_ROLE);
    int required = ctx.with().get("approvals") instanceof Number n ? n.intValue() : 1;
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("role", role);
    state.put("required", required);
    state.put("approvers", List.of());
    if (ctx.with().get("message") != null) {
      state.put("message", String.valueOf(ctx.with().get("message")));
    }
    ctx.log().info("waiting for " + required + " approval(s) from role '" + role + "'");
    return new TaskOutcome.Waiting(Optional.empty(), JsonText.tree(state));
  }
}
