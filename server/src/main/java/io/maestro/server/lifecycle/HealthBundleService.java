package io.maestro.server.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.Actor;
import io.maestro.core.TenantId;
import io.maestro.core.config.MaestroConfig;
import io.maestro.core.json.CanonicalJson;
import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.engine.run.RunQueries;
import io.maestro.lifecycle.support.Redaction;
import io.maestro.policy.DecisionPoint;
import io.maestro.policy.DecisionRecords;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptDraft;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.provenance.Receipts;
import io.maestro.server.auth.Governed;
import io.maestro.server.auth.UsageSource;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.Route;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.tenancy.Tenant;
import io.maestro.tenancy.TenantDirectory;
import io.maestro.tenancy.Usage;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /api/support/health-bundle}: what a support engineer needs to look at a tenant —
 * server versions and configuration, the tenant's settings and quotas with their use, run counts by
 * state (queue depth), the latest failed runs and refusals, the SLO inputs — gathered through the
 * modules' query APIs, then passed whole through {@link Redaction} so that no secret, token, key,
 * e-mail address or free text leaves, whatever a collector put in. Each bundle is a {@code
 * support.health_bundle} receipt in the tenant's log carrying the bundle's digest.
 */
public final class HealthBundleService implements ApiService {
  /** Keys whose values are identifiers and codes support needs, never people's words. */
  static final Set<String> KEEP =
      Set.of(
          "id",
          "run",
          "workflow",
          "version",
          "digest",
          "decision_id",
          "revision",
          "bundle_digest",
          "code",
          "codes",
          "status",
          "state",
          "profile",
          "edition",
          "tenant",
          "trigger",
          "error_kind",
          "action",
          "format",
          "key_id");

  private final MaestroConfig config;
  private final Database db;
  private final Receipts receipts;
  private final TenantDirectory directory;
  private final UsageSource usage;
  private final RunQueries runs;
  private final DecisionPoint pdp;
  private final Clock clock;

  public HealthBundleService(
      MaestroConfig config,
      Database db,
      Receipts receipts,
      TenantDirectory directory,
      UsageSource usage,
      RunQueries runs,
      DecisionPoint pdp,
      Clock clock) {
    this.config = config;
    this.db = db;
    this.receipts = receipts;
    this.directory = directory;
    this.usage = usage;
    this.runs = runs;
    this.pdp = pdp;
    this.clock = clock;
  }

  @Override
  public List<Route> routes() {
    return List.of(Route.get("/api/support/health-bundle", "support.bundle", this::bundle));
  }

  private void bundle(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    ObjectNode raw = collect(tenant);
    ObjectNode out = (ObjectNode) Redaction.redact(raw, KEEP);
    String digest = CanonicalJson.sha256(out);
    Receipt receipt = record(g.actor(), g, tenant, digest);
    ObjectNode envelope = HttpJson.MAPPER.createObjectNode();
    envelope.set("bundle", out);
    envelope.put("bundle_digest", digest);
    envelope.put("receipt_id", receipt.id());
    HttpJson.ok(res, envelope);
  }

  ObjectNode collect(TenantId tenant) {
    ObjectNode o = HttpJson.MAPPER.createObjectNode();
    o.put("format", "maestro.health-bundle/v1");
    o.put("tenant", tenant.value());
    o.put("generated_at", clock.instant().toString());
    ObjectNode versions = o.putObject("versions");
    String v = HealthBundleService.class.getPackage().getImplementationVersion();
    versions.put("maestro", v == null ? "dev" : v);
    versions.put("java", Runtime.version().toString());
    pdp.status().forEach(versions.putObject("policy_bundle")::put);
    ObjectNode cfg = o.putObject("config");
    cfg.put("mode", config.mode().name().toLowerCase(java.util.Locale.ROOT));
    cfg.put("edition", config.policy().edition());
    cfg.put("database", db.dialect().name().toLowerCase(java.util.Locale.ROOT));
    cfg.put("engine_workers", config.engine().workers());
    cfg.put("lease_seconds", config.engine().lease().toSeconds());
    cfg.put("retention_interval_seconds", config.retention().interval().toSeconds());
    cfg.put("chaos_enabled", config.chaos().enabled());
    Optional<Tenant> t = directory.tenant(tenant);
    ObjectNode tn = o.putObject("tenant_settings");
    t.ifPresent(
        x -> {
          tn.put("status", x.status().wire());
          tn.put("profile", x.profile());
          tn.put("edition", x.edition());
          tn.put("home_region", x.homeRegion());
          x.regions().forEach(tn.withArray("regions")::add);
          tn.put("max_concurrent_runs", x.quotas().maxConcurrentRuns());
          tn.put("max_steps_per_minute", x.quotas().maxStepsPerMinute());
          tn.put("max_receipt_backlog", x.quotas().maxReceiptBacklog());
          tn.put("daily_budget_usd", x.dailyBudgetUsd());
        });
    Usage u = usage.usage(tenant);
    o.putObject("usage")
        .put("concurrent_runs", u.concurrentRuns())
        .put("steps_last_minute", u.stepsLastMinute())
        .put("receipt_backlog", u.receiptBacklog())
        .put("spent_usd", u.spentUsd())
        .put("storage_bytes", u.storageBytes());
    ObjectNode queue = o.putObject("queue");
    for (RunStatus s : List.of(RunStatus.PENDING, RunStatus.RUNNING)) {
      queue.put(
          s.name().toLowerCase(java.util.Locale.ROOT),
          runs.list(tenant, Optional.of(s), Optional.empty(), RunQueries.MAX_PAGE, Optional.empty())
              .runs()
              .size());
    }
    RunQueries.Finished day =
        runs.finishedSince(
            tenant, clock.instant().minusSeconds(86_400), java.time.Duration.ofMinutes(5));
    o.putObject("slo_inputs_24h")
        .put("finished", day.total())
        .put("failed", day.failed())
        .put("slow_over_5m", day.slow());
    ArrayNode errors = o.putArray("recent_errors");
    for (RunView r :
        runs.list(tenant, Optional.of(RunStatus.FAILED), Optional.empty(), 20, Optional.empty())
            .runs()) {
      ObjectNode e = errors.addObject();
      e.put("run", r.runId());
      e.put("workflow", r.workflow());
      e.put("version", r.version());
      r.finishedAt().ifPresent(f -> e.put("at", f.toString()));
      r.error().ifPresent(x -> e.put("error", x));
      e.put("started_by", r.startedBy());
    }
    ArrayNode denials = o.putArray("recent_refusals");
    for (JsonNode d :
        db.inTransaction(
            TenantScope.of(tenant), tx -> DecisionRecords.recent(tx, tenant.value(), 50))) {
      JsonNode result = d.path("result");
      if (result.path("allow").asBoolean(true)) {
        continue;
      }
      ObjectNode x = denials.addObject();
      x.put("decision_id", d.path("decision_id").asText());
      x.put("action", d.path("input").path("action").asText());
      ArrayNode codes = x.putArray("codes");
      result.path("reasons").forEach(r -> codes.add(r.path("code").asText()));
      x.put("actor", d.path("input").path("actor").path("sub").asText());
    }
    return o;
  }

  private Receipt record(Actor actor, Governed g, TenantId tenant, String digest) {
    ObjectNode payload = HttpJson.MAPPER.createObjectNode();
    payload.put("bundle_digest", digest);
    payload.put("decision_id", g.decision().id());
    return db.inTransaction(
        TenantScope.of(tenant),
        tx ->
            receipts.append(
                tx,
                ReceiptDraft.of(
                        LogId.tenant(tenant),
                        ReceiptTypes.SUPPORT_HEALTH_BUNDLE,
                        actor,
                        "support.bundle",
                        ReceiptDraft.Subject.of("health_bundle", digest))
                    .withPayload(payload)
                    .withDecision(g.decision())));
  }
}
