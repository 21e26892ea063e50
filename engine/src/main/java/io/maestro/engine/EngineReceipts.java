package io.maestro.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.TenantId;
import io.maestro.store.Tx;
import java.util.Objects;

/**
 * Where the engine sends the receipt of each state change. Called inside the transaction that makes
 * the change, so the change and its receipt commit or roll back together; an implementation must
 * write through the given {@link Tx} and must not commit it. The production implementation appends
 * to the tenant's provenance log ({@code Receipts.append(tx, draft)}).
 */
@FunctionalInterface
public interface EngineReceipts {
  void emit(Tx tx, Receipt receipt);

  /** Emits several receipts of one transaction, in order (implementations may batch them). */
  default void emitAll(Tx tx, java.util.List<Receipt> receipts) {
    receipts.forEach(r -> emit(tx, r));
  }

  /**
   * One receipt as the engine describes it.
   *
   * @param type the receipt type, e.g. {@code run.started} (see the provenance catalogue)
   * @param action what happened in engine words, e.g. {@code step.retry}, {@code run.start}
   * @param subjectKind {@code run}, {@code step} or {@code workflow}
   * @param subjectId e.g. the run id, {@code run_…/build} for a step, {@code name@version}
   * @param decisionId the policy decision behind the action ({@code system} for platform work)
   * @param decisionReasons the decision's reason codes, when the caller passed them
   * @param bundleRevision the policy bundle revision that decided, when the caller passed it
   */
  record Receipt(
      TenantId tenant,
      String type,
      String action,
      Actor actor,
      String decisionId,
      String subjectKind,
      String subjectId,
      ObjectNode payload,
      java.util.List<String> decisionReasons,
      java.util.Optional<String> bundleRevision) {
    /** A receipt whose decision is known only by its id. */
    public Receipt(
        TenantId tenant,
        String type,
        String action,
        Actor actor,
        String decisionId,
        String subjectKind,
        String subjectId,
        ObjectNode payload) {
      this(
          tenant,
          type,
          action,
          actor,
          decisionId,
          subjectKind,
          subjectId,
          payload,
          java.util.List.of(),
          java.util.Optional.empty());
    }

    public Receipt {
      decisionReasons = java.util.List.copyOf(decisionReasons);
      Objects.requireNonNull(bundleRevision, "bundleRevision");
      Objects.requireNonNull(tenant, "tenant");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(actor, "actor");
      Objects.requireNonNull(decisionId, "decisionId");
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
