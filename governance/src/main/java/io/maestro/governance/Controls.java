package io.maestro.governance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Ids;
import io.maestro.core.TenantId;
import io.maestro.governance.internal.ControlChanges;
import io.maestro.governance.internal.ControlListener;
import io.maestro.governance.internal.ControlStore;
import io.maestro.governance.internal.ReceiptSupport;
import io.maestro.provenance.Receipts;
import io.maestro.store.Database;
import io.maestro.store.Dialect;
import io.maestro.store.TenantScope;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * The governance module's entry point: ramps, kill switches, freeze windows and break-glass grants,
 * and {@link #facts} — what the policy is told about them for one request ({@code
 * input.governance}). The controls never refuse anything themselves: the canon pack {@code
 * maestro.governance} decides with the facts, so explanations, simulation and replay cover them.
 *
 * <p>The facts come from a cache that every change drops: in this process after the commit, in
 * every other process on PostgreSQL through {@code NOTIFY maestro_governance} (see {@link
 * #listen}). Thread-safe.
 */
public final class Controls implements AutoCloseable {
  private final Database db;
  private final ControlStore store = new ControlStore();
  private final ControlChanges changes = new ControlChanges();
  private final Clock clock;
  private final Ramps ramps;
  private final KillSwitches killSwitches;
  private final Freezes freezes;
  private final BreakGlass breakGlass;
  private final Incidents incidents;
  private final Throttles throttles;
  private final AtomicLong generation = new AtomicLong();
  private final Map<String, TenantControls> cache = new ConcurrentHashMap<>();
  private volatile Optional<List<KillSwitch>> switches = Optional.empty();
  private volatile ControlListener listener;

  /** What one tenant's facts are made of, as last read. */
  private record TenantControls(
      List<Ramp> ramps,
      List<FreezeWindow> freezes,
      List<BreakGlassGrant> grants,
      List<Throttle> throttles) {}

  public Controls(Database db, Receipts receipts, Clock clock, RandomGenerator random) {
    this.db = db;
    this.clock = clock;
    Ids ids = new Ids(clock, random);
    ReceiptSupport r = new ReceiptSupport(receipts);
    this.ramps = new Ramps(db, store, r, changes, clock);
    this.killSwitches = new KillSwitches(db, store, r, changes, clock, ids);
    this.freezes = new Freezes(db, store, r, changes, clock, ids);
    this.breakGlass = new BreakGlass(db, store, r, changes, clock, ids);
    this.incidents = new Incidents(db, r, clock, ids);
    this.throttles = new Throttles(db, r, changes, clock, ids);
    changes.onChange(this::invalidate);
  }

  public Ramps ramps() {
    return ramps;
  }

  public KillSwitches killSwitches() {
    return killSwitches;
  }

  public Freezes freezes() {
    return freezes;
  }

  public BreakGlass breakGlass() {
    return breakGlass;
  }

  public Incidents incidents() {
    return incidents;
  }

  public Throttles throttles() {
    return throttles;
  }

  /** Runs {@code listener} after every change of any control, here or (on PostgreSQL) elsewhere. */
  public void onChange(Runnable listener) {
    changes.onChange(listener);
  }

  /**
   * On PostgreSQL, starts listening for other processes' changes; does nothing on H2, where one
   * process owns the database.
   */
  public synchronized void listen() {
    if (listener != null || db.dialect() != Dialect.POSTGRESQL) {
      return;
    }
    var pool = db.pool();
    listener =
        new ControlListener(
            pool.getJdbcUrl(),
            Optional.ofNullable(pool.getUsername()).orElse(""),
            Optional.ofNullable(pool.getPassword()).orElse(""),
            changes,
            () -> !pool.isClosed());
  }

  private void invalidate() {
    generation.incrementAndGet();
    cache.clear();
    switches = Optional.empty();
  }

  /**
   * The policy input's {@code governance} object for a request in {@code tenant} (empty: a
   * platform-wide request): {@code killSwitches} (the tenant's and the global ones), {@code ramps},
   * {@code freeze} ({@code active}, {@code window}, {@code until}), {@code breakGlass} (the grants
   * not closed, each with its {@code state} now) and {@code throttles} (the active ones, each with
   * its {@code maxConcurrentRuns}). {@code namedGrant}, from the request, is echoed as {@code
   * breakGlassNamed} with its state, so using a grant that has expired is refused by name.
   */
  public ObjectNode facts(Optional<TenantId> tenant, Optional<String> namedGrant) {
    Instant now = clock.instant();
    ObjectNode g = ReceiptSupport.JSON.createObjectNode();
    ArrayNode ks = g.putArray("killSwitches");
    String t = tenant.map(TenantId::value).orElse(KillSwitch.GLOBAL);
    for (KillSwitch k : allSwitches()) {
      if (k.tenant().equals(t) || k.tenant().equals(KillSwitch.GLOBAL)) {
        ObjectNode o = ks.addObject();
        o.put("id", k.id());
        o.put("scope", k.scope().wire());
        o.put("target", k.target());
        o.put("version", k.version());
        o.put("tenant", k.tenant());
        o.put("mode", k.mode().wire());
      }
    }
    ObjectNode freeze = g.putObject("freeze");
    freeze.put("active", false);
    ArrayNode rs = g.putArray("ramps");
    ArrayNode bg = g.putArray("breakGlass");
    ArrayNode th = g.putArray("throttles");
    if (tenant.isEmpty()) {
      return g;
    }
    TenantControls c = tenantControls(tenant.get());
    for (Throttle x : c.throttles()) {
      th.addObject().put("id", x.id()).put("maxConcurrentRuns", x.maxConcurrentRuns());
    }
    for (Ramp r : c.ramps()) {
      ObjectNode o = rs.addObject();
      o.put("workflow", r.workflow());
      o.put("version", r.version());
      o.put("action", r.action());
      o.put("percent", r.percent());
      o.put("step", r.step());
    }
    for (FreezeWindow w : c.freezes()) {
      var span = w.activeAt(now);
      if (span.isPresent()) {
        freeze.put("active", true);
        freeze.put("window", w.id());
        freeze.put("until", span.get().end().toString());
        freeze.put("reason", w.reason());
        break;
      }
    }
    for (BreakGlassGrant x : c.grants()) {
      String state = x.state(now);
      if (namedGrant.isPresent() && namedGrant.get().equals(x.id())) {
        g.putObject("breakGlassNamed").put("id", x.id()).put("state", state);
      }
      if (x.closedAt().isPresent()) {
        continue;
      }
      ObjectNode o = bg.addObject();
      o.put("id", x.id());
      o.put("state", state);
      ArrayNode a = o.putArray("actions");
      x.actions().forEach(a::add);
    }
    if (namedGrant.isPresent() && !g.has("breakGlassNamed")) {
      g.putObject("breakGlassNamed").put("id", namedGrant.get()).put("state", "unknown");
    }
    return g;
  }

  /** Every active kill switch of every tenant, and the global ones, from the cache. */
  public List<KillSwitch> activeKillSwitches() {
    return allSwitches();
  }

  private List<KillSwitch> allSwitches() {
    Optional<List<KillSwitch>> cached = switches;
    if (cached.isPresent()) {
      return cached.get();
    }
    long gen = generation.get();
    List<KillSwitch> loaded = List.copyOf(killSwitches.allActive());
    if (generation.get() == gen) {
      switches = Optional.of(loaded);
    }
    return loaded;
  }

  private TenantControls tenantControls(TenantId tenant) {
    TenantControls c = cache.get(tenant.value());
    if (c != null) {
      return c;
    }
    long gen = generation.get();
    TenantControls loaded =
        db.inTransaction(
            TenantScope.of(tenant),
            tx ->
                new TenantControls(
                    List.copyOf(store.ramps(tx, tenant.value())),
                    List.copyOf(store.freezes(tx, tenant.value())),
                    List.copyOf(
                        new ArrayList<>(store.grants(tx, tenant.value(), Optional.empty()))),
                    List.copyOf(throttles.active(tx, tenant))));
    // A change that landed while this was read must not be hidden behind a stale entry.
    if (generation.get() == gen) {
      cache.put(tenant.value(), loaded);
    }
    return loaded;
  }

  @Override
  public synchronized void close() {
    if (listener != null) {
      listener.close();
      listener = null;
    }
  }
}
