package io.maestro.metering.webhooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.json.Json;
import io.maestro.core.problem.MaestroException;
import io.maestro.metering.EventType;
import io.maestro.metering.Metering;
import io.maestro.metering.StoredEvent;
import io.maestro.provenance.LogId;
import io.maestro.provenance.ReceiptDraft;
import io.maestro.provenance.ReceiptType;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.provenance.Receipts;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Billing webhooks: a tenant's endpoints and the deliveries of its metered events to them. Every
 * call takes the caller's transaction, scoped to the tenant; each change writes its receipt in that
 * transaction. Secrets leave this class only once, in {@link Registered} (registration and
 * rotation); listings, receipts and deliveries never carry them. Sending is {@link
 * WebhookDispatcher}'s job.
 */
public final class Webhooks {
  private static final ObjectMapper JSON = Json.MAPPER;

  private final Metering metering;
  private final Receipts receipts;
  private final EndpointGuard guard;
  private final WebhookSettings settings;
  private final Clock clock;

  public Webhooks(
      Metering metering,
      Receipts receipts,
      EndpointGuard guard,
      WebhookSettings settings,
      Clock clock) {
    this.metering = metering;
    this.receipts = receipts;
    this.guard = guard;
    this.settings = settings;
    this.clock = clock;
  }

  public WebhookSettings settings() {
    return settings;
  }

  EndpointGuard guard() {
    return guard;
  }

  Receipts receipts() {
    return receipts;
  }

  Metering metering() {
    return metering;
  }

  Clock clock() {
    return clock;
  }

  /** A registered or rotated endpoint with its new secret: the only time the secret is shown. */
  public record Registered(WebhookEndpoint endpoint, String secret) {}

  /**
   * Registers an endpoint for {@code eventTypes} (wire names of metered event types). The URL must
   * pass the {@link EndpointGuard}. Only events recorded from now on are delivered.
   */
  public Registered register(
      Tx tx, TenantId tenant, Actor actor, Decision decision, String url, List<String> eventTypes) {
    requireScope(tx, tenant);
    String checkedUrl = guard.require(url).toString();
    List<String> types = eventTypes(eventTypes);
    if (WebhookTables.countEndpoints(tx, tenant) >= settings.maxEndpoints()) {
      throw MaestroException.of(
          WebhookErrors.TOO_MANY,
          "a tenant may register at most " + settings.maxEndpoints() + " webhook endpoints");
    }
    Instant now = clock.instant();
    String secret = WebhookSignature.newSecret();
    WebhookTables.EndpointRow row =
        new WebhookTables.EndpointRow(
            tenant,
            "wh_" + UUID.randomUUID().toString().replace("-", ""),
            checkedUrl,
            types,
            secret,
            Optional.empty(),
            Optional.empty(),
            now,
            metering.lastSeq(tx, tenant));
    WebhookTables.insertEndpoint(tx, row);
    ObjectNode payload = JSON.createObjectNode().put("endpoint_id", row.id());
    types.forEach(payload.putArray("event_types")::add);
    receipt(
        tx,
        tenant,
        actor,
        decision,
        ReceiptTypes.WEBHOOK_REGISTERED,
        "webhook.register",
        row.id(),
        payload);
    return new Registered(row.listed(now), secret);
  }

  /** The tenant's endpoints, oldest first, without secrets. */
  public List<WebhookEndpoint> list(Tx tx, TenantId tenant) {
    requireScope(tx, tenant);
    Instant now = clock.instant();
    return WebhookTables.endpoints(tx, tenant).stream().map(e -> e.listed(now)).toList();
  }

  /** Deletes an endpoint and its deliveries; {@code webhook_not_found} if the tenant has none. */
  public void delete(Tx tx, TenantId tenant, Actor actor, Decision decision, String endpointId) {
    requireScope(tx, tenant);
    if (!WebhookTables.deleteEndpoint(tx, tenant, endpointId)) {
      throw notFound(endpointId);
    }
    receipt(
        tx,
        tenant,
        actor,
        decision,
        ReceiptTypes.WEBHOOK_DELETED,
        "webhook.delete",
        endpointId,
        JSON.createObjectNode().put("endpoint_id", endpointId));
  }

  /**
   * Gives the endpoint a new secret. The previous one keeps signing beside it (deliveries carry
   * both signatures) for {@link WebhookSettings#rotationOverlap()}, so receivers can switch over.
   */
  public Registered rotate(
      Tx tx, TenantId tenant, Actor actor, Decision decision, String endpointId) {
    requireScope(tx, tenant);
    WebhookTables.EndpointRow row =
        WebhookTables.endpoint(tx, tenant, endpointId).orElseThrow(() -> notFound(endpointId));
    Instant now = clock.instant();
    Instant until = now.plus(settings.rotationOverlap());
    String secret = WebhookSignature.newSecret();
    WebhookTables.rotate(tx, tenant, endpointId, secret, row.secret(), until);
    receipt(
        tx,
        tenant,
        actor,
        decision,
        ReceiptTypes.WEBHOOK_SECRET_ROTATED,
        "webhook.rotate",
        endpointId,
        JSON.createObjectNode()
            .put("endpoint_id", endpointId)
            .put("previous_secret_until", until.toString()));
    WebhookEndpoint listed =
        new WebhookEndpoint(
            row.id(), row.url(), row.eventTypes(), row.createdAt(), Optional.of(until));
    return new Registered(listed, secret);
  }

  /** The endpoint's deliveries, newest first, each with its attempts. */
  public List<WebhookDelivery> deliveries(
      Tx tx, TenantId tenant, String endpointId, Optional<String> status, int limit) {
    requireScope(tx, tenant);
    WebhookTables.endpoint(tx, tenant, endpointId).orElseThrow(() -> notFound(endpointId));
    if (status.isPresent()
        && !Set.of(WebhookDelivery.PENDING, WebhookDelivery.DELIVERED, WebhookDelivery.DEAD)
            .contains(status.get())) {
      throw MaestroException.of(
          io.maestro.core.problem.CoreErrors.VALIDATION_FAILED,
          "status must be pending, delivered or dead");
    }
    return WebhookTables.deliveries(tx, tenant, endpointId, status, limit);
  }

  /**
   * Queues a delivery again (whatever its status), due now, with a fresh allowance of attempts;
   * {@code webhook_delivery_not_found} if the endpoint has no such delivery.
   */
  public void replay(
      Tx tx,
      TenantId tenant,
      Actor actor,
      Decision decision,
      String endpointId,
      String deliveryId) {
    requireScope(tx, tenant);
    WebhookTables.endpoint(tx, tenant, endpointId).orElseThrow(() -> notFound(endpointId));
    if (!WebhookTables.replay(
        tx, tenant, endpointId, deliveryId, settings.maxAttempts(), clock.instant())) {
      throw MaestroException.of(
          WebhookErrors.DELIVERY_NOT_FOUND,
          "endpoint " + endpointId + " has no delivery " + deliveryId);
    }
    receipt(
        tx,
        tenant,
        actor,
        decision,
        ReceiptTypes.WEBHOOK_DELIVERY_REPLAYED,
        "webhook.replay",
        deliveryId,
        JSON.createObjectNode().put("endpoint_id", endpointId).put("delivery_id", deliveryId));
  }

  /**
   * Queues the tenant's new metered events for each of its endpoints that asked for their type (one
   * delivery per endpoint and event, never two), and moves each endpoint's position past the events
   * older than {@link WebhookSettings#settle()}. Runs in a platform-scoped transaction.
   *
   * @return deliveries queued
   */
  /** The subject prefix of the delivery attempts' receipts (and so of their metered usage). */
  static final String DELIVERY_SUBJECT = "webhook_delivery/";

  int fanOut(Tx tx, int limitPerEndpoint) {
    Instant now = clock.instant();
    Instant settled = now.minus(settings.settle());
    int queued = 0;
    for (WebhookTables.EndpointRow e : WebhookTables.allEndpoints(tx)) {
      List<StoredEvent> events =
          metering.eventsAfter(tx, e.tenant(), e.afterSeq(), limitPerEndpoint);
      long position = e.afterSeq();
      boolean contiguous = true;
      for (StoredEvent s : events) {
        // The usage of delivery attempts themselves (their receipts) is metered but not sent:
        // an endpoint subscribed to receipt_emitted would otherwise feed itself forever.
        if (e.eventTypes().contains(s.event().type().wire())
            && !s.event().subject().startsWith(DELIVERY_SUBJECT)) {
          String payload =
              new String(io.maestro.metering.MeteringCloudEvents.toJson(s), StandardCharsets.UTF_8);
          if (WebhookTables.insertDelivery(
              tx,
              e.tenant(),
              deliveryId(e.id(), s.id()),
              e.id(),
              s.id(),
              s.event().type().wire(),
              payload,
              settings.maxAttempts(),
              now)) {
            queued++;
          }
        }
        contiguous &= s.event().time().isBefore(settled);
        if (contiguous) {
          position = s.seq();
        }
      }
      WebhookTables.advance(tx, e.tenant(), e.id(), position);
    }
    return queued;
  }

  /** The {@code webhook-id} of an event's delivery to an endpoint: the same on every attempt. */
  static String deliveryId(String endpointId, String eventId) {
    String name = endpointId + "\n" + eventId;
    return "msg_"
        + UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
  }

  void receipt(
      Tx tx,
      TenantId tenant,
      Actor actor,
      Decision decision,
      ReceiptType type,
      String action,
      String subjectId,
      ObjectNode payload) {
    ReceiptDraft draft =
        ReceiptDraft.of(
                LogId.tenant(tenant),
                type,
                actor,
                action,
                ReceiptDraft.Subject.of("webhook", subjectId))
            .withPayload(payload);
    receipts.append(tx, decision == null ? draft : draft.withDecision(decision));
  }

  /**
   * Event types that are not metered but delivered by the same endpoints, signing, guard and
   * retries: an incident opened, a step added to its timeline, the incident closed. Their
   * deliveries are queued by {@link #notify} in the transaction that records the event.
   */
  public static final List<String> NOTIFICATION_TYPES =
      List.of("incident_opened", "incident_updated", "incident_closed");

  /**
   * Queues {@code payload} (a CloudEvents JSON document) for each of the tenant's endpoints that
   * asked for {@code type}, one delivery per endpoint and {@code eventId}, in the caller's
   * tenant-scoped transaction: the delivery commits or rolls back with the event it reports.
   *
   * @param type one of {@link #NOTIFICATION_TYPES}
   * @return deliveries queued
   */
  public int notify(Tx tx, TenantId tenant, String type, String eventId, String payload) {
    requireScope(tx, tenant);
    if (!NOTIFICATION_TYPES.contains(type)) {
      throw new IllegalArgumentException("not a notification type: " + type);
    }
    Instant now = clock.instant();
    int queued = 0;
    for (WebhookTables.EndpointRow e : WebhookTables.endpoints(tx, tenant)) {
      if (e.eventTypes().contains(type)
          && WebhookTables.insertDelivery(
              tx,
              tenant,
              deliveryId(e.id(), eventId),
              e.id(),
              eventId,
              type,
              payload,
              settings.maxAttempts(),
              now)) {
        queued++;
      }
    }
    return queued;
  }

  static List<String> eventTypes(List<String> requested) {
    if (requested == null || requested.isEmpty()) {
      throw MaestroException.of(
          WebhookErrors.EVENT_TYPES_INVALID, "name at least one event type (e.g. run_started)");
    }
    Set<String> out = new LinkedHashSet<>();
    List<String> unknown = new ArrayList<>();
    for (String t : requested) {
      String wire = t == null ? "" : t.strip();
      if (EventType.wireNames().contains(wire) || NOTIFICATION_TYPES.contains(wire)) {
        out.add(wire);
      } else {
        unknown.add(wire);
      }
    }
    if (!unknown.isEmpty()) {
      throw MaestroException.of(
          WebhookErrors.EVENT_TYPES_INVALID,
          "unknown event type(s) "
              + unknown
              + "; known: "
              + String.join(", ", EventType.wireNames())
              + ", "
              + String.join(", ", NOTIFICATION_TYPES));
    }
    return List.copyOf(out);
  }

  private static MaestroException notFound(String endpointId) {
    return MaestroException.of(WebhookErrors.NOT_FOUND, "no webhook endpoint " + endpointId);
  }

  private static void requireScope(Tx tx, TenantId tenant) {
    if (!(tx.scope() instanceof TenantScope.Tenant t) || !t.id().equals(tenant)) {
      throw new IllegalArgumentException("webhooks are managed in the tenant's own transaction");
    }
  }
}
