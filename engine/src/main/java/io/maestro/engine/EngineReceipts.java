package io.maestro.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.store.Tx;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the engine sends the receipts of its state changes: the engine's port to the receipt log,
 * adapted to the provenance log by the composition root. Called inside the transaction that makes
 * the change, so the change and its receipts commit or roll back together; an implementation must
 * write through the given {@link Tx} and must not commit it.
 */
@FunctionalInterface
public interface EngineReceipts {
  /** Appends {@code receipts}, in order, in the change's transaction. */
  void emitAll(Tx tx, List<Receipt> receipts);

  /**
   * Hears data the engine stored beside its receipts — a run's inputs, a step attempt's outputs, a
   * log line — in the transaction that stored it (after that transaction's receipts), so usage can
   * count the bytes with the write. {@code key} names the write once ({@code <run>/inputs}, {@code
   * <run>/<step>#<attempt>/outputs}, {@code <run>/log/<seq>}). Default: nothing.
   */
  default void stored(Tx tx, TenantId tenant, String runId, String key, long bytes) {}

  /** Data one transaction stored beside its receipts (see {@link #stored}). */
  record Stored(TenantId tenant, String runId, String key, long bytes) {}

  /**
   * Appends one transaction's {@code receipts} and then reports what it {@code stored}, at the end
   * of that transaction; an implementation may record both in one batch. Default: {@link #emitAll}
   * then {@link #stored} for each.
   */
  default void emitAll(Tx tx, List<Receipt> receipts, List<Stored> stored) {
    if (!receipts.isEmpty()) {
      emitAll(tx, receipts);
    }
    for (Stored s : stored) {
      stored(tx, s.tenant(), s.runId(), s.key(), s.bytes());
    }
  }

  /** The kinds of receipt the engine writes, each with its name in the receipt catalogue. */
  enum Type {
    RUN_STARTED("run.started"),
    RUN_BEGAN("run.began"),
    RUN_COMPLETED("run.completed"),
    RUN_FAILED("run.failed"),
    RUN_TIMED_OUT("run.timed_out"),
    RUN_CANCELLED("run.cancelled"),
    RUN_PAUSED("run.paused"),
    RUN_RESUMED("run.resumed"),
    STEP_QUEUED("step.queued"),
    STEP_STARTED("step.started"),
    STEP_REDELIVERED("step.redelivered"),
    STEP_WAITING("step.waiting"),
    STEP_RETRIED("step.retried"),
    STEP_COMPLETED("step.completed"),
    STEP_FAILED("step.failed"),
    STEP_TIMED_OUT("step.timed_out"),
    STEP_SKIPPED("step.skipped"),
    STEP_CANCELLED("step.cancelled"),
    APPROVAL_GRANTED("approval.granted"),
    APPROVAL_REJECTED("approval.rejected"),
    WORKFLOW_DRAFTED("workflow.drafted"),
    WORKFLOW_PUBLISHED("workflow.published"),
    SCHEDULE_CREATED("schedule.created"),
    SCHEDULE_DELETED("schedule.deleted"),
    SCHEDULE_PAUSED("schedule.paused"),
    SCHEDULE_RESUMED("schedule.resumed"),
    SCHEDULE_FIRED("schedule.fired"),
    TRIGGER_CREATED("trigger.created"),
    TRIGGER_DELETED("trigger.deleted");

    private final String catalogueName;

    Type(String catalogueName) {
      this.catalogueName = catalogueName;
    }

    /** The type's name in {@code docs/receipts.md}, e.g. {@code run.started}. */
    public String catalogueName() {
      return catalogueName;
    }
  }

  /**
   * One receipt as the engine describes it.
   *
   * @param action what happened in engine words, e.g. {@code step.retry}, {@code run.create}
   * @param decision the policy decision behind the action, as the decision point returned it; empty
   *     for work the platform does on its own
   * @param subjectKind {@code run}, {@code step} or {@code workflow}
   * @param subjectId e.g. the run id, {@code run_…/build} for a step, {@code name@version}
   */
  record Receipt(
      TenantId tenant,
      Type type,
      String action,
      Actor actor,
      Optional<Decision> decision,
      String subjectKind,
      String subjectId,
      ObjectNode payload) {
    public Receipt {
      Objects.requireNonNull(tenant, "tenant");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(actor, "actor");
      Objects.requireNonNull(decision, "decision");
      Objects.requireNonNull(subjectKind, "subjectKind");
      Objects.requireNonNull(subjectId, "subjectId");
      payload = payload.deepCopy();
    }

    @Override
    public ObjectNode payload() {
      return payload.deepCopy();
    }
  }
}
