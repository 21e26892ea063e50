package io.maestro.engine.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.Authorization;
import io.maestro.engine.EngineErrors;
import io.maestro.engine.EngineReceipts.Type;
import io.maestro.engine.JsonText;
import io.maestro.engine.internal.ReceiptWriter;
import io.maestro.engine.run.StartRun;
import io.maestro.engine.run.StartRunHandler;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Stored schedules and the handling of their ticks. Every change is one transaction with its
 * receipt. A tick is claimed by moving the schedule's {@code next_tick} from the value the
 * scheduler read to the next one (compare-and-set) and inserting the tick's row in {@code
 * engine_schedule_firings} (its primary key): the run the tick starts is created in that same
 * transaction, so on one database — however many server processes share it — each tick is handled
 * once and starts at most one run.
 *
 * <p>Thread-safe; the policy decision behind a firing is taken by the caller before {@link #handle}
 * (the server's scheduler, as the system actor {@code system:scheduler}).
 */
public final class Schedules {
  public static final String SOURCE_API = "api";
  public static final String SOURCE_MANIFEST = "manifest";

  private static final String COLUMNS =
      "tenant_id, schedule_id, workflow, version, cron, time_zone, overlap, catch_up_seconds,"
          + " jitter_seconds, inputs, source, paused, next_tick, created_by, created_at";

  private final Database db;
  private final ReceiptWriter receipts;
  private final TickClaims claims;
  private final Clock clock;

  public Schedules(Database db, ReceiptWriter receipts, StartRunHandler starts, Clock clock) {
    this.db = db;
    this.receipts = receipts;
    this.claims = new TickClaims(db, receipts, starts, clock);
    this.clock = clock;
  }

  /** What happened to a tick. */
  public enum Outcome {
    STARTED,
    SKIPPED,
    QUEUED,
    DENIED,
    MISSED,
    FAILED;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One handled tick. */
  public record Firing(
      String scheduleId,
      Instant tick,
      Instant handledAt,
      Outcome outcome,
      Optional<String> runId,
      Optional<String> decisionId,
      Optional<String> detail) {}

  /**
   * Creates a schedule; its first tick is the first after now.
   *
   * @throws MaestroException {@code schedule_exists} when the tenant has one with this id
   */
  public Schedule create(Authorization auth, TenantId tenant, ScheduleSpec spec, String source) {
    Instant now = clock.instant();
    Optional<Instant> first = spec.cron().next(now, spec.zone());
    return receipts.inTransaction(
        db,
        TenantScope.of(tenant),
        tx -> {
          if (find(tx, tenant, spec.id()).isPresent()) {
            throw MaestroException.of(
                EngineErrors.SCHEDULE_EXISTS, "schedule " + spec.id() + " already exists");
          }
          insert(tx, auth, tenant, spec, source, first, now);
          return find(tx, tenant, spec.id()).orElseThrow();
        });
  }

  /**
   * Makes the manifest's schedules of {@code workflow} the tenant's manifest schedules of that
   * workflow: new ones are created, changed ones replaced (keeping their paused state), and the
   * ones the manifest no longer declares deleted. Runs in the caller's transaction (the publish).
   */
  public void syncManifest(
      Tx tx, Authorization auth, TenantId tenant, String workflow, List<ScheduleSpec> specs) {
    Instant now = clock.instant();
    List<String> keep = new ArrayList<>();
    for (ScheduleSpec spec : specs) {
      keep.add(spec.id());
      Optional<Schedule> old = find(tx, tenant, spec.id());
      if (old.isPresent() && !SOURCE_MANIFEST.equals(old.get().source())) {
        throw MaestroException.of(
            EngineErrors.SCHEDULE_EXISTS,
            "schedule " + spec.id() + " exists and was created through the API");
      }
      if (old.isPresent() && old.get().workflow().equals(workflow) && same(old.get(), spec)) {
        continue;
      }
      if (old.isPresent()) {
        tx.update(
            "DELETE FROM engine_schedules WHERE tenant_id = ? AND schedule_id = ?",
            tenant.value(),
            spec.id());
      }
      insert(tx, auth, tenant, spec, SOURCE_MANIFEST, spec.cron().next(now, spec.zone()), now);
      if (old.isPresent() && old.get().paused()) {
        setPaused(tx, tenant, spec.id(), true);
      }
    }
    for (Schedule s : list(tx, tenant)) {
      if (s.workflow().equals(workflow)
          && SOURCE_MANIFEST.equals(s.source())
          && !keep.contains(s.id())) {
        deleteRow(tx, auth, tenant, s);
      }
    }
  }

  /**
   * The schedules a manifest declares ({@code spec.schedules} of its canonical form), checked as
   * the API checks them; a refusal names the schedule's place in the manifest.
   */
  public static List<ScheduleSpec> declared(
      com.fasterxml.jackson.databind.JsonNode canonical,
      String workflow,
      Duration minInterval,
      Instant now) {
    List<ScheduleSpec> out = new ArrayList<>();
    com.fasterxml.jackson.databind.JsonNode list = canonical.path("spec").path("schedules");
    for (int i = 0; i < list.size(); i++) {
      com.fasterxml.jackson.databind.JsonNode s = list.get(i);
      try {
        out.add(
            ScheduleSpec.of(
                s.path("id").asText(),
                workflow,
                Optional.empty(),
                s.path("cron").asText(),
                s.path("timeZone").asText(null),
                s.path("overlap").asText(null),
                s.path("catchUpSeconds").asLong(0),
                s.path("jitterSeconds").asLong(0),
                s.get("inputs"),
                minInterval,
                now));
      } catch (MaestroException e) {
        throw MaestroException.of(
            e.code(), "spec.schedules[" + i + "] (" + s.path("id").asText() + "): " + e.detail());
      }
    }
    return out;
  }

  private static boolean same(Schedule s, ScheduleSpec spec) {
    return s.cron().equals(spec.cron().expression())
        && s.zone().equals(spec.zone())
        && s.overlap() == spec.overlap()
        && s.catchUp().equals(spec.catchUp())
        && s.jitter().equals(spec.jitter())
        && s.version().equals(spec.version())
        && s.inputs().equals(spec.inputs());
  }

  private void insert(
      Tx tx,
      Authorization auth,
      TenantId tenant,
      ScheduleSpec spec,
      String source,
      Optional<Instant> first,
      Instant now) {
    tx.update(
        "INSERT INTO engine_schedules (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        tenant.value(),
        spec.id(),
        spec.workflow(),
        spec.version().orElse(null),
        spec.cron().expression(),
        spec.zone().getId(),
        spec.overlap().wire(),
        spec.catchUp().toSeconds(),
        spec.jitter().toSeconds(),
        JsonText.json(spec.inputs()),
        source,
        false,
        first.orElse(null),
        auth.actor().subject(),
        now);
    ObjectNode p =
        JsonText.object()
            .put("workflow", spec.workflow())
            .put("cron", spec.cron().expression())
            .put("timeZone", spec.zone().getId())
            .put("overlap", spec.overlap().wire())
            .put("catchUpSeconds", spec.catchUp().toSeconds())
            .put("jitterSeconds", spec.jitter().toSeconds())
            .put("source", source)
            .put("nextTick", first.map(Instant::toString).orElse(null));
    spec.version().ifPresent(v -> p.put("version", v));
    receipts.control(tx, tenant, auth, Type.SCHEDULE_CREATED, "schedule", spec.id(), p);
  }

  public List<Schedule> list(TenantId tenant) {
    return db.inTransaction(TenantScope.of(tenant), tx -> list(tx, tenant));
  }

  private List<Schedule> list(Tx tx, TenantId tenant) {
    return tx.query(
        "SELECT " + COLUMNS + " FROM engine_schedules WHERE tenant_id = ? ORDER BY schedule_id",
        Schedules::map,
        tenant.value());
  }

  public Optional<Schedule> get(TenantId tenant, String id) {
    return db.inTransaction(TenantScope.of(tenant), tx -> find(tx, tenant, id));
  }

  /** The schedule, or {@code schedule_not_found}. */
  public Schedule require(TenantId tenant, String id) {
    return get(tenant, id).orElseThrow(() -> notFound(id));
  }

  private static MaestroException notFound(String id) {
    return MaestroException.of(EngineErrors.SCHEDULE_NOT_FOUND, "no schedule " + id);
  }

  private Optional<Schedule> find(Tx tx, TenantId tenant, String id) {
    return tx.queryOne(
        "SELECT " + COLUMNS + " FROM engine_schedules WHERE tenant_id = ? AND schedule_id = ?",
        Schedules::map,
        tenant.value(),
        id);
  }

  public void delete(Authorization auth, TenantId tenant, String id) {
    receipts.inTransaction(
        db,
        TenantScope.of(tenant),
        tx -> {
          deleteRow(tx, auth, tenant, find(tx, tenant, id).orElseThrow(() -> notFound(id)));
          return null;
        });
  }

  private void deleteRow(Tx tx, Authorization auth, TenantId tenant, Schedule s) {
    tx.update(
        "DELETE FROM engine_schedules WHERE tenant_id = ? AND schedule_id = ?",
        tenant.value(),
        s.id());
    // A tick waiting for its run has nothing left to wait for.
    tx.update(
        "DELETE FROM engine_schedule_firings WHERE tenant_id = ? AND schedule_id = ?"
            + " AND outcome = ?",
        tenant.value(),
        s.id(),
        Outcome.QUEUED.wire());
    receipts.control(
        tx,
        tenant,
        auth,
        Type.SCHEDULE_DELETED,
        "schedule",
        s.id(),
        JsonText.object().put("workflow", s.workflow()).put("source", s.source()));
  }

  /** Pauses a schedule; pausing a paused one changes nothing and writes no receipt. */
  public Schedule pause(Authorization auth, TenantId tenant, String id) {
    return receipts.inTransaction(
        db,
        TenantScope.of(tenant),
        tx -> {
          Schedule s = find(tx, tenant, id).orElseThrow(() -> notFound(id));
          if (!s.paused()) {
            setPaused(tx, tenant, id, true);
            receipts.control(
                tx,
                tenant,
                auth,
                Type.SCHEDULE_PAUSED,
                "schedule",
                id,
                JsonText.object().put("workflow", s.workflow()));
          }
          return find(tx, tenant, id).orElseThrow();
        });
  }

  /**
   * Resumes a paused schedule from now: the ticks of the paused time are not caught up (pausing
   * means "do not run"), the next tick is the first after now.
   */
  public Schedule resume(Authorization auth, TenantId tenant, String id) {
    return receipts.inTransaction(
        db,
        TenantScope.of(tenant),
        tx -> {
          Schedule s = find(tx, tenant, id).orElseThrow(() -> notFound(id));
          if (s.paused()) {
            Optional<Instant> next = Cron.parse(s.cron()).next(clock.instant(), s.zone());
            tx.update(
                "UPDATE engine_schedules SET paused = ?, next_tick = ?"
                    + " WHERE tenant_id = ? AND schedule_id = ?",
                false,
                next.orElse(null),
                tenant.value(),
                id);
            receipts.control(
                tx,
                tenant,
                auth,
                Type.SCHEDULE_RESUMED,
                "schedule",
                id,
                JsonText.object()
                    .put("workflow", s.workflow())
                    .put("nextTick", next.map(Instant::toString).orElse(null)));
          }
          return find(tx, tenant, id).orElseThrow();
        });
  }

  private static void setPaused(Tx tx, TenantId tenant, String id, boolean paused) {
    tx.update(
        "UPDATE engine_schedules SET paused = ? WHERE tenant_id = ? AND schedule_id = ?",
        paused,
        tenant.value(),
        id);
  }

  /** Every tenant's active schedules whose next tick is at or before {@code now}. */
  public List<Schedule> due(Instant now) {
    return db.inTransaction(
        TenantScope.platform(),
        tx ->
            tx.query(
                "SELECT "
                    + COLUMNS
                    + " FROM engine_schedules WHERE paused = ? AND next_tick <= ?"
                    + " ORDER BY next_tick",
                Schedules::map,
                false,
                now));
  }

  /** Every tenant's ticks waiting for their schedule's run to end ({@code queue_one}). */
  public List<TenantFiring> queued() {
    return claims.queued();
  }

  /** A firing with its tenant. */
  public record TenantFiring(TenantId tenant, Firing firing) {}

  /** The latest firings of a schedule, newest first. */
  public List<Firing> firings(TenantId tenant, String id, int limit) {
    return claims.firings(tenant, id, limit);
  }

  /** Runs started by the schedule that have not ended. */
  public int activeRuns(TenantId tenant, String id) {
    return claims.activeRuns(tenant, id);
  }

  /**
   * What a handled tick came to.
   *
   * @param claimed false when another process had already handled the tick (nothing was written)
   */
  public record Handled(boolean claimed, Optional<Outcome> outcome, Optional<String> runId) {
    static Handled lost() {
      return new Handled(false, Optional.empty(), Optional.empty());
    }
  }

  /**
   * Handles one scheduler pass over {@code s} as {@code plan} says, in one transaction: claims the
   * pass (moves {@code next_tick} from what {@code s} holds to {@code plan.next()}), records missed
   * ticks, and for the tick to fire either records the refusal ({@code refusal}: the decision's id
   * and reasons), applies the overlap policy, or starts the run ({@code start}, admitted by {@code
   * auth}'s decision). A run that cannot be created is recorded as {@code failed}.
   *
   * @param start the run the tick starts when allowed; its idempotency key is the tick's
   * @return {@link Handled#claimed()} false when another process handled this pass first
   */
  public Handled handle(
      Schedule s,
      Ticks.Plan plan,
      Authorization auth,
      Optional<StartRun> start,
      Optional<ObjectNode> refusal) {
    return claims.handle(s, plan, auth, start, refusal);
  }

  /**
   * Starts the run of a tick that waited ({@code queue_one}) once no run of its schedule is active.
   * Claimed by moving the row from {@code queued} to {@code started}, with the run, in one
   * transaction.
   */
  public Handled startQueued(
      TenantId tenant, Firing f, Authorization auth, StartRun start, Optional<ObjectNode> refusal) {
    Schedule s = get(tenant, f.scheduleId()).orElseThrow(() -> notFound(f.scheduleId()));
    return claims.startQueued(s, f, auth, start, refusal);
  }

  /**
   * Handles a pass whose tick could not be started for a reason other than a policy refusal (the
   * workflow has no published version any more): the tick is recorded as {@code failed} with the
   * error's code, so it is not retried on every pass.
   */
  public Handled fail(Schedule s, Ticks.Plan plan, Authorization auth, MaestroException e) {
    return claims.fail(s, plan, auth, e);
  }

  private static Schedule map(ResultSet rs) throws SQLException {
    return new Schedule(
        TenantId.of(rs.getString("tenant_id")),
        rs.getString("schedule_id"),
        rs.getString("workflow"),
        Optional.ofNullable(rs.getString("version")),
        rs.getString("cron"),
        ZoneId.of(rs.getString("time_zone")),
        Overlap.parse(rs.getString("overlap")),
        Duration.ofSeconds(rs.getLong("catch_up_seconds")),
        Duration.ofSeconds(rs.getLong("jitter_seconds")),
        JsonText.read(rs.getString("inputs")),
        rs.getString("source"),
        rs.getBoolean("paused"),
        Optional.ofNullable(Tx.instant(rs, "next_tick")),
        rs.getString("created_by"),
        Tx.instant(rs, "created_at"));
  }
}
