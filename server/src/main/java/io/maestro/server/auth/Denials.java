package io.maestro.server.auth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptDraft;
import io.maestro.provenance.ReceiptType;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.provenance.Receipts;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.tenancy.TenantDirectory;
import java.util.Optional;

/**
 * Records every refusal as a {@code policy.denied} receipt (and every 404 for a resource the actor
 * cannot see as {@code access.not_found}), in its own transaction (there is no state change to
 * share one with). The receipt goes to the acting tenant's log, so a tenant's auditors see what its
 * own members tried; actors without a (provisioned) tenant are recorded in the platform log. The
 * attempted target is in the payload, never in another tenant's log: a tenant cannot write into
 * someone else's log by trying things.
 */
public final class Denials {
  private final Database db;
  private final Receipts receipts;
  private final TenantDirectory directory;

  public Denials(Database db, Receipts receipts, TenantDirectory directory) {
    this.db = db;
    this.receipts = receipts;
    this.directory = directory;
  }

  /**
   * @param kind the resource kind (e.g. {@code tenant}, {@code run})
   * @param id the resource id, or the target tenant, or {@code *}
   */
  public Receipt record(
      Actor actor,
      String action,
      String method,
      String route,
      String kind,
      String id,
      Optional<String> target,
      Decision decision) {
    return append(
        ReceiptTypes.POLICY_DENIED, actor, action, method, route, kind, id, target, decision, null);
  }

  /**
   * Records that an allowed request named a resource its actor cannot see (404), e.g. another
   * tenant's run id. The answer does not reveal whether the resource exists; the receipt keeps the
   * attempt visible to the actor's own tenant.
   *
   * @param problem the stable code of the 404 the caller got
   */
  public Receipt recordNotFound(
      Actor actor,
      String action,
      String method,
      String route,
      String kind,
      String id,
      Optional<String> target,
      Decision decision,
      String problem) {
    return append(
        ReceiptTypes.ACCESS_NOT_FOUND,
        actor,
        action,
        method,
        route,
        kind,
        id,
        target,
        decision,
        problem);
  }

  private Receipt append(
      ReceiptType type,
      Actor actor,
      String action,
      String method,
      String route,
      String kind,
      String id,
      Optional<String> target,
      Decision decision,
      String problem) {
    Optional<TenantId> own = actor.tenant().filter(t -> directory.tenant(t).isPresent());
    LogId log = own.map(LogId::tenant).orElse(LogId.platform());
    TenantScope scope = own.map(TenantScope::of).orElse(TenantScope.platform());
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.put("method", method);
    payload.put("route", route);
    target.ifPresent(t -> payload.put("target_tenant", t));
    if (problem != null) {
      payload.put("problem", problem);
    }
    ArrayNode reasons = payload.putArray("reasons");
    decision
        .reasons()
        .forEach(r -> reasons.addObject().put("code", r.code()).put("message", r.message()));
    payload.put("input_digest", decision.inputDigest());
    ReceiptDraft draft =
        ReceiptDraft.of(
                log, type, actor, action, ReceiptDraft.Subject.of(kind, id.isBlank() ? "*" : id))
            .withDecision(decision)
            .withPayload(payload);
    return db.inTransaction(scope, tx -> receipts.append(tx, draft));
  }
}
