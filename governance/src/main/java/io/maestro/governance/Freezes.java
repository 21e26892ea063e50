package io.maestro.governance;

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
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * A tenant's freeze windows: add (refused when inverted, malformed or overlapping another window of
 * the tenant), remove, list. Each change is a receipt.
 */
public final class Freezes {
  private final Database db;
  private final ControlStore store;
  private final ReceiptSupport receipts;
  private final ControlChanges changes;
  private final Clock clock;
  private final Ids ids;

  Freezes(
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
   * What to add: {@code once} with ISO-8601 instants, or {@code weekly} with day-and-time ({@code
   * FRI 16:00}) in {@code zone} (an IANA zone id; UTC when empty).
   */
  public record Spec(String kind, String from, String to, String zone, String reason) {}

  public FreezeWindow add(Actor actor, Decision decision, TenantId tenant, Spec spec) {
    FreezeWindow w = parse(tenant, spec, actor.subject());
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          Instant now = clock.instant();
          for (FreezeWindow other : store.freezes(tx, tenant.value())) {
            if (overlaps(w, other, now)) {
              throw MaestroException.of(
                  ControlErrors.FREEZE_OVERLAP,
                  "the window overlaps freeze window "
                      + other.id()
                      + "; change or remove it first");
            }
          }
          store.addFreeze(tx, w);
          receipts.append(
              tx,
              tenant.value(),
              ReceiptTypes.FREEZE_ADDED,
              actor,
              "freeze.write",
              "freeze",
              w.id(),
              decision,
              ControlJson.freeze(w, null));
          changes.announce(tx, tenant.value());
          return w;
        });
  }

  public void remove(Actor actor, Decision decision, TenantId tenant, String id) {
    db.useTransaction(
        TenantScope.of(tenant),
        tx -> {
          if (!store.removeFreeze(tx, tenant.value(), id, clock.instant())) {
            throw MaestroException.of(ControlErrors.FREEZE_NOT_FOUND, "no freeze window " + id);
          }
          var payload = ReceiptSupport.JSON.createObjectNode().put("id", id);
          receipts.append(
              tx,
              tenant.value(),
              ReceiptTypes.FREEZE_REMOVED,
              actor,
              "freeze.write",
              "freeze",
              id,
              decision,
              payload);
          changes.announce(tx, tenant.value());
        });
  }

  public List<FreezeWindow> list(TenantId tenant) {
    return db.inTransaction(TenantScope.of(tenant), tx -> store.freezes(tx, tenant.value()));
  }

  private FreezeWindow parse(TenantId tenant, Spec s, String by) {
    String reason = s.reason() == null ? "" : s.reason().strip();
    if (reason.length() > 500) {
      throw invalid("reason is over 500 characters");
    }
    ZoneId zone;
    try {
      zone = s.zone() == null || s.zone().isBlank() ? ZoneId.of("UTC") : ZoneId.of(s.zone());
    } catch (DateTimeException e) {
      throw invalid("unknown time zone '" + s.zone() + "'");
    }
    if (s.from() == null || s.to() == null) {
      throw invalid("a freeze window needs from and to");
    }
    String kind = s.kind() == null ? "once" : s.kind();
    Instant now = clock.instant();
    switch (kind) {
      case "once" -> {
        Instant from;
        Instant to;
        try {
          from = Instant.parse(s.from());
          to = Instant.parse(s.to());
        } catch (DateTimeException e) {
          throw invalid("from and to must be ISO-8601 instants, e.g. 2026-12-24T00:00:00Z");
        }
        if (!to.isAfter(from)) {
          throw invalid("the window ends before it starts");
        }
        if (!to.isAfter(now)) {
          throw invalid("the window is over already");
        }
        return new FreezeWindow(
            ids.next("fz"),
            tenant.value(),
            FreezeWindow.Kind.ONCE,
            Optional.of(from),
            Optional.of(to),
            "",
            "",
            zone,
            reason,
            by,
            now);
      }
      case "weekly" -> {
        FreezeWindow.WeeklyTime a;
        FreezeWindow.WeeklyTime b;
        try {
          a = FreezeWindow.WeeklyTime.parse(s.from());
          b = FreezeWindow.WeeklyTime.parse(s.to());
        } catch (IllegalArgumentException e) {
          throw invalid(e.getMessage());
        }
        if (a.equals(b)) {
          throw invalid("a weekly window must not start and end at the same time");
        }
        return new FreezeWindow(
            ids.next("fz"),
            tenant.value(),
            FreezeWindow.Kind.WEEKLY,
            Optional.empty(),
            Optional.empty(),
            a.toString(),
            b.toString(),
            zone,
            reason,
            by,
            now);
      }
      default -> throw invalid("kind must be once or weekly");
    }
  }

  /** Whether two windows share any moment within the next weeks (or the one-off's span). */
  static boolean overlaps(FreezeWindow a, FreezeWindow b, Instant now) {
    Instant from = now.minus(Duration.ofDays(7));
    Instant to = now.plus(Duration.ofDays(21));
    for (FreezeWindow w : List.of(a, b)) {
      if (w.kind() == FreezeWindow.Kind.ONCE) {
        if (w.endsAt().orElseThrow().isAfter(to)) {
          to = w.endsAt().orElseThrow();
        }
        if (w.startsAt().orElseThrow().isBefore(from)) {
          from = w.startsAt().orElseThrow();
        }
      }
    }
    for (FreezeWindow.Span x : a.spans(from, to)) {
      for (FreezeWindow.Span y : b.spans(from, to)) {
        if (x.start().isBefore(y.end()) && y.start().isBefore(x.end())) {
          return true;
        }
      }
    }
    return false;
  }

  private static MaestroException invalid(String detail) {
    return MaestroException.of(ControlErrors.FREEZE_INVALID, detail);
  }
}
