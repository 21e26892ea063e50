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
import io.maestro.core.problem.CoreErrors;
import io.maestro.core.problem.MaestroException;
import io.maestro.lifecycle.LifecycleErrors;
import io.maestro.lifecycle.support.Impersonations;
import io.maestro.lifecycle.support.Impersonations.Session;
import io.maestro.server.auth.Governed;
import io.maestro.server.auth.PolicyRecheck;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.Route;
import io.maestro.tenancy.TenantDirectory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * {@code /api/support/impersonations} (ADR 0044): a support engineer asks to act as a tenant member
 * (platform token, {@code X-Maestro-Tenant}), with a reason and a time box in minutes; the request
 * is decided again on what it asks ({@code input.request.impersonation}: subject, reason, minutes,
 * whether the subject is a member), and the allowing decision's {@code impersonation_control}
 * obligation says whether a tenant administrator approves first. Sessions end when stopped or when
 * their time box runs out (a background sweep writes the {@code impersonation.stopped} receipt of
 * each).
 */
public final class ImpersonationService implements ApiService, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ImpersonationService.class.getName());

  private final Impersonations sessions;
  private final TenantDirectory directory;
  private final Clock clock;
  private final ScheduledExecutorService sweeper;

  public ImpersonationService(
      Impersonations sessions, TenantDirectory directory, Clock clock, Duration sweepEvery) {
    this.sessions = sessions;
    this.directory = directory;
    this.clock = clock;
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("maestro-impersonation-sweep").unstarted(r));
    long ms = sweepEvery.toMillis();
    sweeper.scheduleWithFixedDelay(this::sweep, ms, ms, TimeUnit.MILLISECONDS);
  }

  private void sweep() {
    try {
      int n = sessions.expireDue();
      if (n > 0) {
        LOG.info("ended " + n + " impersonation session(s) at their time box");
      }
    } catch (RuntimeException e) {
      LOG.warning("ending expired impersonation sessions failed: " + e.getMessage());
    }
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/support/impersonations", "impersonation.read", this::list),
        Route.post("/api/support/impersonations", "impersonation.request", this::request),
        Route.get("/api/support/impersonations/{id}", "impersonation.read", this::show),
        Route.post(
            "/api/support/impersonations/{id}/approve", "impersonation.approve", this::approve),
        Route.post("/api/support/impersonations/{id}/stop", "impersonation.stop", this::stop));
  }

  private void list(ServerRequest req, ServerResponse res) {
    TenantId tenant = Governed.of(req).requireTenant();
    Instant now = clock.instant();
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode items = out.putArray("items");
    sessions.list(tenant).forEach(s -> items.add(s.json(now)));
    HttpJson.ok(res, out);
  }

  private void show(ServerRequest req, ServerResponse res) {
    TenantId tenant = Governed.of(req).requireTenant();
    HttpJson.ok(res, sessions.get(tenant, id(req)).json(clock.instant()));
  }

  /** Body: {@code {"subject": "ana@acme", "reason": "ticket 4711", "minutes": 20}}. */
  private void request(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    JsonNode body = HttpJson.read(req);
    String subject =
        HttpJson.optionalText(body, "subject")
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .orElseThrow(() -> invalid("name the member to act as with subject"));
    String reason = HttpJson.optionalText(body, "reason").orElse("");
    long minutes =
        HttpJson.optionalInteger(body, "minutes")
            .orElseThrow(() -> invalid("give the time box in whole minutes with minutes"));
    if (minutes < 1 || minutes > 24 * 60) {
      throw invalid("minutes must be from 1 to 1440");
    }
    Optional<String> role = directory.memberRole(tenant, subject);
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("subject", subject);
    facts.put("reason", reason);
    facts.put("minutes", minutes);
    facts.put("member", role.isPresent());
    Decision decision = PolicyRecheck.of(req).decide(g.input().withRequest("impersonation", facts));
    JsonNode control =
        decision.obligations().stream()
            .filter(o -> "impersonation_control".equals(o.path("type").asText()))
            .findFirst()
            .orElseThrow(
                () ->
                    MaestroException.of(
                        CoreErrors.INTERNAL,
                        "the policy allowed an impersonation without its control obligation"));
    Session s =
        sessions.request(
            g.actor(),
            decision,
            tenant,
            subject,
            role.orElseThrow(),
            reason,
            (int) minutes,
            control.path("approval").asBoolean(true));
    HttpJson.send(res, Status.CREATED_201, s.json(clock.instant()));
  }

  private void approve(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    Session s = sessions.get(tenant, id(req));
    Decision decision =
        PolicyRecheck.of(req)
            .decide(
                g.input()
                    .withRequest(
                        "impersonation",
                        Map.of(
                            "requestedBy", s.requestedBy(), "state", s.stateAt(clock.instant()))));
    HttpJson.ok(res, sessions.approve(g.actor(), decision, tenant, s.id()).json(clock.instant()));
  }

  private void stop(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    HttpJson.ok(res, sessions.stop(g.actor(), g.decision(), tenant, id(req)).json(clock.instant()));
  }

  private static String id(ServerRequest req) {
    return req.path().pathParameters().get("id");
  }

  private static MaestroException invalid(String detail) {
    return MaestroException.of(LifecycleErrors.IMPERSONATION_INVALID, detail);
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
  }
}
