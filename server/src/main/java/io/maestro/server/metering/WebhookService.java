package io.maestro.server.metering;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.TenantId;
import io.maestro.core.problem.CoreErrors;
import io.maestro.core.problem.MaestroException;
import io.maestro.metering.webhooks.WebhookDelivery;
import io.maestro.metering.webhooks.WebhookDispatcher;
import io.maestro.metering.webhooks.WebhookEndpoint;
import io.maestro.metering.webhooks.WebhookErrors;
import io.maestro.metering.webhooks.Webhooks;
import io.maestro.server.auth.Governed;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.Route;
import io.maestro.store.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Billing webhooks over HTTP, thin over {@link Webhooks}: register, list, delete, rotate, list
 * deliveries, replay. The tenant is the one the policy gate established; a secret appears only in
 * the answers to register and rotate. Owns the background {@link WebhookDispatcher}.
 */
public final class WebhookService implements ApiService, AutoCloseable {
  private final Database db;
  private final Webhooks webhooks;
  private final WebhookDispatcher dispatcher;

  public WebhookService(Database db, Webhooks webhooks, WebhookDispatcher dispatcher) {
    this.db = db;
    this.webhooks = webhooks;
    this.dispatcher = dispatcher;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.post("/api/billing/webhooks", "webhook.manage", this::register),
        Route.get("/api/billing/webhooks", "webhook.read", this::list),
        Route.delete("/api/billing/webhooks/{id}", "webhook.manage", this::delete),
        Route.post("/api/billing/webhooks/{id}/rotate", "webhook.manage", this::rotate),
        Route.get("/api/billing/webhooks/{id}/deliveries", "webhook.read", this::deliveries),
        Route.post(
            "/api/billing/webhooks/{id}/deliveries/{deliveryId}/replay",
            "webhook.manage",
            this::replay));
  }

  private void register(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    JsonNode body = HttpJson.read(req);
    String url = HttpJson.optionalText(body, "url").orElse(null);
    List<String> types = new ArrayList<>();
    JsonNode t = body.path("eventTypes");
    if (t.isArray()) {
      t.forEach(x -> types.add(x.asText()));
    } else if (!t.isMissingNode() && !t.isNull()) {
      throw MaestroException.of(
          WebhookErrors.EVENT_TYPES_INVALID, "eventTypes must be an array of event type names");
    }
    Webhooks.Registered r =
        db.inTransaction(
            g.scope(), tx -> webhooks.register(tx, tenant, g.actor(), g.decision(), url, types));
    ObjectNode out = endpoint(r.endpoint());
    out.put("secret", r.secret());
    HttpJson.send(res, Status.CREATED_201, out);
  }

  private void list(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    List<WebhookEndpoint> all = db.inTransaction(g.scope(), tx -> webhooks.list(tx, tenant));
    ObjectNode out = HttpJson.MAPPER.createObjectNode();
    ArrayNode items = out.putArray("webhooks");
    all.forEach(e -> items.add(endpoint(e)));
    HttpJson.ok(res, out);
  }

  private void delete(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    String id = req.path().pathParameters().get("id");
    db.useTransaction(g.scope(), tx -> webhooks.delete(tx, tenant, g.actor(), g.decision(), id));
    res.status(Status.NO_CONTENT_204).send();
  }

  private void rotate(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    String id = req.path().pathParameters().get("id");
    Webhooks.Registered r =
        db.inTransaction(g.scope(), tx -> webhooks.rotate(tx, tenant, g.actor(), g.decision(), id));
    ObjectNode out = endpoint(r.endpoint());
    out.put("secret", r.secret());
    HttpJson.ok(res, out);
  }

  private void deliveries(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    String id = req.path().pathParameters().get("id");
    Optional<String> status = query(req, "status");
    int limit = query(req, "limit").map(WebhookService::limit).orElse(100);
    List<WebhookDelivery> all =
        db.inTransaction(g.scope(), tx -> webhooks.deliveries(tx, tenant, id, status, limit));
    ObjectNode out = HttpJson.MAPPER.createObjectNode();
    ArrayNode items = out.putArray("deliveries");
    for (WebhookDelivery d : all) {
      ObjectNode o = items.addObject();
      o.put("id", d.id());
      o.put("endpointId", d.endpointId());
      o.put("eventId", d.eventId());
      o.put("eventType", d.eventType());
      o.put("status", d.status());
      o.put("createdAt", d.createdAt().toString());
      o.put("nextAttemptAt", d.nextAttemptAt().map(Object::toString).orElse(null));
      ArrayNode attempts = o.putArray("attempts");
      for (WebhookDelivery.Attempt a : d.attempts()) {
        ObjectNode x = attempts.addObject();
        x.put("attempt", a.attempt());
        x.put("at", a.at().toString());
        x.put("outcome", a.outcome());
        x.put("httpStatus", a.httpStatus().orElse(null));
        x.put("error", a.error().orElse(null));
        x.put("durationMs", a.durationMs());
        x.put("receiptId", a.receiptId());
      }
    }
    HttpJson.ok(res, out);
  }

  private void replay(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    String id = req.path().pathParameters().get("id");
    String delivery = req.path().pathParameters().get("deliveryId");
    db.useTransaction(
        g.scope(), tx -> webhooks.replay(tx, tenant, g.actor(), g.decision(), id, delivery));
    HttpJson.send(
        res,
        Status.ACCEPTED_202,
        HttpJson.MAPPER.createObjectNode().put("id", delivery).put("status", "pending"));
  }

  private static ObjectNode endpoint(WebhookEndpoint e) {
    ObjectNode o = HttpJson.MAPPER.createObjectNode();
    o.put("id", e.id());
    o.put("url", e.url());
    ArrayNode types = o.putArray("eventTypes");
    e.eventTypes().forEach(types::add);
    o.put("createdAt", e.createdAt().toString());
    o.put("previousSecretValidUntil", e.previousSecretUntil().map(Object::toString).orElse(null));
    return o;
  }

  private static int limit(String value) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= 1000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw MaestroException.of(CoreErrors.VALIDATION_FAILED, "limit must be an integer 1-1000");
  }

  private static Optional<String> query(ServerRequest req, String name) {
    return req.query().contains(name)
        ? Optional.of(req.query().get(name)).filter(s -> !s.isEmpty())
        : Optional.empty();
  }

  @Override
  public void close() {
    dispatcher.close();
  }
}
