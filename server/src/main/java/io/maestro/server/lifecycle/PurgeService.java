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
import io.maestro.core.json.CanonicalJson;
import io.maestro.core.problem.MaestroException;
import io.maestro.lifecycle.LifecycleErrors;
import io.maestro.lifecycle.Purge;
import io.maestro.lifecycle.PurgeJson;
import io.maestro.lifecycle.PurgeScope;
import io.maestro.lifecycle.Purges;
import io.maestro.server.auth.Governed;
import io.maestro.server.auth.PolicyRecheck;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.Route;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * The HTTP face of dual-control purges ({@code /api/purges}). Every step passed the policy gate;
 * requests and approvals are decided again on what the body and the stored purge say (the reason,
 * the delay, the scope; who requested and who approved), so separation of duties is the policy's
 * refusal with its reasons, decision id and {@code policy.denied} receipt. Runs due purges every
 * second in the background.
 */
public final class PurgeService implements ApiService, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(PurgeService.class.getName());

  private final Purges purges;
  private final Predicate<TenantId> held;
  private final Clock clock;
  private final BackgroundLoop runner;

  /**
   * @param held whether a tenant is on legal hold (a purge request is then refused by policy)
   */
  public PurgeService(Purges purges, Predicate<TenantId> held, Clock clock, Duration runEvery) {
    this.purges = purges;
    this.held = held;
    this.clock = clock;
    this.runner = BackgroundLoop.afterEach("maestro-purge-runner", runEvery, this::runDue);
  }

  private void runDue() {
    try {
      int n = purges.runDue();
      if (n > 0) {
        LOG.info("executed " + n + " purge(s)");
      }
    } catch (RuntimeException e) {
      LOG.warning("running due purges failed: " + e.getMessage());
    }
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/purges", "purge.read", this::list),
        Route.post("/api/purges", "purge.request", this::request),
        Route.get("/api/purges/{id}", "purge.read", this::show),
        Route.post("/api/purges/{id}/approve", "purge.approve", this::approve),
        Route.post("/api/purges/{id}/cancel", "purge.cancel", this::cancel),
        Route.get("/api/purges/{id}/manifest", "purge.read", this::manifest));
  }

  private void list(ServerRequest req, ServerResponse res) {
    TenantId tenant = Governed.of(req).requireTenant();
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode items = out.putArray("items");
    Instant now = clock.instant();
    purges.list(tenant).forEach(p -> items.add(PurgeJson.of(p, now)));
    HttpJson.ok(res, out);
  }

  /**
   * Body: {@code {"scope": "runs", "before": "2026-11-01", "reason": "…", "delay": "1h"}}; scope
   * {@code tenant} (offboarding) needs no {@code before}. Without {@code delay} the profile's
   * default applies.
   */
  private void request(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    JsonNode body = HttpJson.read(req);
    String reason = HttpJson.optionalText(body, "reason").orElse("");
    String scopeText = HttpJson.optionalText(body, "scope").orElse("");
    PurgeScope scope =
        PurgeScope.parse(scopeText)
            .orElseThrow(() -> invalid("scope must be runs, metering, receipt_payloads or tenant"));
    Optional<Instant> before = HttpJson.optionalText(body, "before").map(PurgeService::instant);
    Optional<Duration> delay = HttpJson.optionalText(body, "delay").map(PurgeService::duration);
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("scope", scope.wire());
    facts.put("reason", reason);
    delay.ifPresent(d -> facts.put("delaySeconds", d.toSeconds()));
    facts.put("held", held.test(tenant));
    Decision decision = PolicyRecheck.of(req).decide(g.input().withRequest("purge", facts));
    JsonNode control =
        decision.obligations().stream()
            .filter(o -> "purge_dual_control".equals(o.path("type").asText()))
            .findFirst()
            .orElseThrow(
                () ->
                    MaestroException.of(
                        io.maestro.core.problem.CoreErrors.INTERNAL,
                        "the policy allowed a purge without its dual-control obligation"));
    Purge p =
        purges.request(
            g.actor(),
            decision,
            tenant,
            new Purges.Request(
                scope,
                before,
                reason,
                delay.orElse(Duration.ofSeconds(control.path("delaySeconds").asLong(3600))),
                control.path("approvals").asInt(2)));
    HttpJson.send(res, Status.CREATED_201, PurgeJson.of(p, clock.instant()));
  }

  private void show(ServerRequest req, ServerResponse res) {
    TenantId tenant = Governed.of(req).requireTenant();
    Purge p = purges.get(tenant, req.path().pathParameters().get("id"));
    HttpJson.ok(res, PurgeJson.of(p, clock.instant()));
  }

  private void approve(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    Purge p = purges.get(tenant, req.path().pathParameters().get("id"));
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("scope", p.scope().wire());
    facts.put("state", p.state());
    facts.put("requestedBy", p.requestedBy());
    facts.put("approvers", p.approvers());
    Decision decision = PolicyRecheck.of(req).decide(g.input().withRequest("purge", facts));
    Purge after = purges.approve(g.actor(), decision, tenant, p.id());
    HttpJson.ok(res, PurgeJson.of(after, clock.instant()));
  }

  private void cancel(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    Purge p = purges.cancel(g.actor(), g.decision(), tenant, req.path().pathParameters().get("id"));
    HttpJson.ok(res, PurgeJson.of(p, clock.instant()));
  }

  /** The signed manifest (a DSSE envelope), as stored. */
  private void manifest(ServerRequest req, ServerResponse res) {
    TenantId tenant = Governed.of(req).requireTenant();
    String envelope = purges.manifest(tenant, req.path().pathParameters().get("id"));
    HttpJson.ok(res, CanonicalJson.parse(envelope));
  }

  /** {@code 2026-11-01} (midnight UTC) or an RFC 3339 time. */
  static Instant instant(String text) {
    try {
      return text.length() == 10
          ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
          : Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw invalid("before must be a date (2026-11-01) or an RFC 3339 time");
    }
  }

  /** {@code 90s}, {@code 30m}, {@code 2h}, {@code 7d} or an ISO-8601 duration. */
  static Duration duration(String text) {
    String t = text.strip();
    try {
      if (t.matches("\\d{1,9}[smhd]")) {
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
      return Duration.parse(t);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw invalid("delay must be a duration such as 90s, 30m, 2h, 7d or PT45M");
    }
  }

  private static MaestroException invalid(String detail) {
    return MaestroException.of(LifecycleErrors.PURGE_INVALID, detail);
  }

  @Override
  public void close() {
    runner.close();
  }
}
