package io.maestro.server.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.Actor;
import io.maestro.core.TenantId;
import io.maestro.core.problem.CoreErrors;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.Authorization;
import io.maestro.engine.EngineErrors;
import io.maestro.engine.registry.WorkflowRegistry;
import io.maestro.engine.run.StartRun;
import io.maestro.engine.schedule.WebhookTriggers;
import io.maestro.metering.webhooks.WebhookSignature;
import io.maestro.server.auth.Governed;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.Route;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Webhook triggers (docs/schedules.md): a workflow's trigger is managed under {@code
 * /api/workflows/{name}/trigger}; {@code POST /api/triggers/{tenant}/{workflow}} starts a run from
 * a request signed the Standard Webhooks way ({@code webhook-id}, {@code webhook-timestamp}, {@code
 * webhook-signature}: HMAC-SHA256 with the trigger's {@code whsec_} secret, the format billing
 * webhooks sign with). The JSON object body is the run's inputs.
 *
 * <p>That route carries no bearer token: the signature is its authentication. A request with a bad
 * or missing signature, a timestamp outside {@code triggers.webhookToleranceSeconds} or a
 * webhook-id already accepted is refused before anything is written; a verified one is decided like
 * any start (as {@code system:webhook-trigger}, {@code workflow.run}) and its run created in the
 * transaction that records its webhook-id.
 */
public final class TriggerService implements ApiService {
  private static final HeaderName ID = HeaderNames.create("webhook-id");
  private static final HeaderName TIMESTAMP = HeaderNames.create("webhook-timestamp");
  private static final HeaderName SIGNATURE = HeaderNames.create("webhook-signature");
  private static final Pattern WEBHOOK_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,80}");

  private final WebhookTriggers triggers;
  private final WorkflowRegistry registry;
  private final SystemStarts starts;
  private final Duration tolerance;
  private final Clock clock;

  TriggerService(
      WebhookTriggers triggers,
      WorkflowRegistry registry,
      SystemStarts starts,
      Duration tolerance,
      Clock clock) {
    this.triggers = triggers;
    this.registry = registry;
    this.starts = starts;
    this.tolerance = tolerance;
    this.clock = clock;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.put("/api/workflows/{name}/trigger", "trigger.write", this::create),
        Route.get("/api/workflows/{name}/trigger", "trigger.read", this::get),
        Route.delete("/api/workflows/{name}/trigger", "trigger.write", this::delete),
        Route.post("/api/triggers/{tenant}/{workflow}", "public", this::receive));
  }

  private static String name(ServerRequest req) {
    return req.path().pathParameters().get("name");
  }

  private static String url(TenantId tenant, String workflow) {
    return "/api/triggers/" + tenant.value() + "/" + workflow;
  }

  /** Creates the trigger, or gives it a new secret; the answer is the only place it is shown. */
  private void create(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    String workflow = name(req);
    if (registry.get(tenant, workflow).isEmpty()) {
      throw MaestroException.of(EngineErrors.WORKFLOW_NOT_FOUND, "no workflow " + workflow);
    }
    boolean existed = triggers.get(tenant, workflow).isPresent();
    String secret = WebhookSignature.newSecret();
    var t = triggers.create(new Authorization(g.actor(), g.decision()), tenant, workflow, secret);
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("workflow", t.workflow());
    out.put("url", url(tenant, workflow));
    out.put("secret", secret);
    out.put("createdBy", t.createdBy());
    out.put("createdAt", t.createdAt().toString());
    HttpJson.send(res, existed ? Status.OK_200 : Status.CREATED_201, out);
  }

  private void get(ServerRequest req, ServerResponse res) {
    TenantId tenant = Governed.of(req).requireTenant();
    var t = triggers.get(tenant, name(req)).orElseThrow(() -> WebhookTriggers.notFound(name(req)));
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("workflow", t.workflow());
    out.put("url", url(tenant, t.workflow()));
    out.put("createdBy", t.createdBy());
    out.put("createdAt", t.createdAt().toString());
    HttpJson.ok(res, out);
  }

  private void delete(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    triggers.delete(new Authorization(g.actor(), g.decision()), g.requireTenant(), name(req));
    res.status(Status.NO_CONTENT_204).send();
  }

  private void receive(ServerRequest req, ServerResponse res) {
    String tenantText = req.path().pathParameters().get("tenant");
    String workflow = req.path().pathParameters().get("workflow");
    byte[] raw = HttpJson.readRaw(req);
    String id = req.headers().first(ID).map(String::trim).orElse("");
    String signature = req.headers().first(SIGNATURE).orElse("");
    Optional<Long> timestamp =
        req.headers().first(TIMESTAMP).map(String::trim).flatMap(TriggerService::seconds);
    // An unknown tenant or workflow and a wrong secret look the same: the signature does not
    // verify. The caller learns nothing about which triggers exist.
    Optional<TenantId> tenant =
        TenantId.isValid(tenantText) ? Optional.of(TenantId.of(tenantText)) : Optional.empty();
    Optional<String> secret = tenant.flatMap(t -> triggers.secret(t, workflow));
    String body = new String(raw, StandardCharsets.UTF_8);
    if (secret.isEmpty()
        || !WEBHOOK_ID.matcher(id).matches()
        || timestamp.isEmpty()
        || signature.isBlank()
        || !WebhookSignature.verify(id, timestamp.get(), body, signature, secret.get())) {
      throw MaestroException.of(
          EngineErrors.WEBHOOK_SIGNATURE_INVALID,
          "the request is not signed with this trigger's secret (webhook-id, webhook-timestamp,"
              + " webhook-signature)");
    }
    long skew = Math.abs(clock.instant().getEpochSecond() - timestamp.get());
    if (skew > tolerance.toSeconds()) {
      throw MaestroException.of(
          EngineErrors.WEBHOOK_TIMESTAMP_STALE,
          "webhook-timestamp is "
              + skew
              + " s from the server's clock; at most "
              + tolerance.toSeconds()
              + " s is accepted");
    }
    TenantId t = tenant.get();
    if (triggers.seen(t, workflow, id)) {
      throw WebhookTriggers.replayed(id);
    }
    JsonNode inputs = HttpJson.parse(raw);
    if (!inputs.isObject()) {
      throw MaestroException.of(
          CoreErrors.VALIDATION_FAILED, "the body must be a JSON object: the run's inputs");
    }
    Actor actor = SystemStarts.actor(SystemStarts.WEBHOOK_TRIGGER, t);
    Optional<String> key = Optional.of("webhook:" + id);
    SystemStarts.Result r = starts.admit(actor, t, workflow, Optional.empty(), key);
    if (r instanceof SystemStarts.Refused refused) {
      throw refused.problem();
    }
    SystemStarts.Admitted a = (SystemStarts.Admitted) r;
    StartRun.Started started;
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> in = HttpJson.MAPPER.convertValue(inputs, Map.class);
      started =
          triggers.deliver(
              t,
              workflow,
              id,
              new StartRun(
                  t,
                  workflow,
                  a.admission().version(),
                  in,
                  key,
                  a.admission().authorization(),
                  Optional.empty(),
                  StartRun.WEBHOOK));
    } finally {
      starts.done(a);
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("id", started.runId());
    out.put("created", started.created());
    res.header(HeaderNames.LOCATION, "/api/runs/" + started.runId());
    HttpJson.send(res, Status.ACCEPTED_202, out);
  }

  private static Optional<Long> seconds(String s) {
    try {
      return Optional.of(Long.parseLong(s));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
