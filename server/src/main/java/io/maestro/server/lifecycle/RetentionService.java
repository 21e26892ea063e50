package io.maestro.server.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.background.BackgroundLoop;
import io.maestro.core.problem.MaestroException;
import io.maestro.lifecycle.LifecycleErrors;
import io.maestro.lifecycle.retention.DataClass;
import io.maestro.lifecycle.retention.LegalHold;
import io.maestro.lifecycle.retention.Retention;
import io.maestro.lifecycle.retention.RetentionBounds;
import io.maestro.lifecycle.retention.RetentionDefaults;
import io.maestro.lifecycle.retention.RetentionRule;
import io.maestro.server.auth.Governed;
import io.maestro.server.auth.PolicyRecheck;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.Route;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The HTTP face of retention ({@code /api/retention}): a tenant's rules per data class, its legal
 * holds, the batches the job removed, and a run of the job now. Every change passed the policy gate
 * and is decided again on what the body says (the days asked for against the platform's bounds, a
 * hold's reason), so a refusal is the policy's with its reasons and {@code policy.denied} receipt.
 * Runs the retention job over every tenant at the configured interval.
 */
public final class RetentionService implements ApiService, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RetentionService.class.getName());

  private final Retention retention;
  private final Supplier<List<String>> everyone;
  private final Clock clock;
  private final Optional<BackgroundLoop> runner;

  /**
   * @param every how often the job runs over every tenant; zero: never in the background
   */
  public RetentionService(
      Retention retention, Supplier<List<String>> everyone, Duration every, Clock clock) {
    this.retention = retention;
    this.everyone = everyone;
    this.clock = clock;
    this.runner =
        every.isZero()
            ? Optional.empty()
            : Optional.of(BackgroundLoop.afterEach("maestro-retention", every, this::runAll));
  }

  private void runAll() {
    try {
      for (Retention.Outcome o : retention.runAll(everyone)) {
        if (o.batches() > 0) {
          LOG.info("retention removed " + o.removed() + " of " + o.tenant());
        }
      }
    } catch (RuntimeException e) {
      LOG.warning("the retention job failed: " + e.getMessage());
    }
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/retention/rules", "retention.read", this::rules),
        Route.put("/api/retention/rules/{class}", "retention.write", this::setRule),
        Route.delete("/api/retention/rules/{class}", "retention.write", this::removeRule),
        Route.get("/api/retention/holds", "retention.read", this::holds),
        Route.post("/api/retention/holds", "retention.hold", this::placeHold),
        Route.post("/api/retention/holds/{id}/release", "retention.hold", this::releaseHold),
        Route.get("/api/retention/batches", "retention.read", this::batches),
        Route.post("/api/retention/run", "retention.run", this::run));
  }

  /** Every data class with the tenant's rule (or none: kept for good), the bounds, the hold. */
  private void rules(ServerRequest req, ServerResponse res) {
    TenantId tenant = Governed.of(req).requireTenant();
    Map<DataClass, Retention.Applied> rules = new LinkedHashMap<>();
    retention.applied(tenant).forEach(r -> rules.put(r.dataClass(), r));
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("tenant", tenant.value());
    out.put("held", retention.held(tenant));
    RetentionBounds b = retention.bounds();
    ObjectNode bounds = out.putObject("bounds");
    bounds.put("min_days", b.minDays());
    if (b.maxDays().isPresent()) {
      bounds.put("max_days", b.maxDays().getAsInt());
    } else {
      bounds.putNull("max_days");
    }
    ArrayNode items = out.putArray("items");
    RetentionDefaults defaults = retention.defaults(tenant);
    out.put("defaults", defaults.source());
    for (DataClass c : DataClass.values()) {
      Retention.Applied r = rules.get(c);
      ObjectNode item =
          r == null
              ? items.addObject().put("data_class", c.wire()).putNull("keep_days").putNull("source")
              : (ObjectNode) items.add(Retention.appliedJson(r)).get(items.size() - 1);
      // The shortest rule the tenant's profile allows for the class (the policy refuses less).
      defaults
          .minimum(c)
          .ifPresentOrElse(
              m -> item.put("profile_min_days", m), () -> item.putNull("profile_min_days"));
    }
    HttpJson.ok(res, out);
  }

  /** Body: {@code {"keepDays": 90}}. */
  private void setRule(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    DataClass c = dataClass(req);
    JsonNode body = HttpJson.read(req);
    long days =
        HttpJson.optionalInteger(body, "keepDays")
            .orElseThrow(() -> invalid("keepDays (a whole number of days) is required"));
    if (days < 1 || days > 36_500) {
      throw invalid("keepDays must be from 1 to 36500");
    }
    RetentionBounds b = retention.bounds();
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("dataClass", c.wire());
    facts.put("keepDays", days);
    facts.put("minDays", b.minDays());
    b.maxDays().ifPresent(m -> facts.put("maxDays", m));
    Decision decision = PolicyRecheck.of(req).decide(g.input().withRequest("retention", facts));
    RetentionRule r = retention.setRule(g.actor(), decision, tenant, c, (int) days);
    HttpJson.ok(res, Retention.ruleJson(r));
  }

  private void removeRule(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    DataClass c = dataClass(req);
    retention.removeRule(g.actor(), g.decision(), tenant, c);
    res.status(Status.NO_CONTENT_204).send();
  }

  private void holds(ServerRequest req, ServerResponse res) {
    TenantId tenant = Governed.of(req).requireTenant();
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode items = out.putArray("items");
    retention.holds(tenant).forEach(h -> items.add(Retention.holdJson(h)));
    HttpJson.ok(res, out);
  }

  /** Body: {@code {"reason": "litigation 2026-17"}}. */
  private void placeHold(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    String reason = HttpJson.optionalText(HttpJson.read(req), "reason").orElse("");
    Decision decision =
        PolicyRecheck.of(req).decide(g.input().withRequest("retention", Map.of("reason", reason)));
    LegalHold h = retention.placeHold(g.actor(), decision, tenant, reason);
    HttpJson.send(res, Status.CREATED_201, Retention.holdJson(h));
  }

  /** Body: {@code {"reason": "case closed"}}. */
  private void releaseHold(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    String reason = HttpJson.optionalText(HttpJson.read(req), "reason").orElse("");
    Decision decision =
        PolicyRecheck.of(req).decide(g.input().withRequest("retention", Map.of("reason", reason)));
    LegalHold h =
        retention.releaseHold(
            g.actor(), decision, tenant, req.path().pathParameters().get("id"), reason);
    HttpJson.ok(res, Retention.holdJson(h));
  }

  private void batches(ServerRequest req, ServerResponse res) {
    TenantId tenant = Governed.of(req).requireTenant();
    int limit = 100;
    Optional<String> l = req.query().first("limit").asOptional();
    if (l.isPresent()) {
      try {
        limit = Integer.parseInt(l.get());
      } catch (NumberFormatException e) {
        throw invalid("limit must be a number from 1 to 1000");
      }
      if (limit < 1 || limit > 1000) {
        throw invalid("limit must be a number from 1 to 1000");
      }
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode items = out.putArray("items");
    retention.batches(tenant, limit).forEach(b -> items.add(Retention.batchJson(b)));
    HttpJson.ok(res, out);
  }

  /** Runs the job for the caller's tenant now (what the background job does every interval). */
  private void run(ServerRequest req, ServerResponse res) {
    TenantId tenant = Governed.of(req).requireTenant();
    Retention.Outcome o = retention.run(tenant);
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("tenant", o.tenant());
    out.put("held", o.held());
    out.put("batches", o.batches());
    ObjectNode removed = out.putObject("removed");
    o.removed().forEach(removed::put);
    out.put("more", o.more());
    out.put("ran_at", clock.instant().toString());
    HttpJson.ok(res, out);
  }

  private static DataClass dataClass(ServerRequest req) {
    String c = req.path().pathParameters().get("class");
    return DataClass.parse(c)
        .orElseThrow(
            () ->
                invalid(
                    "unknown data class "
                        + c
                        + "; one of "
                        + String.join(
                            ", ",
                            Arrays.stream(DataClass.values()).map(DataClass::wire).toList())));
  }

  private static MaestroException invalid(String detail) {
    return MaestroException.of(LifecycleErrors.RETENTION_INVALID, detail);
  }

  @Override
  public void close() {
    runner.ifPresent(BackgroundLoop::close);
  }
}
