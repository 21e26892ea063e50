package io.maestro.server.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.engine.EngineReceipts;
import io.maestro.metering.ActorType;
import io.maestro.metering.BudgetAlert;
import io.maestro.metering.CostEstimate;
import io.maestro.metering.EventType;
import io.maestro.metering.MeteredEvent;
import io.maestro.metering.Metering;
import io.maestro.metering.Metering.RunDimensions;
import io.maestro.metering.RunEstimate;
import io.maestro.metering.WorkflowRef;
import io.maestro.provenance.LogId;
import io.maestro.provenance.ReceiptDraft;
import io.maestro.provenance.ReceiptType;
import io.maestro.provenance.Receipts;
import io.maestro.server.metering.CostObserver;
import io.maestro.server.metering.RunCostAdmission;
import io.maestro.store.Tx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The engine's receipt sink with metering: queues the engine's receipts for the provenance log and,
 * in the same transaction, records the usage they stand for — every receipt ({@code
 * receipt_emitted}, and its stored bytes as {@code storage_bytes_written}, keyed by the receipt
 * id), a run's creation ({@code run_started}), an attempt that stopped running ({@code
 * step_executed}, its {@code durationMs}, keyed by the step attempt), and an approval or rejection
 * ({@code approval_decision}). Later events of a run take the workflow and environment its start
 * was metered with.
 */
public final class MeteredReceipts implements EngineReceipts {
  /** The environment of runs whose starter's token names none. */
  public static final String DEFAULT_ENV = "default";

  /** The receipt a budget warning obligation leaves in the tenant's log. */
  public static final ReceiptType BUDGET_WARNING = ReceiptType.of("budget.warning");

  private final Receipts receipts;
  private final Metering metering;
  private final Optional<RunCostAdmission> admissions;
  private final CostObserver observer;
  private final java.time.Clock clock;
  private final RunDimensionsCache dimensions = new RunDimensionsCache(10_000);

  public MeteredReceipts(Receipts receipts, Metering metering) {
    this(receipts, metering, Optional.empty(), CostObserver.NONE, java.time.Clock.systemUTC());
  }

  /**
   * @param admissions where a run's estimate waits for its creating transaction (stored there with
   *     its budget warnings)
   * @param observer hears each admitted run's actual cost beside its estimate when it ends
   * @param clock stamps the usage of stored inputs, outputs and log lines
   */
  public MeteredReceipts(
      Receipts receipts,
      Metering metering,
      Optional<RunCostAdmission> admissions,
      CostObserver observer,
      java.time.Clock clock) {
    this.receipts = receipts;
    this.metering = metering;
    this.admissions = admissions;
    this.observer = observer;
    this.clock = clock;
  }

  /**
   * The provenance draft of an engine receipt: queued for its tenant's log inside the transaction
   * of the state change (the sequencer places it in the log right after, ADR 0017), with the
   * decision behind it recorded as the decision point returned it. Actions the platform takes on
   * its own carry no decision.
   */
  static ReceiptDraft draft(Receipt r) {
    ReceiptDraft draft =
        ReceiptDraft.of(
                LogId.tenant(r.tenant()),
                type(r.type()),
                r.actor(),
                r.action(),
                ReceiptDraft.Subject.of(r.subjectKind(), r.subjectId()))
            .withPayload(r.payload());
    return r.decision().map(draft::withDecision).orElse(draft);
  }

  /** The catalogue's type of each kind of engine receipt: the one of the same name. */
  static ReceiptType type(Type type) {
    return ReceiptType.of(type.catalogueName());
  }

  @Override
  public void emitAll(Tx tx, List<Receipt> rs) {
    emitAll(tx, rs, List.of());
  }

  /**
   * Queues one transaction's receipts and records, in one batch, the usage they and the data it
   * stored stand for; then stores a new run's admission or settles an ended run's reservation.
   */
  @Override
  public void emitAll(Tx tx, List<Receipt> rs, List<Stored> stored) {
    List<Receipts.Queued> appended =
        rs.isEmpty()
            ? List.of()
            : receipts.enqueueAll(tx, rs.stream().map(MeteredReceipts::draft).toList());
    // The dimensions of runs this transaction starts: not in the cache until it commits.
    Map<String, RunDimensions> starting = new HashMap<>();
    List<MeteredEvent> events = new ArrayList<>();
    for (int i = 0; i < rs.size(); i++) {
      EngineReceipts.Receipt r = rs.get(i);
      Receipts.Queued p = appended.get(i);
      String runId = runIdOf(r);
      RunDimensions dims;
      if (r.type() == Type.RUN_STARTED) {
        dims = startDimensions(r);
        starting.put(runId, dims);
        RunDimensions started = dims;
        tx.afterCommit(() -> this.dimensions.put(r.tenant(), runId, started));
      } else if (runId.isEmpty()) {
        dims = new RunDimensions(WorkflowRef.NONE, envOf(r.actor()));
      } else {
        dims = dimensions(tx, starting, r.tenant(), runId);
      }
      Usage u = new Usage(r, p, dims);
      events.add(u.event(EventType.RECEIPT_EMITTED, p.id(), 1));
      events.add(u.event(EventType.STORAGE_BYTES_WRITTEN, p.id(), p.storedBytes()));
      if (r.type() == Type.RUN_STARTED) {
        events.add(u.event(EventType.RUN_STARTED, p.id(), 1));
      } else if (r.type() == Type.APPROVAL_GRANTED || r.type() == Type.APPROVAL_REJECTED) {
        events.add(u.event(EventType.APPROVAL_DECISION, p.id(), 1));
      }
      JsonNode duration = r.payload().path("durationMs");
      if ("step".equals(r.subjectKind()) && duration.canConvertToLong()) {
        String attempt =
            r.subjectId() + "#" + r.payload().path("attempt").asInt() + ":" + r.action();
        events.add(u.event(EventType.STEP_EXECUTED, attempt, duration.asLong()));
      }
    }
    Instant now = clock.instant();
    for (Stored s : stored) {
      events.add(storedEvent(dimensions(tx, starting, s.tenant(), s.runId()), s, now));
    }
    metering.recordAll(tx, events);
    for (int i = 0; i < rs.size(); i++) {
      EngineReceipts.Receipt r = rs.get(i);
      Instant at = appended.get(i).time();
      if (r.type() == Type.RUN_STARTED) {
        r.decision()
            .flatMap(d -> admissions.flatMap(a -> a.pending(d.id())))
            .ifPresent(a -> admitted(tx, r, starting.get(r.subjectId()), a, at));
      } else if ("run".equals(r.subjectKind()) && TERMINAL.contains(r.type())) {
        settle(tx, r, at);
      }
    }
  }

  /**
   * Data the engine stored beside its receipts (a run's inputs, a step's outputs, a log line):
   * {@code storage_bytes_written}, keyed by what was written, under the run's dimensions, in the
   * writing transaction.
   */
  @Override
  public void stored(Tx tx, io.maestro.core.TenantId tenant, String runId, String key, long bytes) {
    metering.record(
        tx,
        storedEvent(
            dimensions(tx, Map.of(), tenant, runId),
            new Stored(tenant, runId, key, bytes),
            clock.instant()));
  }

  private static MeteredEvent storedEvent(RunDimensions dims, Stored s, Instant at) {
    return MeteredEvent.of(
        EventType.STORAGE_BYTES_WRITTEN,
        s.key(),
        at,
        s.tenant(),
        dims.env(),
        ActorType.SYSTEM,
        dims.workflow(),
        "run/" + s.runId(),
        s.bytes());
  }

  /**
   * The dimensions a run's later events share: of a run this transaction starts, remembered from a
   * committed start, or read from the run's metered start (once per run and server).
   */
  private RunDimensions dimensions(
      Tx tx, Map<String, RunDimensions> starting, io.maestro.core.TenantId tenant, String runId) {
    RunDimensions known = starting.get(runId);
    if (known == null) {
      known = dimensions.get(tenant, runId);
    }
    if (known == null) {
      Optional<RunDimensions> read = metering.runDimensions(tx, tenant, runId);
      read.ifPresent(d -> tx.afterCommit(() -> dimensions.put(tenant, runId, d)));
      known = read.orElse(new RunDimensions(WorkflowRef.NONE, DEFAULT_ENV));
    }
    return known;
  }

  private static final Set<Type> TERMINAL =
      EnumSet.of(Type.RUN_COMPLETED, Type.RUN_FAILED, Type.RUN_TIMED_OUT, Type.RUN_CANCELLED);

  /**
   * In the run's creating transaction: stores the estimate it was admitted with, and for each
   * budget warning its decision carries, the billing alert (once per tenant, period and bucket) and
   * a {@code budget.warning} receipt under the same decision, metered under the run's start
   * dimensions ({@code dims}).
   */
  private void admitted(
      Tx tx,
      EngineReceipts.Receipt r,
      RunDimensions dims,
      RunCostAdmission.Admitted a,
      Instant now) {
    CostEstimate e = a.estimate();
    Decision d = a.decision();
    metering.recordEstimate(
        tx,
        r.tenant(),
        new RunEstimate(
            r.subjectId(), e.workflow(), e.version(), d.id(), e.estimatedUsd(), e.basis(), now));
    // The admission holds the tenant's budget counters: reserve the estimate before they are
    // released, so the next admission decides on it (ADR 0030).
    metering.reserve(tx, r.tenant(), r.subjectId(), d.id(), e.estimatedUsd(), now);
    List<ReceiptDraft> warnings = new ArrayList<>();
    for (JsonNode o : d.obligations()) {
      if (!"budget_warning".equals(o.path("type").asText())) {
        continue;
      }
      String period = "monthly".equals(o.path("period").asText()) ? "month" : "day";
      Instant bucket =
          period.equals("month")
              ? java.time.LocalDate.ofInstant(now, java.time.ZoneOffset.UTC)
                  .withDayOfMonth(1)
                  .atStartOfDay(java.time.ZoneOffset.UTC)
                  .toInstant()
              : now.truncatedTo(java.time.temporal.ChronoUnit.DAYS);
      BudgetAlert alert =
          new BudgetAlert(
              period,
              bucket,
              d.id(),
              o.path("spentUSD").decimalValue(),
              o.path("estimatedCostUSD").decimalValue(),
              o.path("limitUSD").decimalValue(),
              now);
      if (metering.recordBudgetAlert(tx, r.tenant(), alert)) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("period", o.path("period").asText());
        payload.set("spentUSD", o.path("spentUSD"));
        payload.set("estimatedCostUSD", o.path("estimatedCostUSD"));
        payload.set("limitUSD", o.path("limitUSD"));
        payload.put("cloudevents_type", BudgetAlert.CLOUDEVENTS_TYPE);
        warnings.add(
            ReceiptDraft.of(
                    LogId.tenant(r.tenant()),
                    BUDGET_WARNING,
                    r.actor(),
                    "workflow.run",
                    ReceiptDraft.Subject.of("run", r.subjectId()))
                .withDecision(d)
                .withPayload(payload));
      }
    }
    if (!warnings.isEmpty()) {
      // Queued like the engine's receipts, not appended: this transaction holds the tenant's
      // budget counters, and an append would then wait for the log's head lock, which appending
      // transactions hold while they meter into those counters (ADR 0030).
      List<Receipts.Queued> queued = receipts.enqueueAll(tx, warnings);
      List<MeteredEvent> events = new ArrayList<>();
      for (Receipts.Queued q : queued) {
        for (EventType type : List.of(EventType.RECEIPT_EMITTED, EventType.STORAGE_BYTES_WRITTEN)) {
          events.add(
              MeteredEvent.of(
                  type,
                  q.id(),
                  q.time(),
                  r.tenant(),
                  dims.env(),
                  ActorType.of(r.actor().subject(), r.actor().via()),
                  dims.workflow(),
                  "run/" + r.subjectId(),
                  type == EventType.RECEIPT_EMITTED ? 1 : q.storedBytes()));
        }
      }
      metering.recordAll(tx, events);
    }
  }

  /**
   * After a run ended: its reservation released (what it still held goes back to the budget; its
   * actual cost is in the spend counters already), and its actual cost written beside the estimate
   * it was admitted with, if any.
   */
  private void settle(Tx tx, EngineReceipts.Receipt r, Instant at) {
    metering.release(tx, r.tenant(), r.subjectId(), at);
    metering
        .settle(tx, r.tenant(), r.subjectId(), at)
        .ifPresent(
            s ->
                tx.afterCommit(
                    () ->
                        observer.settled(r.tenant(), s.estimate().estimatedUsd(), s.actualUsd())));
  }

  private record Usage(EngineReceipts.Receipt r, Receipts.Queued p, RunDimensions dims) {
    MeteredEvent event(EventType type, String key, long quantity) {
      return MeteredEvent.of(
          type,
          key,
          p.time(),
          r.tenant(),
          dims.env(),
          ActorType.of(r.actor().subject(), r.actor().via()),
          dims.workflow(),
          r.subjectKind() + "/" + r.subjectId(),
          quantity);
    }
  }

  private static RunDimensions startDimensions(EngineReceipts.Receipt r) {
    JsonNode payload = r.payload();
    String name = payload.path("workflow").asText();
    String version = payload.path("version").asText();
    WorkflowRef ref =
        payload.has("parentRun")
            ? WorkflowRef.childRun(name, version, r.subjectId())
            : WorkflowRef.run(name, version, r.subjectId());
    return new RunDimensions(ref, envOf(r.actor()));
  }

  /** The run a run or step receipt is about; empty for workflow receipts. */
  private static String runIdOf(EngineReceipts.Receipt r) {
    return switch (r.subjectKind()) {
      case "run" -> r.subjectId();
      case "step" -> r.subjectId().substring(0, Math.max(0, r.subjectId().indexOf('/')));
      default -> "";
    };
  }

  /** The environment a metered action ran in: the actor's attribute, else the default. */
  public static String envOf(Actor actor) {
    String env = actor.attributes().get("environment");
    return env == null || env.isBlank() ? DEFAULT_ENV : env;
  }
}
