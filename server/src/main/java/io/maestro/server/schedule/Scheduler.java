package io.maestro.server.schedule;

import io.maestro.core.Actor;
import io.maestro.core.TenantId;
import io.maestro.core.background.BackgroundLoop;
import io.maestro.engine.Authorization;
import io.maestro.engine.run.StartRun;
import io.maestro.engine.schedule.Cron;
import io.maestro.engine.schedule.Schedule;
import io.maestro.engine.schedule.Schedules;
import io.maestro.engine.schedule.Ticks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fires due schedules. Every pass reads the schedules whose next tick has come (all tenants), works
 * out with {@link Ticks} what each does now, asks the policy as {@code system:scheduler} to start
 * the tick's run on the governed start path ({@link SystemStarts}), and hands the outcome to {@link
 * Schedules#handle}, which claims the tick and creates the run in one transaction — so with several
 * server processes on one database each tick is handled by one of them. Then it starts the waiting
 * ticks ({@code queue_one}) whose schedule has no run left.
 *
 * <p>Each server process runs one; {@code schedules.pollSeconds = 0} leaves it off.
 */
public final class Scheduler implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Scheduler.class.getName());

  private final Schedules schedules;
  private final SystemStarts starts;
  private final Duration every;
  private final Clock clock;
  private BackgroundLoop loop;

  Scheduler(Schedules schedules, SystemStarts starts, Duration every, Clock clock) {
    this.schedules = schedules;
    this.starts = starts;
    this.every = every;
    this.clock = clock;
  }

  /** Starts passing every {@code schedules.pollSeconds}; zero leaves it off. */
  public synchronized Scheduler start() {
    if (loop != null || every.isZero()) {
      return this;
    }
    loop = BackgroundLoop.afterEach("maestro-scheduler", every, this::pass);
    return this;
  }

  /** What one pass did: each tick this process handled, with its outcome. */
  public record Fired(TenantId tenant, String schedule, Schedules.Outcome outcome) {}

  /** One pass over every due schedule and waiting tick; returns what this process handled. */
  public List<Fired> pass() {
    Instant now = clock.instant();
    List<Fired> out = new ArrayList<>();
    for (Schedule s : schedules.due(now)) {
      try {
        fire(s, now).ifPresent(out::add);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "schedule " + s.id() + " of " + s.tenant().value() + " failed", e);
      }
    }
    for (Schedules.TenantFiring f : schedules.queued()) {
      try {
        startQueued(f).ifPresent(out::add);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "queued tick of " + f.firing().scheduleId() + " failed", e);
      }
    }
    return out;
  }

  private Optional<Fired> fire(Schedule s, Instant now) {
    Ticks.Plan plan = Ticks.plan(s, Cron.parse(s.cron()), now);
    if (!plan.changes(s.nextTick())) {
      return Optional.empty();
    }
    Actor actor = SystemStarts.actor(SystemStarts.SCHEDULER, s.tenant());
    if (plan.fire().isEmpty()) {
      schedules.handle(s, plan, SystemStarts.refusedBy(actor), Optional.empty(), Optional.empty());
      return Optional.empty();
    }
    Instant tick = plan.fire().get();
    Optional<String> key = Optional.of(idempotencyKey(s.id(), tick));
    SystemStarts.Result r = starts.admit(actor, s.tenant(), s.workflow(), s.version(), key);
    Schedules.Handled h;
    if (r instanceof SystemStarts.Admitted a) {
      try {
        h =
            schedules.handle(
                s,
                plan,
                a.admission().authorization(),
                Optional.of(run(s, a.admission(), key)),
                Optional.empty());
      } finally {
        starts.done(a);
      }
    } else if (!((SystemStarts.Refused) r).byPolicy()) {
      h =
          schedules.fail(
              s, plan, SystemStarts.refusedBy(actor), ((SystemStarts.Refused) r).problem());
    } else {
      SystemStarts.Refused refused = (SystemStarts.Refused) r;
      h =
          schedules.handle(
              s,
              plan,
              SystemStarts.refusedBy(actor),
              Optional.empty(),
              Optional.of(refused.detail()));
    }
    return h.outcome().map(o -> new Fired(s.tenant(), s.id(), o));
  }

  private Optional<Fired> startQueued(Schedules.TenantFiring f) {
    TenantId tenant = f.tenant();
    Optional<Schedule> s = schedules.get(tenant, f.firing().scheduleId());
    if (s.isEmpty() || schedules.activeRuns(tenant, s.get().id()) > 0) {
      return Optional.empty();
    }
    Actor actor = SystemStarts.actor(SystemStarts.SCHEDULER, tenant);
    Optional<String> key = Optional.of(idempotencyKey(s.get().id(), f.firing().tick()));
    SystemStarts.Result r = starts.admit(actor, tenant, s.get().workflow(), s.get().version(), key);
    Schedules.Handled h;
    if (r instanceof SystemStarts.Admitted a) {
      try {
        Authorization auth = a.admission().authorization();
        h =
            schedules.startQueued(
                tenant, f.firing(), auth, run(s.get(), a.admission(), key), Optional.empty());
      } finally {
        starts.done(a);
      }
    } else {
      h =
          schedules.startQueued(
              tenant,
              f.firing(),
              SystemStarts.refusedBy(actor),
              run(s.get(), SystemStarts.refusedBy(actor), key),
              Optional.of(((SystemStarts.Refused) r).detail()));
    }
    return h.outcome().map(o -> new Fired(tenant, s.get().id(), o));
  }

  /** The same tick always names the same run, whichever process starts it. */
  static String idempotencyKey(String scheduleId, Instant tick) {
    return "schedule:" + scheduleId + ":" + tick.getEpochSecond();
  }

  /** The tick's run, on the version its admission routed it to (the schedule's, or stable). */
  private static StartRun run(
      Schedule s, io.maestro.server.engine.EngineService.Admission a, Optional<String> key) {
    return run(s, a.authorization(), a.version(), key);
  }

  private static StartRun run(Schedule s, Authorization auth, Optional<String> key) {
    return run(s, auth, s.version(), key);
  }

  @SuppressWarnings("unchecked")
  private static StartRun run(
      Schedule s, Authorization auth, Optional<String> version, Optional<String> key) {
    Map<String, Object> inputs =
        io.maestro.engine.JsonText.MAPPER.convertValue(s.inputs(), Map.class);
    return new StartRun(
        s.tenant(),
        s.workflow(),
        version,
        inputs == null ? Map.of() : inputs,
        key,
        auth,
        Optional.empty(),
        StartRun.SCHEDULE);
  }

  @Override
  public synchronized void close() {
    if (loop != null) {
      loop.close();
      loop = null;
    }
  }
}
