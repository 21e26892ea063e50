package io.maestro.engine.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.PersonId;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.Authorization;
import io.maestro.engine.EngineErrors;
import io.maestro.engine.JsonText;
import io.maestro.engine.RunView;
import io.maestro.engine.StepStatus;
import io.maestro.engine.StepView;
import io.maestro.engine.internal.OutcomeApplier;
import io.maestro.engine.internal.ReceiptWriter;
import io.maestro.engine.internal.RunStore;
import io.maestro.engine.manifest.ErrorKind;
import io.maestro.engine.registry.WorkflowRegistry;
import io.maestro.engine.task.TaskOutcome;
import io.maestro.engine.task.builtin.ApprovalExecutor;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Approves or rejects a waiting {@code core/approval} step. The rules, checked in the transaction
 * that records the decision: the step is WAITING for approval; the decider did not start the run
 * (separation of duties); the decider holds the step's role; one decision per person per attempt.
 * Each decision is stored with its policy decision id and emits a receipt. A rejection fails the
 * step; the N-th approval completes it.
 */
public final class ApprovalHandler {
  private final Database db;
  private final RunStore runs;
  private final WorkflowRegistry registry;
  private final OutcomeApplier applier;
  private final ReceiptWriter receipts;
  private final Clock clock;

  public ApprovalHandler(
      Database db,
      RunStore runs,
      WorkflowRegistry registry,
      OutcomeApplier applier,
      ReceiptWriter receipts,
      Clock clock) {
    this.db = db;
    this.runs = runs;
    this.registry = registry;
    this.applier = applier;
    this.receipts = receipts;
    this.clock = clock;
  }

  /** The outcome of a decision: the step's status afterwards and the approvals so far. */
  public record Decided(StepStatus stepStatus, List<String> approvers, int required) {
    public Decided {
      approvers = List.copyOf(approvers);
    }
  }

  public Decided approve(
      Authorization auth, TenantId tenant, String runId, String stepId, String comment) {
    return decide(auth, tenant, runId, stepId, true, comment);
  }

  public Decided reject(
      Authorization auth, TenantId tenant, String runId, String stepId, String comment) {
    return decide(auth, tenant, runId, stepId, false, comment);
  }

  private Decided decide(
      Authorization auth,
      TenantId tenant,
      String runId,
      String stepId,
      boolean approve,
      String comment) {
    return receipts.inTransaction(
        db,
        TenantScope.of(tenant),
        tx -> {
          RunView run =
              runs.run(tx, tenant, runId, true)
                  .orElseThrow(
                      () -> MaestroException.of(EngineErrors.RUN_NOT_FOUND, "no run " + runId));
          StepView step =
              runs.step(tx, tenant, runId, stepId)
                  .filter(
                      s ->
                          s.status() == StepStatus.WAITING
                              && ApprovalExecutor.TYPE.equals(s.uses()))
                  .orElseThrow(
                      () ->
                          MaestroException.of(
                              EngineErrors.STEP_NOT_AWAITING_APPROVAL,
                              "step "
                                  + stepId
                                  + " of run "
                                  + runId
                                  + " is not waiting for approval"));
          String who = auth.actor().subject();
          // People, not token strings: see PersonId. The run keeps only its starter's subject, so
          // the starter check compares normalized subjects across issuers (the stricter reading).
          PersonId person = PersonId.of(auth.actor());
          if (person.subject().equals(PersonId.normalize(run.startedBy()))) {
            throw MaestroException.of(
                EngineErrors.APPROVAL_SELF,
                who + " started run " + runId + " and cannot decide on it");
          }
          String role = step.waitState().path("role").asText(ApprovalExecutor.DEFAULT_ROLE);
          if (!auth.actor().hasRole(role)) {
            throw MaestroException.of(
                EngineErrors.APPROVAL_ROLE_MISSING,
                "approving this step needs the role '" + role + "'");
          }
          List<String> approvers = new ArrayList<>();
          step.waitState().path("approvers").forEach(a -> approvers.add(a.asText()));
          boolean already =
              tx.queryOne(
                      "SELECT 1 AS x FROM engine_approvals WHERE tenant_id = ? AND run_id = ? AND"
                          + " step_id = ? AND attempt = ? AND approver = ?",
                      rs -> 1,
                      tenant.value(),
                      runId,
                      stepId,
                      step.attempt(),
                      person.key())
                  .isPresent();
          if (already) {
            throw MaestroException.of(
                EngineErrors.APPROVAL_DUPLICATE, who + " already decided on step " + stepId);
          }
          tx.update(
              "INSERT INTO engine_approvals (tenant_id, run_id, step_id, attempt, approver,"
                  + " verdict, comment, decision_id, decided_at) VALUES (?,?,?,?,?,?,?,?,?)",
              tenant.value(),
              runId,
              stepId,
              step.attempt(),
              person.key(),
              approve ? "APPROVE" : "REJECT",
              comment,
              auth.decisionId(),
              clock.instant());
          ObjectNode payload = JsonText.object().put("attempt", step.attempt());
          if (comment != null) {
            payload.put("comment", comment);
          }
          receipts.approval(tx, tenant, auth, runId, stepId, approve, payload);
          int required = step.waitState().path("required").asInt(1);
          var manifest = registry.manifest(tx, tenant, run.workflow(), run.version(), run.digest());
          if (!approve) {
            applier.apply(
                tx,
                run,
                manifest,
                step,
                new TaskOutcome.Failed(
                    ErrorKind.USER,
                    "rejected by "
                        + who
                        + (comment == null || comment.isBlank() ? "" : ": " + comment)));
            return new Decided(StepStatus.FAILED, approvers, required);
          }
          approvers.add(who);
          if (approvers.size() >= required) {
            applier.apply(
                tx, run, manifest, step, new TaskOutcome.Succeeded(Map.of("approvers", approvers)));
            return new Decided(StepStatus.SUCCEEDED, approvers, required);
          }
          ObjectNode state = (ObjectNode) step.waitState().deepCopy();
          ArrayNode arr = state.putArray("approvers");
          approvers.forEach(arr::add);
          applier.apply(tx, run, manifest, step, new TaskOutcome.Waiting(Optional.empty(), state));
          return new Decided(StepStatus.WAITING, approvers, required);
        });
  }
}
