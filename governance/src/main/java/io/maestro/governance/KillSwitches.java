package io.maestro.governance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.Ids;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.governance.internal.ControlChanges;
import io.maestro.governance.internal.ControlStore;
import io.maestro.governance.internal.ReceiptSupport;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Kill switches: pull, release, list, and the receipt of what a pulled switch did to one running
 * run. Every change is announced to every server process ({@code NOTIFY maestro_governance}), which
 * drop their cached switches, so the next start anywhere is judged against the new set.
 */
public final class KillSwitches {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}");

  private final Database db;
  private final ControlStore store;
  private final ReceiptSupport receipts;
  private final ControlChanges changes;
  private final Clock clock;
  private final Ids ids;

  KillSwitches(
      Database db,
      ControlStore store,
      ReceiptSupport receipts,
      ControlChanges changes,
      Clock clock,
      Ids ids) {
    this.db = db;
    this.store = store;
    this.receipts = receipts;
    this.changes = changes;
    this.clock = clock;
    this.ids = ids;
  }

  /**
   * Pulls a switch in {@code tenant} (empty: a global switch, scope {@code global}).
   *
   * @param target the workflow or task type; ignored for the tenant and global scopes
   */
  public KillSwitch pull(
      Actor actor,
      Decision decision,
      Optional<TenantId> tenant,
      KillSwitch.Scope scope,
      String target,
      Optional<String> version,
      KillSwitch.Mode mode,
      String reason) {
    if ((scope == KillSwitch.Scope.GLOBAL) != tenant.isEmpty()) {
      throw MaestroException.of(
          ControlErrors.KILL_SWITCH_INVALID,
          "a global switch names no tenant, and every other switch names one");
    }
    String t = "";
    String v = "";
    switch (scope) {
      case GLOBAL, TENANT -> {}
      case WORKFLOW, VERSION, TASK_TYPE -> {
        if (target == null || !NAME.matcher(target).matches()) {
          throw MaestroException.of(
              ControlErrors.KILL_SWITCH_INVALID, "name the " + scope.wire() + " to stop");
        }
        t = target;
      }
    }
    if (scope == KillSwitch.Scope.VERSION) {
      v =
          version
              .filter(s -> NAME.matcher(s).matches())
              .orElseThrow(
                  () -> MaestroException.of(ControlErrors.KILL_SWITCH_INVALID, "name the version"));
    }
    String why = reason == null ? "" : reason.strip();
    if (why.length() > 500) {
      throw MaestroException.of(ControlErrors.KILL_SWITCH_INVALID, "reason is over 500 characters");
    }
    String owner = tenant.map(TenantId::value).orElse(KillSwitch.GLOBAL);
    KillSwitch k =
        new KillSwitch(
            ids.next("ks"),
            owner,
            scope,
            t,
            v,
            mode,
            why,
            actor.subject(),
            clock.instant(),
            Optional.empty());
    TenantScope txScope = tenant.map(TenantScope::of).orElse(TenantScope.platform());
    return db.inTransaction(
        txScope,
        tx -> {
          store.addKillSwitch(tx, k);
          receipts.append(
              tx,
              owner,
              ReceiptTypes.KILL_SWITCH_PULLED,
              actor,
              "workflow.kill",
              "kill_switch",
              k.id(),
              decision,
              ControlJson.killSwitch(k));
          changes.announce(tx, owner);
          return k;
        });
  }

  /** Releases an active switch of {@code tenant} (empty: a global one). */
  public KillSwitch release(Actor actor, Decision decision, Optional<TenantId> tenant, String id) {
    TenantScope txScope = tenant.map(TenantScope::of).orElse(TenantScope.platform());
    String owner = tenant.map(TenantId::value).orElse(KillSwitch.GLOBAL);
    return db.inTransaction(
        txScope,
        tx -> {
          KillSwitch k =
              store
                  .killSwitch(tx, id)
                  .filter(x -> x.tenant().equals(owner) && x.active())
                  .orElseThrow(
                      () ->
                          MaestroException.of(
                              ControlErrors.KILL_SWITCH_NOT_FOUND, "no active kill switch " + id));
          store.release(tx, id, actor.subject(), clock.instant());
          ObjectNode payload = ControlJson.killSwitch(k);
          receipts.append(
              tx,
              owner,
              ReceiptTypes.KILL_SWITCH_RELEASED,
              actor,
              "workflow.kill",
              "kill_switch",
              id,
              decision,
              payload);
          changes.announce(tx, owner);
          return store.killSwitch(tx, id).orElseThrow();
        });
  }

  /** The active switches that apply to {@code tenant}: its own and the global ones. */
  public List<KillSwitch> active(Optional<TenantId> tenant) {
    return db.inTransaction(
        TenantScope.platform(),
        tx -> store.activeKillSwitches(tx, tenant.map(TenantId::value).orElse(KillSwitch.GLOBAL)));
  }

  /** Every active switch of every tenant (the cache behind the policy input). */
  List<KillSwitch> allActive() {
    return db.inTransaction(TenantScope.platform(), tx -> store.activeKillSwitches(tx, null));
  }

  /** Records what switch {@code k} did to the running run {@code runId}: drained or cancelled. */
  public void recordApplied(
      Actor actor, Decision decision, TenantId tenant, KillSwitch k, String runId, String outcome) {
    db.useTransaction(
        TenantScope.of(tenant),
        tx -> {
          ObjectNode payload = ReceiptSupport.JSON.createObjectNode();
          payload.put("kill_switch", k.id());
          payload.put("run", runId);
          payload.put("mode", k.mode().wire());
          payload.put("outcome", outcome);
          receipts.append(
              tx,
              tenant.value(),
              ReceiptTypes.KILL_SWITCH_APPLIED,
              actor,
              "workflow.kill",
              "run",
              runId,
              decision,
              payload);
        });
  }
}
