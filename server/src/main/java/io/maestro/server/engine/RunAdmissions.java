package io.maestro.server.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.TenantId;
import io.maestro.engine.run.RunView;
import io.maestro.policy.DecisionRecords;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptDraft.DecisionRef;
import io.maestro.provenance.ReceiptLog;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.server.auth.DecisionHistory;
import io.maestro.server.auth.PolicyRuntime;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Explains why a run was allowed to start: the policy decision that admitted it, for {@code GET
 * /api/runs/{id}?explain=true} and {@code maestro status RUN --explain}.
 *
 * <p>Two sources, because neither alone is always there. The run's {@code run.started} receipt is:
 * it is written in the run's own transaction and names the decision id, whether it allowed, its
 * reason codes and the bundle revision, and it is tamper-evident. The decision log holds the rest —
 * the reasons' messages, the tenant's profile and the quota, budget and usage the policy saw — but
 * only as long as decisions are logged ({@code policy.decisionLog} is not {@code off}) and, in
 * memory mode, only for the last decisions since the server started.
 */
public final class RunAdmissions {
  /** How far before the run's creation to look for its receipt (clocks of one process). */
  private static final Duration RECEIPT_SLACK = Duration.ofSeconds(5);

  /** At most this many {@code run.started} receipts are read to find the run's one. */
  private static final int RECEIPT_SCAN = 2_000;

  /**
   * Finds a recorded decision of a tenant by its id. Implementations read only the given tenant's
   * records; they return empty when the decision is not (or not yet) recorded.
   */
  @FunctionalInterface
  public interface DecisionSource {
    Optional<Recorded> find(TenantId tenant, String decisionId);

    /** No decision log: explanations show what the receipt says. */
    DecisionSource NONE = (tenant, id) -> Optional.empty();
  }

  /**
   * A decision as the decision log recorded it.
   *
   * @param input the masked input it was made on; null when the mask rule left it out
   * @param result {@code {allow, reasons[{code, message}], obligations}}
   * @param bundleRevision the revision of the bundle that decided, when the source keeps it
   * @param source {@code database} or {@code memory}
   */
  public record Recorded(
      String id,
      Instant time,
      JsonNode input,
      JsonNode result,
      Optional<String> bundleRevision,
      String source) {}

  private final Database db;
  private final ReceiptLog log;
  private final DecisionSource decisions;

  public RunAdmissions(Database db, ReceiptLog log, DecisionSource decisions) {
    this.db = db;
    this.log = log;
    this.decisions = decisions;
  }

  /**
   * The server's decision log as a source: the {@code policy_decisions} table when decisions are
   * persisted, then the in-memory window, which also holds what the batch writer has not written
   * yet.
   */
  public static DecisionSource decisionLog(PolicyRuntime policy, Database db) {
    boolean persisted = policy.databaseLog().isPresent();
    return (tenant, id) -> {
      if (persisted) {
        Optional<Recorded> stored =
            db.inTransaction(
                    TenantScope.of(tenant), tx -> DecisionRecords.find(tx, tenant.value(), id))
                .map(RunAdmissions::fromTable);
        if (stored.isPresent()) {
          return stored;
        }
      }
      return policy.recent().last(tenant.value(), Integer.MAX_VALUE).stream()
          .filter(p -> p.id().equals(id))
          .findFirst()
          .map(RunAdmissions::fromMemory);
    };
  }

  private static Recorded fromTable(ObjectNode event) {
    Iterator<Map.Entry<String, JsonNode>> bundles = event.path("bundles").properties().iterator();
    Optional<String> revision =
        bundles.hasNext()
            ? Optional.of(bundles.next().getValue().path("revision").asText())
            : Optional.empty();
    return new Recorded(
        event.path("decision_id").asText(),
        Instant.parse(event.path("timestamp").asText()),
        event.get("input"),
        event.path("result"),
        revision,
        "database");
  }

  private static Recorded fromMemory(DecisionHistory.Past p) {
    return new Recorded(p.id(), p.time(), p.input(), p.result(), Optional.empty(), "memory");
  }

  /**
   * The admission of {@code run}: {@code decision_id}, {@code allow}, {@code reasons} (codes and,
   * when logged, messages), {@code bundle_revision}, {@code profile}, {@code decided_at}, {@code
   * quota}, {@code budget} and {@code usage} as the policy saw them, the {@code receipt} ({@code
   * seq}, {@code id}) that records the admission, and {@code sources} naming where each part came
   * from. A run started by the platform itself (a child run) has the decision id {@code system} and
   * no policy decision.
   */
  public ObjectNode explain(RunView run) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("decision_id", run.decisionId());
    ArrayNode sources = out.putArray("sources");
    if ("system".equals(run.decisionId())) {
      out.put("allow", true);
      out.putArray("reasons");
      out.put("note", "started by the platform (a child run); no policy decision was needed");
      run.parent().ifPresent(p -> out.put("parent", p.runId() + "/" + p.stepId()));
      return out;
    }
    Optional<Receipt> receipt = startedReceipt(run);
    Optional<DecisionRef> ref = receipt.flatMap(Receipt::decision);
    Optional<Recorded> recorded = decisions.find(run.tenant(), run.decisionId());
    receipt.ifPresent(
        r -> {
          sources.add("receipt");
          out.putObject("receipt").put("seq", r.seq()).put("id", r.id());
        });
    recorded.ifPresent(r -> sources.add("decision_log:" + r.source()));

    out.put(
        "allow",
        recorded
            .map(r -> r.result().path("allow").asBoolean(false))
            .or(() -> ref.map(DecisionRef::allow))
            .orElse(true));
    ArrayNode reasons = out.putArray("reasons");
    if (recorded.isPresent() && recorded.get().result().path("reasons").isArray()) {
      recorded.get().result().path("reasons").forEach(r -> reasons.add(r.deepCopy()));
    } else {
      ref.ifPresent(d -> d.reasons().forEach(code -> reasons.addObject().put("code", code)));
    }
    recorded
        .flatMap(Recorded::bundleRevision)
        .or(() -> ref.flatMap(DecisionRef::bundleRevision))
        .ifPresent(rev -> out.put("bundle_revision", rev));
    recorded.ifPresent(r -> out.put("decided_at", r.time().toString()));

    JsonNode tenant = recorded.map(Recorded::input).map(in -> in.path("tenant")).orElse(null);
    if (tenant != null && tenant.isObject()) {
      copy(tenant, "profile", out);
      copy(tenant, "quota", out);
      copy(tenant, "budget", out);
      copy(tenant, "usage", out);
    }
    if (recorded.isEmpty()) {
      out.put(
          "note",
          "the decision log has no record of this decision (policy.decisionLog is off, or it was"
              + " made before this server started in memory mode): reasons and bundle revision"
              + " come from the run.started receipt");
    }
    return out;
  }

  private static void copy(JsonNode from, String field, ObjectNode to) {
    JsonNode v = from.get(field);
    if (v != null && !v.isNull()) {
      to.set(field, v.deepCopy());
    }
  }

  /**
   * The run's {@code run.started} receipt. The log has no index by subject, so this reads the
   * tenant's {@code run.started} receipts from shortly before the run was created, in order, until
   * the run's own appears (it is written in the run's transaction, so it is among the first).
   */
  private Optional<Receipt> startedReceipt(RunView run) {
    LogId tenantLog = LogId.tenant(run.tenant());
    Instant since = run.createdAt().minus(RECEIPT_SLACK);
    return db.inTransaction(
        TenantScope.of(run.tenant()),
        tx -> {
          long after = 0;
          int read = 0;
          while (read < RECEIPT_SCAN) {
            ReceiptLog.Page page =
                log.list(
                    tx,
                    tenantLog,
                    new ReceiptLog.Query(
                        Optional.of(ReceiptTypes.RUN_STARTED),
                        Optional.of(since),
                        after,
                        ReceiptLog.MAX_PAGE));
            for (Receipt r : page.receipts()) {
              if (r.subject().id().equals(run.runId())) {
                return Optional.of(r);
              }
            }
            read += page.receipts().size();
            if (page.nextAfterSeq().isEmpty()) {
              return Optional.empty();
            }
            after = page.nextAfterSeq().get();
          }
          return Optional.empty();
        });
  }
}
