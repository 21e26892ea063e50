package io.maestro.metering.webhooks;

import io.maestro.core.TenantId;
import io.maestro.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SQL for the webhook tables (endpoints, deliveries, attempts). */
final class WebhookTables {
  private WebhookTables() {}

  /** An endpoint with what delivery needs: its secrets and its fan-out position. */
  record EndpointRow(
      TenantId tenant,
      String id,
      String url,
      List<String> eventTypes,
      String secret,
      Optional<String> previousSecret,
      Optional<Instant> previousUntil,
      Instant createdAt,
      long afterSeq) {

    WebhookEndpoint listed(Instant now) {
      return new WebhookEndpoint(
          id, url, eventTypes, createdAt, previousUntil.filter(u -> u.isAfter(now)));
    }

    /** The secrets that sign at {@code now}: the current one, and the previous during overlap. */
    List<String> signingSecrets(Instant now) {
      List<String> out = new ArrayList<>(List.of(secret));
      if (previousSecret.isPresent()
          && previousUntil.isPresent()
          && previousUntil.get().isAfter(now)) {
        out.add(previousSecret.get());
      }
      return out;
    }
  }

  /** A pending delivery that is due, with its endpoint. */
  record Due(
      EndpointRow endpoint,
      String deliveryId,
      String eventId,
      String payload,
      int attempts,
      int attemptsLeft,
      Instant nextAttemptAt) {}

  private static final String ENDPOINT_COLUMNS =
      "e.tenant_id, e.endpoint_id, e.url, e.event_types, e.secret, e.previous_secret,"
          + " e.previous_until, e.created_at, e.after_seq";

  static void insertEndpoint(Tx tx, EndpointRow e) {
    tx.update(
        "INSERT INTO billing_webhook_endpoints (tenant_id, endpoint_id, url, event_types, secret,"
            + " created_at, after_seq) VALUES (?, ?, ?, ?, ?, ?, ?)",
        e.tenant().value(),
        e.id(),
        e.url(),
        String.join(",", e.eventTypes()),
        e.secret(),
        e.createdAt(),
        e.afterSeq());
  }

  static int countEndpoints(Tx tx, TenantId tenant) {
    return tx.queryOne(
            "SELECT COUNT(*) AS n FROM billing_webhook_endpoints WHERE tenant_id = ?",
            rs -> rs.getInt("n"),
            tenant.value())
        .orElse(0);
  }

  static List<EndpointRow> endpoints(Tx tx, TenantId tenant) {
    return tx.query(
        "SELECT "
            + ENDPOINT_COLUMNS
            + " FROM billing_webhook_endpoints e WHERE e.tenant_id = ? ORDER BY e.created_at,"
            + " e.endpoint_id",
        WebhookTables::endpoint,
        tenant.value());
  }

  /** Every tenant's endpoints (a platform-scoped transaction: the dispatcher's fan-out). */
  static List<EndpointRow> allEndpoints(Tx tx) {
    return tx.query(
        "SELECT "
            + ENDPOINT_COLUMNS
            + " FROM billing_webhook_endpoints e ORDER BY e.tenant_id, e.endpoint_id",
        WebhookTables::endpoint);
  }

  static Optional<EndpointRow> endpoint(Tx tx, TenantId tenant, String id) {
    return tx.queryOne(
        "SELECT "
            + ENDPOINT_COLUMNS
            + " FROM billing_webhook_endpoints e WHERE e.tenant_id = ? AND e.endpoint_id = ?",
        WebhookTables::endpoint,
        tenant.value(),
        id);
  }

  /** Deletes the endpoint with its deliveries and attempts; false if there was none. */
  static boolean deleteEndpoint(Tx tx, TenantId tenant, String id) {
    tx.update(
        "DELETE FROM billing_webhook_attempts WHERE tenant_id = ? AND delivery_id IN (SELECT"
            + " delivery_id FROM billing_webhook_deliveries WHERE tenant_id = ? AND endpoint_id ="
            + " ?)",
        tenant.value(),
        tenant.value(),
        id);
    tx.update(
        "DELETE FROM billing_webhook_deliveries WHERE tenant_id = ? AND endpoint_id = ?",
        tenant.value(),
        id);
    return tx.update(
            "DELETE FROM billing_webhook_endpoints WHERE tenant_id = ? AND endpoint_id = ?",
            tenant.value(),
            id)
        == 1;
  }

  static void rotate(
      Tx tx, TenantId tenant, String id, String secret, String previous, Instant until) {
    tx.update(
        "UPDATE billing_webhook_endpoints SET secret = ?, previous_secret = ?, previous_until = ?"
            + " WHERE tenant_id = ? AND endpoint_id = ?",
        secret,
        previous,
        until,
        tenant.value(),
        id);
  }

  static void advance(Tx tx, TenantId tenant, String id, long afterSeq) {
    tx.update(
        "UPDATE billing_webhook_endpoints SET after_seq = ? WHERE tenant_id = ? AND endpoint_id ="
            + " ? AND after_seq < ?",
        afterSeq,
        tenant.value(),
        id,
        afterSeq);
  }

  /** Adds a pending delivery unless this event was already queued for this endpoint. */
  static boolean insertDelivery(
      Tx tx,
      TenantId tenant,
      String deliveryId,
      String endpointId,
      String eventId,
      String eventType,
      String payload,
      int attemptsLeft,
      Instant now) {
    return tx.update(
            "INSERT INTO billing_webhook_deliveries (tenant_id, delivery_id, endpoint_id, event_id,"
                + " event_type, payload, status, attempts, attempts_left, next_attempt_at,"
                + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?) ON CONFLICT DO NOTHING",
            tenant.value(),
            deliveryId,
            endpointId,
            eventId,
            eventType,
            payload,
            WebhookDelivery.PENDING,
            attemptsLeft,
            now,
            now)
        == 1;
  }

  static List<Due> due(Tx tx, Instant now, int limit) {
    return tx.query(
        "SELECT "
            + ENDPOINT_COLUMNS
            + ", d.delivery_id, d.event_id, d.payload, d.attempts, d.attempts_left,"
            + " d.next_attempt_at FROM billing_webhook_deliveries d JOIN billing_webhook_endpoints"
            + " e ON e.tenant_id = d.tenant_id AND e.endpoint_id = d.endpoint_id WHERE d.status = ?"
            + " AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.delivery_id LIMIT ?",
        rs ->
            new Due(
                endpoint(rs),
                rs.getString("delivery_id"),
                rs.getString("event_id"),
                rs.getString("payload"),
                rs.getInt("attempts"),
                rs.getInt("attempts_left"),
                Tx.instant(rs, "next_attempt_at")),
        WebhookDelivery.PENDING,
        now,
        limit);
  }

  /**
   * Leases a due delivery for one attempt by moving its next attempt to {@code leaseUntil}; false
   * when another dispatcher took it first.
   */
  static boolean claim(Tx tx, Due d, Instant leaseUntil) {
    return tx.update(
            "UPDATE billing_webhook_deliveries SET next_attempt_at = ? WHERE tenant_id = ? AND"
                + " delivery_id = ? AND status = ? AND next_attempt_at = ?",
            leaseUntil,
            d.endpoint().tenant().value(),
            d.deliveryId(),
            WebhookDelivery.PENDING,
            d.nextAttemptAt())
        == 1;
  }

  static void insertAttempt(Tx tx, TenantId tenant, String deliveryId, WebhookDelivery.Attempt a) {
    tx.update(
        "INSERT INTO billing_webhook_attempts (tenant_id, delivery_id, attempt, attempted_at,"
            + " outcome, http_status, error, duration_ms, receipt_id) VALUES (?, ?, ?, ?, ?, ?, ?,"
            + " ?, ?)",
        tenant.value(),
        deliveryId,
        a.attempt(),
        a.at(),
        a.outcome(),
        a.httpStatus().orElse(null),
        a.error().orElse(null),
        a.durationMs(),
        a.receiptId());
  }

  static void settle(
      Tx tx,
      TenantId tenant,
      String deliveryId,
      String status,
      int attempts,
      int attemptsLeft,
      Instant next) {
    tx.update(
        "UPDATE billing_webhook_deliveries SET status = ?, attempts = ?, attempts_left = ?,"
            + " next_attempt_at = ? WHERE tenant_id = ? AND delivery_id = ?",
        status,
        attempts,
        attemptsLeft,
        next,
        tenant.value(),
        deliveryId);
  }

  /** Makes a delivery pending again, due now, with a fresh allowance; false if there is none. */
  static boolean replay(
      Tx tx, TenantId tenant, String endpointId, String deliveryId, int attemptsLeft, Instant now) {
    return tx.update(
            "UPDATE billing_webhook_deliveries SET status = ?, attempts_left = ?, next_attempt_at ="
                + " ? WHERE tenant_id = ? AND endpoint_id = ? AND delivery_id = ?",
            WebhookDelivery.PENDING,
            attemptsLeft,
            now,
            tenant.value(),
            endpointId,
            deliveryId)
        == 1;
  }

  /** The endpoint's deliveries, newest first, each with its attempts in order. */
  static List<WebhookDelivery> deliveries(
      Tx tx, TenantId tenant, String endpointId, Optional<String> status, int limit) {
    List<Object> args = new ArrayList<>(List.of(tenant.value(), endpointId));
    String filter = "";
    if (status.isPresent()) {
      filter = " AND status = ?";
      args.add(status.get());
    }
    args.add(limit);
    Map<String, WebhookDelivery> byId = new LinkedHashMap<>();
    for (WebhookDelivery d :
        tx.query(
            "SELECT delivery_id, endpoint_id, event_id, event_type, status, created_at,"
                + " next_attempt_at FROM billing_webhook_deliveries WHERE tenant_id = ? AND"
                + " endpoint_id = ?"
                + filter
                + " ORDER BY created_at DESC, delivery_id DESC LIMIT ?",
            WebhookTables::delivery,
            args.toArray())) {
      byId.put(d.id(), d);
    }
    if (byId.isEmpty()) {
      return List.of();
    }
    Map<String, List<WebhookDelivery.Attempt>> attempts = new LinkedHashMap<>();
    String marks = String.join(", ", java.util.Collections.nCopies(byId.size(), "?"));
    List<Object> ids = new ArrayList<>(List.of(tenant.value()));
    ids.addAll(byId.keySet());
    tx.query(
        "SELECT delivery_id, attempt, attempted_at, outcome, http_status, error, duration_ms,"
            + " receipt_id FROM billing_webhook_attempts WHERE tenant_id = ? AND delivery_id IN ("
            + marks
            + ") ORDER BY delivery_id, attempt",
        rs -> {
          attempts
              .computeIfAbsent(rs.getString("delivery_id"), k -> new ArrayList<>())
              .add(attempt(rs));
          return null;
        },
        ids.toArray());
    List<WebhookDelivery> out = new ArrayList<>();
    byId.values()
        .forEach(
            d ->
                out.add(
                    new WebhookDelivery(
                        d.id(),
                        d.endpointId(),
                        d.eventId(),
                        d.eventType(),
                        d.status(),
                        d.createdAt(),
                        d.nextAttemptAt(),
                        List.copyOf(attempts.getOrDefault(d.id(), List.of())))));
    return out;
  }

  private static WebhookDelivery delivery(ResultSet rs) throws SQLException {
    String status = rs.getString("status");
    return new WebhookDelivery(
        rs.getString("delivery_id"),
        rs.getString("endpoint_id"),
        rs.getString("event_id"),
        rs.getString("event_type"),
        status,
        Tx.instant(rs, "created_at"),
        WebhookDelivery.PENDING.equals(status)
            ? Optional.of(Tx.instant(rs, "next_attempt_at"))
            : Optional.empty(),
        List.of());
  }

  private static WebhookDelivery.Attempt attempt(ResultSet rs) throws SQLException {
    int status = rs.getInt("http_status");
    Optional<Integer> http = rs.wasNull() ? Optional.empty() : Optional.of(status);
    return new WebhookDelivery.Attempt(
        rs.getInt("attempt"),
        Tx.instant(rs, "attempted_at"),
        rs.getString("outcome"),
        http,
        Optional.ofNullable(rs.getString("error")),
        rs.getLong("duration_ms"),
        rs.getString("receipt_id"));
  }

  private static EndpointRow endpoint(ResultSet rs) throws SQLException {
    String prevUntilCol = "previous_until";
    Optional<Instant> until =
        rs.getObject(prevUntilCol) == null
            ? Optional.empty()
            : Optional.of(Tx.instant(rs, prevUntilCol));
    return new EndpointRow(
        TenantId.of(rs.getString("tenant_id")),
        rs.getString("endpoint_id"),
        rs.getString("url"),
        Arrays.asList(rs.getString("event_types").split(",")),
        rs.getString("secret"),
        Optional.ofNullable(rs.getString("previous_secret")),
        until,
        Tx.instant(rs, "created_at"),
        rs.getLong("after_seq"));
  }
}
