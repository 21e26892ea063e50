package io.maestro.server.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.engine.RunView;
import io.maestro.policy.DecisionRecords;
import io.maestro.server.auth.DecisionHistory;
import io.maestro.server.auth.PolicyRuntime;
import io.maestro.server.metering.TenantBudgets;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Explains why a run was allowed to start: the policy decision that admitted it, for {@code GET
 * /api/runs/{id}?explain=true} and {@code maestro status RUN --explain}.
 *
 * <p>The decision itself is stored with the run ({@link RunView#admission()}), exactly as the
 * decision point returned it and as the run's {@code run.started} receipt records it. The decision
 * log adds what the policy saw — the tenant's profile and the quota, budget and usage in its input
 * — as long as decisions are logged ({@code policy.decisionLog} is not {@code off}) and, in memory
 * mode, only for the last decisions since the server started. Runs created before admissions were
 * stored with the run are explained from the decision log alone.
 */
public final class RunAdmissions {
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

  private final DecisionSource decisions;

  public RunAdmissions(DecisionSource decisions) {
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
   * The admission of {@code run}: {@code decision_id}, {@code allow}, {@code reasons} (codes and
   * messages), {@code obligations}, {@code bundle_revision}, {@code decided_at}, and {@code
   * profile}, {@code quota}, {@code budget} and {@code usage} as the policy saw them, with {@code
   * sources} naming where each part came from ({@code run}, {@code decision_log:database|memory}).
   * A run started by the platform itself has the decision id {@code system} and no policy decision.
   */
  public ObjectNode explain(RunView run) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("decision_id", run.decisionId());
    ArrayNode sources = out.putArray("sources");
    if ("system".equals(run.decisionId())) {
      out.put("allow", true);
      out.putArray("reasons");
      out.put("note", "started by the platform; no policy decision was needed");
      run.parent().ifPresent(p -> out.put("parent", p.runId() + "/" + p.stepId()));
      return out;
    }
    Optional<Recorded> recorded = decisions.find(run.tenant(), run.decisionId());
    if (run.admission().isPresent()) {
      sources.add("run");
      Decision d = run.admission().get();
      out.put("allow", d.allow());
      out.set("reasons", d.resultJson().get("reasons"));
      out.set("obligations", d.resultJson().get("obligations"));
      if (!d.bundleRevision().isEmpty()) {
        out.put("bundle_revision", d.bundleRevision());
      }
      out.put("decided_at", d.time().toString());
    } else if (recorded.isPresent()) {
      Recorded r = recorded.get();
      out.put("allow", r.result().path("allow").asBoolean(false));
      out.set("reasons", r.result().path("reasons").deepCopy());
      r.bundleRevision().ifPresent(rev -> out.put("bundle_revision", rev));
      out.put("decided_at", r.time().toString());
    } else {
      out.putArray("reasons");
      out.put(
          "note",
          "the run was created before admissions were stored with runs and the decision log has"
              + " no record of its decision");
    }
    recorded.ifPresent(r -> sources.add("decision_log:" + r.source()));
    run.parent().ifPresent(p -> out.put("parent", p.runId() + "/" + p.stepId()));
    JsonNode tenant = recorded.map(Recorded::input).map(in -> in.path("tenant")).orElse(null);
    if (tenant != null && tenant.isObject()) {
      copy(tenant, "profile", out);
      copy(tenant, "quota", out);
      copy(tenant, "budget", out);
      copy(tenant, "usage", out);
      TenantBudgets.addRemaining(
          out.path("budget"), "dailyMaxUSD", "spentUSD", "reservedUSD", "dailyRemainingUSD");
      TenantBudgets.addRemaining(
          out.path("budget"),
          "monthlyMaxUSD",
          "monthlySpentUSD",
          "monthlyReservedUSD",
          "monthlyRemainingUSD");
    }
    // A start routed to the stable version names the ramp and bucket that routed it.
    recorded
        .map(Recorded::input)
        .map(in -> in.path("request").path("workflow").path("routed"))
        .filter(JsonNode::isObject)
        .ifPresent(r -> out.set("routed", r.deepCopy()));
    // The run's cost estimate as the policy judged it (plan.estimatedCostUSD and its basis).
    recorded
        .map(Recorded::input)
        .map(in -> in.path("plan"))
        .filter(JsonNode::isObject)
        .ifPresent(plan -> out.set("plan", plan.deepCopy()));
    return out;
  }

  private static void copy(JsonNode from, String field, ObjectNode to) {
    JsonNode v = from.get(field);
    if (v != null && !v.isNull()) {
      to.set(field, v.deepCopy());
    }
  }
}
