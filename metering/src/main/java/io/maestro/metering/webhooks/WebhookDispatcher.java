package io.maestro.metering.webhooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.background.BackgroundLoop;
import io.maestro.core.json.Json;
import io.maestro.core.problem.MaestroException;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * Sends webhook deliveries, at least once. Each pass ({@link #runOnce}) queues new metered events
 * for the endpoints that asked for them, then attempts every due delivery (each on its own virtual
 * thread): a fresh DNS resolution through the {@link EndpointGuard}, one POST with the Standard
 * Webhooks headers, no redirects followed, and the attempt recorded with its receipt. A 2xx answer
 * delivers; anything else waits an exponentially growing, jittered backoff, and after the last
 * allowed attempt the delivery is dead-lettered (status {@code dead}) until replayed.
 *
 * <p>Several servers may run dispatchers on one database: a delivery is leased (its next attempt
 * moved past the attempt's timeout) by exactly one before it is sent.
 */
public final class WebhookDispatcher implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class.getName());
  private static final ObjectMapper JSON = Json.MAPPER;
  private static final Actor SYSTEM = Actor.system("billing-webhooks");
  private static final int FAN_OUT_LIMIT = 500;

  private final Database db;
  private final Webhooks webhooks;
  private final HttpClient http;
  private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
  private volatile BackgroundLoop loop;

  public WebhookDispatcher(Database db, Webhooks webhooks) {
    this.db = db;
    this.webhooks = webhooks;
    this.http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(webhooks.settings().timeout())
            .executor(senders)
            .build();
  }

  /** Runs passes every {@code interval} on a background thread until closed. */
  public WebhookDispatcher start(Duration interval) {
    loop = BackgroundLoop.every("billing-webhooks", interval, this::runOnce);
    return this;
  }

  /**
   * One pass: queue new events, then attempt every due delivery and wait for the attempts.
   *
   * @return attempts made
   */
  public int runOnce() {
    db.inTransaction(TenantScope.platform(), tx -> webhooks.fanOut(tx, FAN_OUT_LIMIT));
    Instant now = webhooks.clock().instant();
    Instant lease = now.plus(webhooks.settings().timeout().multipliedBy(2)).plusSeconds(30);
    List<WebhookTables.Due> claimed =
        db.inTransaction(
            TenantScope.platform(),
            tx -> {
              List<WebhookTables.Due> mine = new ArrayList<>();
              for (WebhookTables.Due d : WebhookTables.due(tx, now, webhooks.settings().batch())) {
                if (WebhookTables.claim(tx, d, lease)) {
                  mine.add(d);
                }
              }
              return mine;
            });
    List<Future<?>> running = new ArrayList<>();
    for (WebhookTables.Due d : claimed) {
      running.add(senders.submit(() -> attempt(d)));
    }
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (java.util.concurrent.ExecutionException e) {
        LOG.warning("webhook attempt failed to record: " + e.getCause().getMessage());
      }
    }
    return claimed.size();
  }

  private record Outcome(String outcome, Optional<Integer> status, Optional<String> error) {}

  private void attempt(WebhookTables.Due d) {
    Instant at = webhooks.clock().instant();
    long started = System.nanoTime();
    Outcome o = send(d, at);
    long millis = (System.nanoTime() - started) / 1_000_000;
    int number = d.attempts() + 1;
    db.useTransaction(
        TenantScope.of(d.endpoint().tenant()), tx -> record(tx, d, number, at, millis, o));
  }

  private Outcome send(WebhookTables.Due d, Instant at) {
    URI uri;
    try {
      uri = webhooks.guard().parse(d.endpoint().url());
      webhooks.guard().check(uri);
    } catch (MaestroException e) {
      return new Outcome("failed", Optional.empty(), Optional.of("refused: " + e.getMessage()));
    }
    long timestamp = at.getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(webhooks.settings().timeout())
            .header("content-type", "application/json")
            .header("user-agent", "maestro-webhooks/1")
            .header("webhook-id", d.deliveryId())
            .header("webhook-timestamp", Long.toString(timestamp))
            .header(
                "webhook-signature",
                WebhookSignature.header(
                    d.deliveryId(), timestamp, d.payload(), d.endpoint().signingSecrets(at)))
            .POST(HttpRequest.BodyPublishers.ofString(d.payload()))
            .build();
    try {
      HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
      boolean ok = r.statusCode() >= 200 && r.statusCode() < 300;
      return new Outcome(
          ok ? WebhookDelivery.DELIVERED : "failed",
          Optional.of(r.statusCode()),
          ok ? Optional.empty() : Optional.of("HTTP " + r.statusCode()));
    } catch (HttpTimeoutException e) {
      return new Outcome("timeout", Optional.empty(), Optional.of("no answer in time"));
    } catch (IOException e) {
      return new Outcome("failed", Optional.empty(), Optional.of(shorten(e)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome("failed", Optional.empty(), Optional.of("interrupted"));
    }
  }

  private void record(Tx tx, WebhookTables.Due d, int number, Instant at, long millis, Outcome o) {
    boolean delivered = WebhookDelivery.DELIVERED.equals(o.outcome());
    int left = delivered ? d.attemptsLeft() : Math.max(0, d.attemptsLeft() - 1);
    String status =
        delivered
            ? WebhookDelivery.DELIVERED
            : left == 0 ? WebhookDelivery.DEAD : WebhookDelivery.PENDING;
    ObjectNode payload =
        JSON.createObjectNode()
            .put("endpoint_id", d.endpoint().id())
            .put("delivery_id", d.deliveryId())
            .put("event_id", d.eventId())
            .put("attempt", number)
            .put("outcome", o.outcome())
            .put("status", status)
            .put("duration_ms", millis);
    o.status().ifPresent(s -> payload.put("http_status", s));
    Receipt receipt =
        webhooks
            .receipts()
            .append(
                tx,
                io.maestro.provenance.ReceiptDraft.of(
                        io.maestro.provenance.LogId.tenant(d.endpoint().tenant()),
                        ReceiptTypes.WEBHOOK_DELIVERY_ATTEMPTED,
                        SYSTEM,
                        "webhook.deliver",
                        io.maestro.provenance.ReceiptDraft.Subject.of(
                            "webhook_delivery", d.deliveryId()))
                    .withPayload(payload));
    WebhookTables.insertAttempt(
        tx,
        d.endpoint().tenant(),
        d.deliveryId(),
        new WebhookDelivery.Attempt(
            number, at, o.outcome(), o.status(), o.error(), millis, receipt.id()));
    Instant next =
        status.equals(WebhookDelivery.PENDING)
            ? webhooks
                .clock()
                .instant()
                .plus(webhooks.settings().backoff(number, ThreadLocalRandom.current().nextDouble()))
            : at;
    WebhookTables.settle(tx, d.endpoint().tenant(), d.deliveryId(), status, number, left, next);
  }

  private static String shorten(Exception e) {
    String m = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    return m.length() > 300 ? m.substring(0, 300) : m;
  }

  @Override
  public void close() {
    BackgroundLoop l = loop;
    if (l != null) {
      l.close();
    }
    senders.shutdownNow();
    http.close();
  }
}
