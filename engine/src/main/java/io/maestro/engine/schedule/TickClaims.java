package io.maestro.engine.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.Authorization;
import io.maestro.engine.EngineReceipts.Type;
import io.maestro.engine.JsonText;
import io.maestro.engine.RunStatus;
import io.maestro.engine.internal.ReceiptWriter;
import io.maestro.engine.run.StartRun;
import io.maestro.engine.run.StartRunHandler;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The handling of ticks behind {@link Schedules}: the claim of a scheduler pass (compare-and-set of
 * {@code next_tick} and the tick's row in {@code engine_schedule_firings}), the overlap policy, the
 * run's creation and the {@code schedule.fired} receipt, all in one transaction.
 */
final class TickClaims {
  private final Database db;
  private final ReceiptWriter receipts;
  private final StartRunHandler starts;
  private final Clock clock;

  TickClaims(Database db, ReceiptWriter receipts, StartRunHandler starts, Clock clock) {
    this.db = db;
    this.receipts = receipts;
    this.starts = starts;
    this.clock = clock;
  }

  /** Every tenant's ticks waiting for their schedule's run to end ({@code queue_one}). */
  List<Schedules.TenantFiring> queued() {
    return db.inTransaction(
        TenantScope.platform(),
        tx ->
            tx.query(
                "SELECT tenant_id, schedule_id, tick, handled_at, outcome, run_id, decision_id,"
                    + " detail FROM engine_schedule_firings WHERE outcome = ? ORDER BY tick",
                TickClaims::mapFiringWithTenant,
                Schedules.Outcome.QUEUED.wire()));
  }

  /** The latest firings of a schedule, newest first. */
  List<Schedules.Firing> firings(TenantId tenant, String id, int limit) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx ->
            tx.query(
                "SELECT schedule_id, tick, handled_at, outcome, run_id, decision_id, detail"
                    + " FROM engine_schedule_firings WHERE tenant_id = ? AND schedule_id = ?"
                    + " ORDER BY tick DESC LIMIT ?",
                TickClaims::mapFiring,
                tenant.value(),
                id,
                limit));
  }

  /** Runs started by the schedule that have not ended. */
  int activeRuns(TenantId tenant, String id) {
    return db.inTransaction(TenantScope.of(tenant), tx -> activeRuns(tx, tenant, id));
  }

  private static int activeRuns(Tx tx, TenantId tenant, String id) {
    List<String> active =
        Arrays.stream(RunStatus.values()).filter(s -> !s.terminal()).map(Enum::name).toList();
    List<Object> args = new ArrayList<>();
    args.add(tenant.value());
    args.add(id);
    args.addAll(active);
    return tx.queryOne(
            "SELECT count(*) AS n FROM engine_schedule_firings f JOIN engine_runs r"
                + " ON r.tenant_id = f.tenant_id AND r.run_id = f.run_id"
                + " WHERE f.tenant_id = ? AND f.schedule_id = ? AND r.status IN ("
                + String.join(", ", Collections.nCopies(active.size(), "?"))
                + ")",
            rs -> rs.getInt("n"),
            args.toArray())
        .orElse(0);
  }

  /**
   * Handles one scheduler pass over {@code s} as {@code plan} says, in one transaction: claims the
   * pass (moves {@code next_tick} from what {@code s} holds to {@code plan.next()}), records missed
   * ticks, and for the tick to fire either records the refusal ({@code decision} denied), applies
   * the overlap policy, or starts the run ({@code start}, admitted by {@code decision}).
   *
   * @param start the run the tick starts when allowed; its idempotency key is the tick's
   * @return {@link Handled#claimed()} false when another process handled this pass first
   */
  Schedules.Handled handle(
      Schedule s,
      Ticks.Plan plan,
      Authorization auth,
      Optional<StartRun> start,
      Optional<ObjectNode> refusal) {
    TenantId tenant = s.tenant();
    Instant now = clock.instant();
    try {
      return receipts.inTransaction(
          db,
          TenantScope.of(tenant),
          tx -> {
            if (!claimPass(tx, s, plan)) {
              return Schedules.Handled.lost();
            }
            recordMissed(tx, auth, s, plan, now);
            if (plan.fire().isEmpty()) {
              return new Schedules.Handled(true, Optional.empty(), Optional.empty());
            }
            Instant tick = plan.fire().get();
            if (refusal.isPresent()) {
              insertFiring(tx, s, tick, now, Schedules.Outcome.DENIED, null, auth, refusal.get());
              fired(tx, auth, s, tick, Schedules.Outcome.DENIED, refusal.get());
              return new Schedules.Handled(
                  true, Optional.of(Schedules.Outcome.DENIED), Optional.empty());
            }
            Schedules.Outcome o = overlap(tx, s);
            if (o != Schedules.Outcome.STARTED || start.isEmpty()) {
              ObjectNode d = JsonText.object().put("overlap", s.overlap().wire());
              insertFiring(tx, s, tick, now, o, null, auth, d);
              fired(tx, auth, s, tick, o, d);
              return new Schedules.Handled(true, Optional.of(o), Optional.empty());
            }
            return startIn(tx, s, tick, now, auth, start.get(), false);
          });
    } catch (MaestroException e) {
      // The run could not be created (the workflow was removed, its inputs no longer validate):
      // the tick is handled as failed so the scheduler does not retry it forever.
      return failed(s, plan, auth, e, now);
    }
  }

  /**
   * Starts the run of a tick that waited ({@code queue_one}) once no run of its schedule is active.
   * Claimed by moving the row from {@code queued} to {@code started}, with the run, in one
   * transaction.
   */
  Schedules.Handled startQueued(
      Schedule s,
      Schedules.Firing f,
      Authorization auth,
      StartRun start,
      Optional<ObjectNode> refusal) {
    TenantId tenant = s.tenant();
    Instant now = clock.instant();
    return receipts.inTransaction(
        db,
        TenantScope.of(tenant),
        tx -> {
          if (activeRuns(tx, tenant, s.id()) > 0) {
            return new Schedules.Handled(false, Optional.empty(), Optional.empty());
          }
          String next =
              refusal.isPresent()
                  ? Schedules.Outcome.DENIED.wire()
                  : Schedules.Outcome.STARTED.wire();
          int claimed =
              tx.update(
                  "UPDATE engine_schedule_firings SET outcome = ?, handled_at = ?, decision_id = ?"
                      + " WHERE tenant_id = ? AND schedule_id = ? AND tick = ? AND outcome = ?",
                  next,
                  now,
                  auth.decision().map(Decision::id).orElse(null),
                  tenant.value(),
                  s.id(),
                  f.tick(),
                  Schedules.Outcome.QUEUED.wire());
          if (claimed != 1) {
            return Schedules.Handled.lost();
          }
          if (refusal.isPresent()) {
            fired(tx, auth, s, f.tick(), Schedules.Outcome.DENIED, refusal.get());
            return new Schedules.Handled(
                true, Optional.of(Schedules.Outcome.DENIED), Optional.empty());
          }
          return startIn(tx, s, f.tick(), now, auth, start, true);
        });
  }

  private Schedules.Handled startIn(
      Tx tx,
      Schedule s,
      Instant tick,
      Instant now,
      Authorization auth,
      StartRun start,
      boolean rowExists) {
    if (!rowExists) {
      insertFiring(tx, s, tick, now, Schedules.Outcome.STARTED, null, auth, null);
    }
    StartRun.Started run = starts.handle(tx, start);
    tx.update(
        "UPDATE engine_schedule_firings SET run_id = ? WHERE tenant_id = ? AND schedule_id = ?"
            + " AND tick = ?",
        run.runId(),
        s.tenant().value(),
        s.id(),
        tick);
    fired(tx, auth, s, tick, Schedules.Outcome.STARTED, JsonText.object().put("run", run.runId()));
    return new Schedules.Handled(
        true, Optional.of(Schedules.Outcome.STARTED), Optional.of(run.runId()));
  }

  /**
   * Handles a pass whose tick could not be started for a reason other than a policy refusal (the
   * workflow has no published version any more): the tick is recorded as {@code failed} with the
   * error's code, so it is not retried on every pass.
   */
  Schedules.Handled fail(Schedule s, Ticks.Plan plan, Authorization auth, MaestroException e) {
    return failed(s, plan, auth, e, clock.instant());
  }

  private Schedules.Handled failed(
      Schedule s, Ticks.Plan plan, Authorization auth, MaestroException e, Instant now) {
    return receipts.inTransaction(
        db,
        TenantScope.of(s.tenant()),
        tx -> {
          if (!claimPass(tx, s, plan)) {
            return Schedules.Handled.lost();
          }
          recordMissed(tx, auth, s, plan, now);
          Instant tick = plan.fire().orElseThrow();
          ObjectNode d =
              JsonText.object().put("code", e.code().code()).put("message", e.getMessage());
          insertFiring(tx, s, tick, now, Schedules.Outcome.FAILED, null, auth, d);
          fired(tx, auth, s, tick, Schedules.Outcome.FAILED, d);
          return new Schedules.Handled(
              true, Optional.of(Schedules.Outcome.FAILED), Optional.empty());
        });
  }

  /** The overlap policy's answer while runs of the schedule are active. */
  private static Schedules.Outcome overlap(Tx tx, Schedule s) {
    if (s.overlap() == Overlap.ALLOW || activeRuns(tx, s.tenant(), s.id()) == 0) {
      return Schedules.Outcome.STARTED;
    }
    if (s.overlap() == Overlap.SKIP) {
      return Schedules.Outcome.SKIPPED;
    }
    boolean waiting =
        tx.queryOne(
                    "SELECT count(*) AS n FROM engine_schedule_firings"
                        + " WHERE tenant_id = ? AND schedule_id = ? AND outcome = ?",
                    rs -> rs.getInt("n"),
                    s.tenant().value(),
                    s.id(),
                    Schedules.Outcome.QUEUED.wire())
                .orElse(0)
            > 0;
    return waiting ? Schedules.Outcome.SKIPPED : Schedules.Outcome.QUEUED;
  }

  /** Compare-and-set of the schedule's next tick: only one process wins a pass. */
  private static boolean claimPass(Tx tx, Schedule s, Ticks.Plan plan) {
    Instant before = s.nextTick().orElseThrow();
    return tx.update(
            "UPDATE engine_schedules SET next_tick = ? WHERE tenant_id = ? AND schedule_id = ?"
                + " AND next_tick = ? AND paused = ?",
            plan.next().orElse(null),
            s.tenant().value(),
            s.id(),
            before,
            false)
        == 1;
  }

  private void recordMissed(Tx tx, Authorization auth, Schedule s, Ticks.Plan plan, Instant now) {
    if (plan.missed() == 0) {
      return;
    }
    Instant first = plan.firstMissed().orElseThrow();
    ObjectNode d =
        JsonText.object()
            .put("missed", plan.missed())
            .put("catchUpSeconds", s.catchUp().toSeconds());
    insertFiring(tx, s, first, now, Schedules.Outcome.MISSED, null, auth, d);
    fired(tx, auth, s, first, Schedules.Outcome.MISSED, d);
  }

  private static void insertFiring(
      Tx tx,
      Schedule s,
      Instant tick,
      Instant now,
      Schedules.Outcome outcome,
      String runId,
      Authorization auth,
      ObjectNode detail) {
    int n =
        tx.update(
            "INSERT INTO engine_schedule_firings (tenant_id, schedule_id, tick, handled_at,"
                + " outcome, run_id, decision_id, detail) VALUES (?,?,?,?,?,?,?,?)"
                + " ON CONFLICT DO NOTHING",
            s.tenant().value(),
            s.id(),
            tick,
            now,
            outcome.wire(),
            runId,
            auth.decision().map(Decision::id).orElse(null),
            detail == null ? null : truncate(detail.toString()));
    if (n != 1) {
      // The compare-and-set on next_tick already made this pass ours; a row for the tick means
      // the schedule was recreated with the same id and tick. Fail the pass rather than fire twice.
      throw new IllegalStateException(
          "tick " + tick + " of schedule " + s.id() + " was already handled");
    }
  }

  private static String truncate(String s) {
    return s.length() <= 1000 ? s : s.substring(0, 1000);
  }

  private void fired(
      Tx tx,
      Authorization auth,
      Schedule s,
      Instant tick,
      Schedules.Outcome outcome,
      ObjectNode detail) {
    ObjectNode p =
        JsonText.object()
            .put("workflow", s.workflow())
            .put("tick", tick.toString())
            .put("outcome", outcome.wire());
    if (detail != null) {
      p.setAll(detail);
    }
    receipts.control(tx, s.tenant(), auth, Type.SCHEDULE_FIRED, "schedule", s.id(), p);
  }

  private static Schedules.Firing mapFiring(ResultSet rs) throws SQLException {
    return new Schedules.Firing(
        rs.getString("schedule_id"),
        Tx.instant(rs, "tick"),
        Tx.instant(rs, "handled_at"),
        Schedules.Outcome.valueOf(rs.getString("outcome").toUpperCase(Locale.ROOT)),
        Optional.ofNullable(rs.getString("run_id")),
        Optional.ofNullable(rs.getString("decision_id")),
        Optional.ofNullable(rs.getString("detail")));
  }

  private static Schedules.TenantFiring mapFiringWithTenant(ResultSet rs) throws SQLException {
    return new Schedules.TenantFiring(TenantId.of(rs.getString("tenant_id")), mapFiring(rs));
  }
}
