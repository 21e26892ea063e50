package io.maestro.metering;

import io.maestro.core.TenantId;
import io.maestro.metering.internal.BudgetTable;
import io.maestro.metering.internal.EventTable;
import io.maestro.metering.internal.Level;
import io.maestro.metering.internal.ReservationTable;
import io.maestro.metering.internal.RollupTable;
import io.maestro.metering.internal.SpendTable;
import io.maestro.metering.internal.UsageSummary;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The metering module's API: record metered events in the caller's transaction, and read events,
 * usage and costs.
 *
 * <p><b>Recording</b> ({@link #record}, {@link #recordAll}) runs inside the transaction of the
 * action it meters, so the event commits or rolls back with the action (the events table is the
 * outbox: nothing is lost on a crash). Each event is priced with the active price book and the
 * tenant's SKU, and added to the minute, hour and day rollups in the same transaction. Recording is
 * idempotent per (tenant, type, idempotency key): a second recording of the same action changes
 * nothing and returns false, so at-least-once delivery of steps never counts twice.
 *
 * <p>Thread-safe; holds no mutable state. Every call takes the caller's {@link Tx}, which must be
 * scoped to the events' tenant (or to the platform).
 */
public final class Metering {
  private final PriceBook priceBook;
  private final Function<TenantId, String> skuOf;

  /**
   * @param priceBook the price book that prices new events
   * @param skuOf the SKU (edition) each tenant is billed under; must name an SKU of the book
   */
  public Metering(PriceBook priceBook, Function<TenantId, String> skuOf) {
    this.priceBook = Objects.requireNonNull(priceBook, "priceBook");
    this.skuOf = Objects.requireNonNull(skuOf, "skuOf");
  }

  /** Every tenant billed under {@code standard}, priced by the active price book. */
  public static Metering standard() {
    return new Metering(PriceBook.active(), t -> "standard");
  }

  public PriceBook priceBook() {
    return priceBook;
  }

  /** The SKU {@code tenant} is billed under. */
  String skuOf(TenantId tenant) {
    return skuOf.apply(tenant);
  }

  /** The cost estimator, pricing with this metering's price book and SKUs. */
  public Estimator estimator() {
    return new Estimator(this);
  }

  /**
   * Records one metered action in the caller's transaction.
   *
   * @return true if recorded, false if this action (tenant, type, key) was already recorded
   */
  public boolean record(Tx tx, MeteredEvent event) {
    return recordAll(tx, List.of(event)) == 1;
  }

  /**
   * Records several actions in the caller's transaction with one batch per table.
   *
   * @return how many were new (the others had been recorded before)
   */
  public int recordAll(Tx tx, List<MeteredEvent> events) {
    if (events.isEmpty()) {
      return 0;
    }
    List<StoredEvent> priced = new ArrayList<>(events.size());
    for (MeteredEvent e : events) {
      requireScope(tx, e.tenant());
      priced.add(price(e));
    }
    boolean[] inserted = EventTable.insertNew(tx, priced);
    Map<RollupKey, long[]> counts = new LinkedHashMap<>();
    Map<RollupKey, BigDecimal> costs = new LinkedHashMap<>();
    Map<TenantId, Map<SpendTable.Bucket, BigDecimal>> spend = new LinkedHashMap<>();
    Map<RunKey, BigDecimal> runCosts = new LinkedHashMap<>();
    int recorded = 0;
    for (int i = 0; i < inserted.length; i++) {
      if (!inserted[i]) {
        continue;
      }
      recorded++;
      StoredEvent s = priced.get(i);
      MeteredEvent e = s.event();
      if (!e.workflow().runId().isEmpty() && s.cost().usd().signum() > 0) {
        runCosts.merge(
            new RunKey(e.tenant(), e.workflow().runId()), s.cost().usd(), BigDecimal::add);
      }
      Map<SpendTable.Bucket, BigDecimal> spent =
          spend.computeIfAbsent(e.tenant(), t -> new LinkedHashMap<>());
      spent.merge(
          new SpendTable.Bucket(SpendTable.DAY, SpendTable.day(e.time())),
          s.cost().usd(),
          BigDecimal::add);
      spent.merge(
          new SpendTable.Bucket(SpendTable.MONTH, SpendTable.month(e.time())),
          s.cost().usd(),
          BigDecimal::add);
      for (Level level : Level.values()) {
        RollupKey k =
            new RollupKey(
                level, e.tenant(), level.floor(e.time()), e.type(), e.workflow().name(), e.env());
        long[] c = counts.computeIfAbsent(k, x -> new long[2]);
        c[0]++;
        c[1] += e.quantity();
        costs.merge(k, s.cost().usd(), BigDecimal::add);
      }
    }
    List<RollupTable.Delta> deltas = new ArrayList<>(counts.size());
    counts.forEach(
        (k, c) ->
            deltas.add(
                new RollupTable.Delta(
                    k.level(),
                    k.tenant(),
                    k.bucket(),
                    k.type(),
                    k.workflow(),
                    k.env(),
                    c[0],
                    c[1],
                    costs.get(k))));
    // Spend counters first, then rollups: every metered transaction locks the tenant's counters
    // before its rollup rows, and an admission (lockBudget) locks the counters before anything, so
    // the two can never wait on each other in opposite orders.
    Map<TenantId, Map<SpendTable.Bucket, SpendTable.Delta>> counters = new LinkedHashMap<>();
    spend.forEach(
        (tenant, amounts) -> {
          Map<SpendTable.Bucket, SpendTable.Delta> d =
              counters.computeIfAbsent(tenant, t -> new LinkedHashMap<>());
          amounts.forEach(
              (b, usd) -> d.merge(b, SpendTable.Delta.spent(usd), SpendTable.Delta::plus));
        });
    runCosts.forEach((run, usd) -> consume(tx, run, usd, counters));
    counters.forEach((tenant, d) -> SpendTable.apply(tx, tenant, d));
    RollupTable.add(tx, deltas);
    return recorded;
  }

  private record RunKey(TenantId tenant, String runId) {}

  /**
   * What a run's newly priced events cost comes out of what its reservation holds (never below
   * zero), so spent plus reserved stays the run's estimate until the run costs more than it.
   */
  private static void consume(
      Tx tx,
      RunKey run,
      BigDecimal usd,
      Map<TenantId, Map<SpendTable.Bucket, SpendTable.Delta>> counters) {
    if (usd.signum() <= 0) {
      return;
    }
    Optional<Reservation> open =
        ReservationTable.find(tx, run.tenant(), run.runId())
            .filter(r -> r.releasedAt().isEmpty() && r.heldUsd().signum() > 0);
    if (open.isEmpty()) {
      return;
    }
    Reservation r = open.get();
    BigDecimal used = r.heldUsd().min(usd);
    ReservationTable.update(
        tx, run.tenant(), run.runId(), r.heldUsd().subtract(used), Optional.empty());
    Map<SpendTable.Bucket, SpendTable.Delta> d =
        counters.computeIfAbsent(run.tenant(), t -> new LinkedHashMap<>());
    SpendTable.Delta minus = SpendTable.Delta.reserved(used.negate());
    d.merge(new SpendTable.Bucket(SpendTable.DAY, r.day()), minus, SpendTable.Delta::plus);
    d.merge(new SpendTable.Bucket(SpendTable.MONTH, r.month()), minus, SpendTable.Delta::plus);
  }

  /**
   * Locks the tenant's spend counters of the UTC day and month of {@code at} until the caller's
   * transaction ends and returns what they hold: spent and reserved. An admission calls this first
   * in the run's creating transaction, decides on what it returns and {@link #reserve reserves} the
   * run's estimate before committing, so concurrent admissions of one tenant decide one after the
   * other, each on what the others reserved (ADR 0030).
   */
  public Spend lockBudget(Tx tx, TenantId tenant, java.time.Instant at) {
    requireScope(tx, tenant);
    SpendTable.Bucket day = new SpendTable.Bucket(SpendTable.DAY, SpendTable.day(at));
    SpendTable.Bucket month = new SpendTable.Bucket(SpendTable.MONTH, SpendTable.month(at));
    Map<SpendTable.Bucket, SpendTable.Counter> c = SpendTable.lock(tx, tenant, List.of(day, month));
    return new Spend(
        at,
        c.get(day).spentUsd(),
        c.get(month).spentUsd(),
        c.get(day).reservedUsd(),
        c.get(month).reservedUsd());
  }

  /**
   * Reserves {@code estimateUsd} for run {@code runId} in the day and month counters of {@code at},
   * less what the run has already cost (its creating transaction's own events), in the caller's
   * transaction. Once per run: a second call returns the first reservation unchanged.
   */
  public Reservation reserve(
      Tx tx,
      TenantId tenant,
      String runId,
      String decisionId,
      BigDecimal estimateUsd,
      java.time.Instant at) {
    requireScope(tx, tenant);
    Optional<Reservation> existing = ReservationTable.find(tx, tenant, runId);
    if (existing.isPresent()) {
      return existing.get();
    }
    BigDecimal soFar = runCost(tx, tenant, runId).costUsd();
    BigDecimal held = estimateUsd.subtract(soFar).max(BigDecimal.ZERO);
    Reservation r =
        new Reservation(
            runId,
            decisionId,
            SpendTable.day(at),
            SpendTable.month(at),
            estimateUsd,
            held,
            at,
            Optional.empty());
    ReservationTable.insert(tx, tenant, r);
    Map<SpendTable.Bucket, SpendTable.Delta> d = new LinkedHashMap<>();
    d.put(new SpendTable.Bucket(SpendTable.DAY, r.day()), SpendTable.Delta.reserved(held));
    d.put(new SpendTable.Bucket(SpendTable.MONTH, r.month()), SpendTable.Delta.reserved(held));
    SpendTable.apply(tx, tenant, d);
    return r;
  }

  /**
   * Releases the reservation of a run that ended: what it still holds goes back to the budget (the
   * run's actual cost is already in the spend counters). Returns the reservation as it was before
   * the release; empty when the run has none or it was already released.
   */
  public Optional<Reservation> release(Tx tx, TenantId tenant, String runId, java.time.Instant at) {
    requireScope(tx, tenant);
    Optional<Reservation> open =
        ReservationTable.find(tx, tenant, runId).filter(r -> r.releasedAt().isEmpty());
    open.ifPresent(
        r -> {
          Map<SpendTable.Bucket, SpendTable.Delta> d = new LinkedHashMap<>();
          SpendTable.Delta minus = SpendTable.Delta.reserved(r.heldUsd().negate());
          d.put(new SpendTable.Bucket(SpendTable.DAY, r.day()), minus);
          d.put(new SpendTable.Bucket(SpendTable.MONTH, r.month()), minus);
          SpendTable.apply(tx, tenant, d);
          ReservationTable.update(tx, tenant, runId, BigDecimal.ZERO, Optional.of(at));
        });
    return open;
  }

  /** A run's reservation, if it was admitted with one. */
  public Optional<Reservation> reservation(Tx tx, TenantId tenant, String runId) {
    requireScope(tx, tenant);
    return ReservationTable.find(tx, tenant, runId);
  }

  /**
   * What the tenant spent in the UTC day and month of {@code at}: two reads of the spend counters
   * that {@link #recordAll} maintains, never a sum over events.
   */
  public Spend spend(Tx tx, TenantId tenant, java.time.Instant at) {
    requireScope(tx, tenant);
    SpendTable.Counter day =
        SpendTable.counter(tx, tenant, new SpendTable.Bucket(SpendTable.DAY, SpendTable.day(at)));
    SpendTable.Counter month =
        SpendTable.counter(
            tx, tenant, new SpendTable.Bucket(SpendTable.MONTH, SpendTable.month(at)));
    return new Spend(at, day.spentUsd(), month.spentUsd(), day.reservedUsd(), month.reservedUsd());
  }

  /** The budget the tenant set through the budget API; empty when it has set none. */
  public Optional<Budget> budget(Tx tx, TenantId tenant) {
    requireScope(tx, tenant);
    return BudgetTable.find(tx, tenant);
  }

  /** Sets (replaces) the tenant's budget. */
  public void setBudget(Tx tx, TenantId tenant, Budget budget, String by, java.time.Instant at) {
    requireScope(tx, tenant);
    BudgetTable.put(tx, tenant, budget, by, at);
  }

  /** Stores the estimate a run was admitted with; false if the run already has one. */
  public boolean recordEstimate(Tx tx, TenantId tenant, RunEstimate estimate) {
    requireScope(tx, tenant);
    return BudgetTable.putEstimate(tx, tenant, estimate);
  }

  /** The estimate a run was admitted with, if it was stored. */
  public Optional<RunEstimate> estimateOf(Tx tx, TenantId tenant, String runId) {
    requireScope(tx, tenant);
    return BudgetTable.estimate(tx, tenant, runId);
  }

  /**
   * Records a budget warning (the billing event) unless the tenant already has one for the same
   * period and bucket; returns whether this call recorded it.
   */
  public boolean recordBudgetAlert(Tx tx, TenantId tenant, BudgetAlert alert) {
    requireScope(tx, tenant);
    return BudgetTable.putAlert(tx, tenant, alert);
  }

  /** The tenant's budget warnings since {@code from}, oldest first. */
  public List<BudgetAlert> budgetAlerts(Tx tx, TenantId tenant, java.time.Instant from) {
    requireScope(tx, tenant);
    return BudgetTable.alerts(tx, tenant, from);
  }

  private record RollupKey(
      Level level,
      TenantId tenant,
      java.time.Instant bucket,
      EventType type,
      String workflow,
      String env) {}

  /** The stored form of an event: its derived id and its cost line under today's price book. */
  public StoredEvent price(MeteredEvent e) {
    String sku = skuOf.apply(e.tenant());
    BigDecimal cost = priceBook.cost(sku, e.type(), e.quantity(), e.resourceClass());
    return new StoredEvent(
        0, eventId(e), e, new StoredEvent.CostLine(sku, priceBook.version(), cost));
  }

  /**
   * The CloudEvents id of an action: a name-based UUID of tenant, type and idempotency key, so the
   * same action always has the same id.
   */
  public static String eventId(MeteredEvent e) {
    String name = e.tenant().value() + "\n" + e.type().wire() + "\n" + e.idempotencyKey();
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** A page of the tenant's events. */
  public EventPage events(Tx tx, EventQuery q) {
    requireScope(tx, q.tenant());
    List<StoredEvent> rows =
        EventTable.page(tx, q.tenant(), q.from(), q.to(), q.type(), q.afterSeq(), q.limit() + 1);
    Optional<String> next = Optional.empty();
    if (rows.size() > q.limit()) {
      rows = rows.subList(0, q.limit());
      next = Optional.of(Long.toString(rows.get(rows.size() - 1).seq()));
    }
    return new EventPage(rows, next);
  }

  /**
   * The tenant's events after outbox position {@code afterSeq}, in outbox order (at most {@code
   * limit}): what the event stream and the webhook fan-out read.
   */
  public List<StoredEvent> eventsAfter(Tx tx, TenantId tenant, long afterSeq, int limit) {
    requireScope(tx, tenant);
    return EventTable.after(tx, tenant, afterSeq, limit);
  }

  /**
   * Deletes the tenant's raw metered events that occurred before {@code before} (every one when
   * empty) for a purge, in the caller's transaction. Rollups, spend counters and cost lines stay:
   * they are aggregates without the events' detail, and invoices are built from them.
   */
  public List<io.maestro.core.purge.PurgedItem> purgeEvents(
      Tx tx, TenantId tenant, Optional<java.time.Instant> before) {
    requireScope(tx, tenant);
    return EventTable.purge(tx, tenant, before);
  }

  /** The outbox position of the tenant's latest event (0 when it has none). */
  public long lastSeq(Tx tx, TenantId tenant) {
    requireScope(tx, tenant);
    return EventTable.lastSeq(tx, tenant);
  }

  /** The tenant's usage in a window, from the rollups only (never the raw events). */
  public UsageReport usage(Tx tx, UsageQuery q) {
    requireScope(tx, q.tenant());
    return UsageSummary.run(tx, q);
  }

  /**
   * The workflow and environment a run was metered under when it started (from its {@code
   * run_started} event), so later events of the run (its steps) carry the same dimensions; empty
   * for a run whose start was not metered.
   */
  public Optional<RunDimensions> runDimensions(Tx tx, TenantId tenant, String runId) {
    requireScope(tx, tenant);
    return EventTable.runStart(tx, tenant, runId)
        .map(s -> new RunDimensions(s.event().workflow(), s.event().env()));
  }

  /** The dimensions of a run that its later events share. */
  public record RunDimensions(WorkflowRef workflow, String env) {}

  /** The cost lines of one run and their sum (zero lines for an unknown run). */
  public RunCost runCost(Tx tx, TenantId tenant, String runId) {
    requireScope(tx, tenant);
    List<StoredEvent> lines = EventTable.ofRun(tx, tenant, runId);
    BigDecimal sum =
        lines.stream()
            .map(l -> l.cost().usd())
            .reduce(BigDecimal.ZERO.setScale(PriceBook.COST_SCALE), BigDecimal::add);
    return new RunCost(runId, lines, sum);
  }

  private static void requireScope(Tx tx, TenantId tenant) {
    if (tx.scope() instanceof TenantScope.Tenant t && !t.id().equals(tenant)) {
      throw new IllegalArgumentException(
          "a transaction of tenant " + t.id().value() + " cannot meter tenant " + tenant.value());
    }
  }
}
