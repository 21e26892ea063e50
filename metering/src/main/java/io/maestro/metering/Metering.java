package io.maestro.metering;

import io.maestro.core.TenantId;
import io.maestro.metering.internal.BudgetTable;
import io.maestro.metering.internal.EventTable;
import io.maestro.metering.internal.Level;
import io.maestro.metering.internal.PendingTable;
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
 * tenant's SKU, and its amount is inserted as pending in the same transaction; {@link #fold} (run
 * by {@link RollupFolder}) later adds pending amounts to the minute, hour and day rollups and the
 * spend counters, so no action waits on a row another action updates (ADR 0033). Reads add what is
 * still pending, so usage and spend are exact whether or not it was folded. Recording is idempotent
 * per (tenant, type, idempotency key): a second recording of the same action changes nothing and
 * returns false, so at-least-once delivery of steps never counts twice.
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
    Map<RollupKey, PendingTable.Row> pending = new LinkedHashMap<>();
    Map<RunKey, EventTable.CostOfRun> runCosts = new LinkedHashMap<>();
    int recorded = 0;
    for (int i = 0; i < inserted.length; i++) {
      if (!inserted[i]) {
        continue;
      }
      recorded++;
      StoredEvent s = priced.get(i);
      MeteredEvent e = s.event();
      if (!e.workflow().runId().isEmpty() && s.cost().usd().signum() > 0) {
        BigDecimal usd = s.cost().usd();
        BigDecimal overhead = e.type() == EventType.STEP_EXECUTED ? BigDecimal.ZERO : usd;
        runCosts.merge(
            new RunKey(e.tenant(), e.workflow().runId()),
            new EventTable.CostOfRun(usd, overhead),
            EventTable.CostOfRun::plus);
      }
      RollupKey k =
          new RollupKey(
              Level.MINUTE,
              e.tenant(),
              Level.MINUTE.floor(e.time()),
              e.type(),
              e.workflow().name(),
              e.env());
      pending.merge(
          k,
          new PendingTable.Row(
              0,
              k.tenant(),
              k.bucket(),
              k.type(),
              k.workflow(),
              k.env(),
              1,
              e.quantity(),
              s.cost().usd()),
          (a, b) ->
              new PendingTable.Row(
                  0,
                  a.tenant(),
                  a.bucket(),
                  a.type(),
                  a.workflow(),
                  a.env(),
                  a.events() + b.events(),
                  a.quantity() + b.quantity(),
                  a.costUsd().add(b.costUsd())));
    }
    PendingTable.insert(tx, List.copyOf(pending.values()));
    Map<RunKey, EventTable.CostOfRun> inTx = tx.local(RunCostsInTx.class, RunCostsInTx::new).costs;
    runCosts.forEach(
        (run, cost) -> {
          consume(tx, run, cost.total());
          BudgetTable.addActual(tx, run.tenant(), run.runId(), cost.total(), cost.overhead());
          inTx.merge(run, cost, EventTable.CostOfRun::plus);
        });
    return recorded;
  }

  /** What each run's events recorded in one transaction cost: in all, and its overhead. */
  private static final class RunCostsInTx {
    final Map<RunKey, EventTable.CostOfRun> costs = new LinkedHashMap<>();
  }

  /**
   * Folds up to {@code limit} pending amounts (oldest first) into the minute, hour and day rollups
   * and the spend counters, and removes them, in the caller's platform transaction; amounts another
   * transaction is folding are skipped. Returns how many pending rows it folded. Usage and spend
   * read the same before and after (they add what is pending); folding only keeps that tail short.
   */
  public int fold(Tx tx, int limit) {
    List<PendingTable.Row> rows = PendingTable.claim(tx, limit);
    if (rows.isEmpty()) {
      return 0;
    }
    Map<RollupKey, RollupTable.Delta> deltas = new LinkedHashMap<>();
    Map<TenantId, Map<SpendTable.Bucket, BigDecimal>> spend =
        new java.util.TreeMap<>(java.util.Comparator.comparing(TenantId::value));
    for (PendingTable.Row r : rows) {
      for (Level level : Level.values()) {
        RollupKey k =
            new RollupKey(
                level, r.tenant(), level.floor(r.bucket()), r.type(), r.workflow(), r.env());
        deltas.merge(
            k,
            new RollupTable.Delta(
                level,
                k.tenant(),
                k.bucket(),
                k.type(),
                k.workflow(),
                k.env(),
                r.events(),
                r.quantity(),
                r.costUsd()),
            (a, b) ->
                new RollupTable.Delta(
                    a.level(),
                    a.tenant(),
                    a.bucket(),
                    a.type(),
                    a.workflow(),
                    a.env(),
                    a.events() + b.events(),
                    a.quantity() + b.quantity(),
                    a.costUsd().add(b.costUsd())));
      }
      Map<SpendTable.Bucket, BigDecimal> spent =
          spend.computeIfAbsent(r.tenant(), t -> new LinkedHashMap<>());
      spent.merge(
          new SpendTable.Bucket(SpendTable.DAY, SpendTable.day(r.bucket())),
          r.costUsd(),
          BigDecimal::add);
      spent.merge(
          new SpendTable.Bucket(SpendTable.MONTH, SpendTable.month(r.bucket())),
          r.costUsd(),
          BigDecimal::add);
    }
    RollupTable.add(tx, List.copyOf(deltas.values()));
    spend.forEach((tenant, amounts) -> SpendTable.add(tx, tenant, amounts));
    PendingTable.delete(tx, rows);
    return rows.size();
  }

  /** How many recorded amounts wait to be folded (in the scope of {@code tx}). */
  public long pendingCount(Tx tx) {
    return PendingTable.count(tx);
  }

  private record RunKey(TenantId tenant, String runId) {}

  /**
   * What a run's newly priced events cost comes out of what its reservation holds (never below
   * zero), so spent plus reserved stays the run's estimate until the run costs more than it. Only
   * the run's own reservation row changes: no row other actions of the tenant update.
   */
  private static void consume(Tx tx, RunKey run, BigDecimal usd) {
    ReservationTable.consume(tx, run.tenant(), run.runId(), usd);
  }

  /**
   * Locks the tenant's spend counters of the UTC day and month of {@code at} until the caller's
   * transaction ends and returns what the tenant spent and holds reserved then. An admission calls
   * this first in the run's creating transaction, decides on what it returns and {@link #reserve
   * reserves} the run's estimate before committing, so concurrent admissions of one tenant decide
   * one after the other, each on what the others reserved (ADR 0030).
   */
  public Spend lockBudget(Tx tx, TenantId tenant, java.time.Instant at) {
    requireScope(tx, tenant);
    SpendTable.lock(tx, tenant, List.of(dayOf(at), monthOf(at)));
    return spend(tx, tenant, at);
  }

  /**
   * Reserves {@code estimateUsd} for run {@code runId} in the day and month of {@code at}, less
   * what the run has already cost (its creating transaction's own events), in the caller's
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
    BigDecimal soFar = costSoFar(tx, tenant, runId).total();
    Reservation r =
        new Reservation(
            runId,
            decisionId,
            SpendTable.day(at),
            SpendTable.month(at),
            estimateUsd,
            estimateUsd.subtract(soFar).max(BigDecimal.ZERO),
            at,
            Optional.empty());
    if (ReservationTable.insert(tx, tenant, r)) {
      return r;
    }
    return ReservationTable.find(tx, tenant, runId).orElseThrow();
  }

  /**
   * Releases the reservation of a run that ended: what it still holds goes back to the budget (the
   * run's actual cost is already spent). Returns the reservation as it was before the release;
   * empty when the run has none or it was already released.
   */
  public Optional<Reservation> release(Tx tx, TenantId tenant, String runId, java.time.Instant at) {
    requireScope(tx, tenant);
    Optional<Reservation> open =
        ReservationTable.find(tx, tenant, runId).filter(r -> r.releasedAt().isEmpty());
    open.ifPresent(
        r -> ReservationTable.update(tx, tenant, runId, BigDecimal.ZERO, Optional.of(at)));
    return open;
  }

  /**
   * Settles a run that ended, in the caller's transaction: what it actually cost, in all and its
   * overhead (everything but step time), is written once beside the estimate it was admitted with,
   * for the drift figures and the next estimates of its version. Returns the estimate and the
   * actual cost; empty when the run has no estimate or was settled before.
   */
  public Optional<RunSettlement> settle(
      Tx tx, TenantId tenant, String runId, java.time.Instant at) {
    requireScope(tx, tenant);
    Optional<BudgetTable.Actual> kept =
        BudgetTable.actual(tx, tenant, runId).filter(a -> !a.settled());
    if (kept.isEmpty()) {
      return Optional.empty();
    }
    BudgetTable.Actual a = kept.get();
    BigDecimal actual;
    BigDecimal overhead;
    if (a.actual().isPresent() && a.overhead().isPresent()) {
      actual = a.actual().get();
      overhead = a.overhead().get();
    } else {
      // Admitted before actual costs were kept beside estimates: summed from its events once.
      EventTable.CostOfRun cost =
          EventTable.costAndOverheadOfRun(tx, tenant, runId, EventType.STEP_EXECUTED.wire());
      actual = cost.total();
      overhead = cost.overhead();
    }
    actual = actual.setScale(PriceBook.COST_SCALE);
    overhead = overhead.setScale(PriceBook.COST_SCALE);
    if (!BudgetTable.settleEstimate(tx, tenant, runId, actual, overhead, at)) {
      return Optional.empty();
    }
    return Optional.of(new RunSettlement(a.estimate(), actual, overhead));
  }

  /** A run's reservation, if it was admitted with one. */
  public Optional<Reservation> reservation(Tx tx, TenantId tenant, String runId) {
    requireScope(tx, tenant);
    return ReservationTable.find(tx, tenant, runId);
  }

  /**
   * What the tenant spent and holds reserved in the UTC day and month of {@code at}: per period the
   * folded counter, the pending amounts not yet folded and what open reservations hold, read in one
   * statement (one snapshot, so an action committing meanwhile — its cost spent and taken from its
   * run's reservation together — counts once), never a sum over events.
   */
  public Spend spend(Tx tx, TenantId tenant, java.time.Instant at) {
    requireScope(tx, tenant);
    SpendTable.Counters c = SpendTable.read(tx, tenant, dayOf(at), monthOf(at));
    return new Spend(
        at,
        c.day().spentUsd(),
        c.month().spentUsd(),
        c.day().reservedUsd(),
        c.month().reservedUsd());
  }

  private static SpendTable.Bucket dayOf(java.time.Instant at) {
    return new SpendTable.Bucket(SpendTable.DAY, SpendTable.day(at));
  }

  private static SpendTable.Bucket monthOf(java.time.Instant at) {
    return new SpendTable.Bucket(SpendTable.MONTH, SpendTable.month(at));
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
    // Later costs are added to what the run cost so far as they are recorded.
    EventTable.CostOfRun soFar = costSoFar(tx, tenant, estimate.runId());
    return BudgetTable.putEstimate(tx, tenant, estimate, soFar.total(), soFar.overhead());
  }

  /**
   * What a run has cost so far. A run's estimate and reservation are stored in the transaction that
   * creates it, where everything it cost was recorded: known without reading its events.
   */
  private static EventTable.CostOfRun costSoFar(Tx tx, TenantId tenant, String runId) {
    EventTable.CostOfRun inTx =
        tx.local(RunCostsInTx.class, RunCostsInTx::new).costs.get(new RunKey(tenant, runId));
    return inTx != null
        ? inTx
        : EventTable.costAndOverheadOfRun(tx, tenant, runId, EventType.STEP_EXECUTED.wire());
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

  /**
   * Deletes at most {@code limit} of the tenant's raw events that occurred before {@code before},
   * the oldest first (one bounded batch of a retention job); rollups and cost lines stay.
   */
  public List<io.maestro.core.purge.PurgedItem> purgeEvents(
      Tx tx, TenantId tenant, java.time.Instant before, int limit) {
    requireScope(tx, tenant);
    return EventTable.purge(tx, tenant, Optional.of(before), limit);
  }

  /** The outbox position of the tenant's latest event (0 when it has none). */
  public long lastSeq(Tx tx, TenantId tenant) {
    requireScope(tx, tenant);
    return EventTable.lastSeq(tx, tenant);
  }

  /**
   * The tenant's usage in a window, from the rollups plus what is pending (never the raw events).
   */
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
