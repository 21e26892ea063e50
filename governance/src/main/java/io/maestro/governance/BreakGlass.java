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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Break-glass grants: open (reason and duration mandatory, at most 24 hours), approve (by a second
 * person), close, the record of every use, and the expiry sweep. Each is a receipt; the policy
 * decides with the grants whether a frozen action goes through.
 */
public final class BreakGlass {
  public static final Duration MAX_DURATION = Duration.ofHours(24);
  private static final Pattern ACTION = Pattern.compile("[a-z]+\\.[a-z_]+");

  private final Database db;
  private final ControlStore store;
  private final ReceiptSupport receipts;
  private final ControlChanges changes;
  private final Clock clock;
  private final Ids ids;

  BreakGlass(
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

  public BreakGlassGrant open(
      Actor actor,
      Decision decision,
      TenantId tenant,
      String reason,
      List<String> actions,
      Duration duration,
      boolean needsApproval) {
    String why = reason == null ? "" : reason.strip();
    if (why.isEmpty() || why.length() > 500) {
      throw invalid("a break-glass grant needs a reason of 1-500 characters");
    }
    if (duration == null
        || duration.isNegative()
        || duration.isZero()
        || duration.compareTo(MAX_DURATION) > 0) {
      throw invalid("the duration must be positive and at most 24h");
    }
    if (actions == null
        || actions.isEmpty()
        || !actions.stream().allMatch(a -> a != null && ACTION.matcher(a).matches())) {
      throw invalid("name the actions the grant lets through, e.g. workflow.publish");
    }
    Instant now = clock.instant();
    BreakGlassGrant g =
        new BreakGlassGrant(
            ids.next("bg"),
            tenant.value(),
            why,
            actions.stream().distinct().sorted().toList(),
            needsApproval,
            actor.subject(),
            now,
            now.plus(duration),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            List.of());
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          store.addGrant(tx, g);
          receipts.append(
              tx,
              tenant.value(),
              ReceiptTypes.BREAK_GLASS_OPENED,
              actor,
              "breakglass.open",
              "break_glass",
              g.id(),
              decision,
              ControlJson.grant(g, null));
          changes.announce(tx, tenant.value());
          return g;
        });
  }

  /** Approves a grant awaiting a second person; the opener cannot approve its own grant. */
  public BreakGlassGrant approve(Actor actor, Decision decision, TenantId tenant, String id) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          BreakGlassGrant g = find(tx, tenant, id);
          Instant now = clock.instant();
          if (!g.state(now).equals("awaiting_approval")) {
            if (g.state(now).equals("open")) {
              return g;
            }
            throw MaestroException.of(
                ControlErrors.BREAK_GLASS_EXPIRED, "grant " + id + " is " + g.state(now));
          }
          if (g.openedBy().equals(actor.subject())) {
            throw MaestroException.of(
                ControlErrors.BREAK_GLASS_SELF_APPROVAL,
                "grant " + id + " was opened by " + actor.subject() + "; another person approves");
          }
          store.approve(tx, tenant.value(), id, actor.subject(), now);
          receipts.append(
              tx,
              tenant.value(),
              ReceiptTypes.BREAK_GLASS_APPROVED,
              actor,
              "breakglass.approve",
              "break_glass",
              id,
              decision,
              ReceiptSupport.JSON.createObjectNode().put("id", id));
          changes.announce(tx, tenant.value());
          return find(tx, tenant, id);
        });
  }

  /** Closes a grant before its time. */
  public BreakGlassGrant close(Actor actor, Decision decision, TenantId tenant, String id) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          BreakGlassGrant g = find(tx, tenant, id);
          if (g.closedAt().isPresent()) {
            return g;
          }
          store.close(tx, tenant.value(), id, actor.subject(), clock.instant());
          receipts.append(
              tx,
              tenant.value(),
              ReceiptTypes.BREAK_GLASS_CLOSED,
              actor,
              "breakglass.open",
              "break_glass",
              id,
              decision,
              ReceiptSupport.JSON.createObjectNode().put("id", id).put("how", "closed"));
          changes.announce(tx, tenant.value());
          return find(tx, tenant, id);
        });
  }

  /** Records that {@code action} went through a freeze under grant {@code id}. */
  public void recordUse(Actor actor, Decision decision, TenantId tenant, String id, String action) {
    db.useTransaction(
        TenantScope.of(tenant),
        tx -> {
          store.addUse(
              tx,
              tenant.value(),
              id,
              new BreakGlassGrant.Use(action, actor.subject(), decision.id(), clock.instant()));
          ObjectNode payload = ReceiptSupport.JSON.createObjectNode();
          payload.put("grant", id);
          payload.put("action", action);
          payload.put("decision_id", decision.id());
          receipts.append(
              tx,
              tenant.value(),
              ReceiptTypes.BREAK_GLASS_USED,
              actor,
              action,
              "break_glass",
              id,
              decision,
              payload);
        });
  }

  /**
   * Closes the grants of {@code tenant} whose time is up, each with a {@code break_glass.closed}
   * receipt ({@code how: expired}); returns how many. Safe from several processes at once: only the
   * one whose update changes the row writes the receipt.
   */
  public int closeExpired(TenantId tenant) {
    Instant now = clock.instant();
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          int n = 0;
          for (BreakGlassGrant g : store.grants(tx, tenant.value(), Optional.empty())) {
            if (g.closedAt().isEmpty() && !now.isBefore(g.expiresAt())) {
              if (!store.close(tx, tenant.value(), g.id(), "system", now)) {
                continue; // another process closed it first and wrote the receipt
              }
              receipts.append(
                  tx,
                  tenant.value(),
                  ReceiptTypes.BREAK_GLASS_CLOSED,
                  io.maestro.core.Actor.system("governance"),
                  "breakglass.open",
                  "break_glass",
                  g.id(),
                  null,
                  ReceiptSupport.JSON.createObjectNode().put("id", g.id()).put("how", "expired"));
              n++;
            }
          }
          if (n > 0) {
            changes.announce(tx, tenant.value());
          }
          return n;
        });
  }

  /** {@link #closeExpired} for every tenant with an expired grant; returns how many closed. */
  public int closeAllExpired() {
    List<String> tenants =
        db.inTransaction(
            TenantScope.platform(), tx -> store.tenantsWithExpiredGrants(tx, clock.instant()));
    int n = 0;
    for (String t : tenants) {
      n += closeExpired(TenantId.of(t));
    }
    return n;
  }

  public List<BreakGlassGrant> list(TenantId tenant) {
    return db.inTransaction(
        TenantScope.of(tenant), tx -> store.grants(tx, tenant.value(), Optional.empty()));
  }

  private BreakGlassGrant find(io.maestro.store.Tx tx, TenantId tenant, String id) {
    return store.grants(tx, tenant.value(), Optional.of(id)).stream()
        .findFirst()
        .orElseThrow(
            () -> MaestroException.of(ControlErrors.BREAK_GLASS_NOT_FOUND, "no grant " + id));
  }

  private static MaestroException invalid(String detail) {
    return MaestroException.of(ControlErrors.BREAK_GLASS_INVALID, detail);
  }
}
