package io.maestro.metering.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.maestro.core.Actor;
import io.maestro.core.Ids;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.metering.ActorType;
import io.maestro.metering.EventType;
import io.maestro.metering.MeteredEvent;
import io.maestro.metering.Metering;
import io.maestro.metering.WorkflowRef;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.provenance.Receipts;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.TestDatabase;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhook delivery against real HTTP receivers on loopback (the guard in dev mode), on every
 * backend: retries until a flaky receiver answers, timeouts into the dead letter, replay, rotation
 * with two signatures, the SSRF re-check at delivery time, and tenant scoping.
 */
abstract class WebhookDeliveryContract {
  static final TenantId ACME = TenantId.of("acme");
  static final TenantId GLOBEX = TenantId.of("globex");
  static final Actor ADMIN =
      new Actor("admin@acme", Optional.of(ACME), List.of("tenant_admin"), Map.of(), "token");

  abstract Backend backend();

  TestDatabase testDb;
  Database db;
  final Metering metering = Metering.standard();
  final Clock clock = Clock.systemUTC();
  Receipts receipts;
  HttpServer server;
  final List<Received> received = new CopyOnWriteArrayList<>();
  final AtomicInteger failuresLeft = new AtomicInteger();
  volatile int hangMillis;
  final Map<String, List<InetAddress>> dns = new java.util.concurrent.ConcurrentHashMap<>();

  record Received(Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  @BeforeEach
  void open() throws Exception {
    testDb = backend().open();
    db = testDb.database();
    receipts =
        new Receipts(new Ids(clock, new SplittableRandom(3)), clock, Receipts.AppendListener.NONE);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/hook",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          received.add(new Received(Map.copyOf(ex.getRequestHeaders()), body));
          if (hangMillis > 0) {
            try {
              Thread.sleep(hangMillis);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          int status = failuresLeft.getAndDecrement() > 0 ? 503 : 204;
          ex.sendResponseHeaders(status, -1);
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void close() {
    server.stop(0);
    testDb.close();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  Webhooks webhooks(boolean devMode, WebhookSettings settings) {
    EndpointGuard guard =
        new EndpointGuard(
            devMode,
            host -> {
              List<InetAddress> a = dns.get(host);
              return a != null ? a : List.of(InetAddress.getAllByName(host));
            });
    return new Webhooks(metering, receipts, guard, settings, clock);
  }

  static WebhookSettings fast(int attempts, Duration timeout) {
    return WebhookSettings.defaults()
        .withMaxAttempts(attempts)
        .withTimeout(timeout)
        .withBackoff(Duration.ofMillis(20), Duration.ofMillis(100));
  }

  Webhooks.Registered register(Webhooks w, TenantId tenant, String url, String... types) {
    return db.inTransaction(
        TenantScope.of(tenant), tx -> w.register(tx, tenant, ADMIN, null, url, List.of(types)));
  }

  void record(TenantId tenant, EventType type, String key) {
    MeteredEvent e =
        MeteredEvent.of(
            type,
            key,
            Instant.now().minusSeconds(60),
            tenant,
            "prod",
            ActorType.USER,
            WorkflowRef.run("hello", "1", "run-" + key),
            "run/run-" + key,
            1);
    db.useTransaction(TenantScope.of(tenant), tx -> metering.record(tx, e));
  }

  List<WebhookEndpoint> endpoints(Webhooks w, TenantId tenant) {
    return db.inTransaction(TenantScope.of(tenant), tx -> w.list(tx, tenant));
  }

  List<WebhookDelivery> deliveries(Webhooks w, TenantId tenant, String endpoint) {
    return db.inTransaction(
        TenantScope.of(tenant), tx -> w.deliveries(tx, tenant, endpoint, Optional.empty(), 100));
  }

  static void until(WebhookDispatcher d, BooleanSupplier done) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    while (!done.getAsBoolean()) {
      assertThat(Instant.now()).as("condition reached in time").isBefore(deadline);
      d.runOnce();
      Thread.sleep(25);
    }
  }

  /** Standard Webhooks verification written from the specification, not from our signer. */
  static boolean verifies(Received r, String secret) throws Exception {
    byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    String signed = r.header("webhook-id") + "." + r.header("webhook-timestamp") + "." + r.body();
    String expected =
        Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    for (String sig : r.header("webhook-signature").split(" ")) {
      if (sig.equals("v1," + expected)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void flakyReceiver_getsTheEventAfterRetries_signedAndReceipted() throws Exception {
    Webhooks w = webhooks(true, fast(5, Duration.ofSeconds(2)));
    Webhooks.Registered reg = register(w, ACME, url(), "run_started");
    assertThat(reg.secret()).startsWith("whsec_");
    failuresLeft.set(2);
    record(ACME, EventType.RUN_STARTED, "r1");
    record(ACME, EventType.STEP_EXECUTED, "s1"); // not subscribed
    try (WebhookDispatcher d = new WebhookDispatcher(db, w)) {
      until(
          d,
          () ->
              deliveries(w, ACME, reg.endpoint().id()).stream()
                  .anyMatch(x -> x.status().equals(WebhookDelivery.DELIVERED)));
    }
    List<WebhookDelivery> all = deliveries(w, ACME, reg.endpoint().id());
    assertThat(all).hasSize(1);
    WebhookDelivery delivery = all.get(0);
    assertThat(delivery.eventType()).isEqualTo("run_started");
    assertThat(delivery.attempts())
        .extracting(WebhookDelivery.Attempt::outcome)
        .containsExactly("failed", "failed", "delivered");
    assertThat(delivery.attempts())
        .extracting(a -> a.httpStatus().orElse(0))
        .containsExactly(503, 503, 204);
    assertThat(received).hasSize(3);
    for (Received r : received) {
      assertThat(r.header("webhook-id")).isEqualTo(delivery.id());
      assertThat(verifies(r, reg.secret())).as("signature verifies").isTrue();
      assertThat(r.body()).contains("\"type\":\"io.maestro.metering.run_started\"");
      assertThat(r.body()).doesNotContain(reg.secret());
    }
    // Every attempt is a receipt in the tenant's log.
    io.maestro.provenance.ReceiptLog log = new io.maestro.provenance.ReceiptLog("test");
    for (WebhookDelivery.Attempt a : delivery.attempts()) {
      io.maestro.provenance.Receipt r =
          db.inTransaction(
                  TenantScope.of(ACME),
                  tx -> log.find(tx, io.maestro.provenance.LogId.tenant(ACME), a.receiptId()))
              .orElseThrow();
      assertThat(r.type()).isEqualTo(ReceiptTypes.WEBHOOK_DELIVERY_ATTEMPTED);
      assertThat(r.payload().orElseThrow())
          .contains("\"attempt\":" + a.attempt())
          .doesNotContain(reg.secret())
          .doesNotContain("127.0.0.1");
    }
  }

  @Test
  void notification_queuedOncePerSubscribedEndpointWithItsTransaction_andDeliveredSigned()
      throws Exception {
    Webhooks w = webhooks(true, fast(3, Duration.ofSeconds(2)));
    Webhooks.Registered incidents = register(w, ACME, url(), "incident_opened", "incident_closed");
    Webhooks.Registered billing = register(w, ACME, url(), "run_started");
    String event = "{\"type\":\"io.maestro.governance.incident_opened\",\"id\":\"rcp_1\"}";
    int first =
        db.inTransaction(
            TenantScope.of(ACME), tx -> w.notify(tx, ACME, "incident_opened", "rcp_1", event));
    assertThat(first).isEqualTo(1);
    // The same event again queues nothing; a rolled-back transaction leaves nothing queued.
    int again =
        db.inTransaction(
            TenantScope.of(ACME), tx -> w.notify(tx, ACME, "incident_opened", "rcp_1", event));
    assertThat(again).isZero();
    assertThatThrownBy(
            () ->
                db.useTransaction(
                    TenantScope.of(ACME),
                    tx -> {
                      w.notify(tx, ACME, "incident_closed", "rcp_2", "{}");
                      throw new IllegalStateException("the incident step failed");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(deliveries(w, ACME, incidents.endpoint().id())).hasSize(1);
    assertThat(deliveries(w, ACME, billing.endpoint().id())).isEmpty();
    assertThatThrownBy(
            () ->
                db.inTransaction(
                    TenantScope.of(ACME), tx -> w.notify(tx, ACME, "run_started", "rcp_3", "{}")))
        .isInstanceOf(IllegalArgumentException.class);
    try (WebhookDispatcher d = new WebhookDispatcher(db, w)) {
      until(d, () -> !received.isEmpty());
    }
    assertThat(received).hasSize(1);
    assertThat(received.get(0).body()).isEqualTo(event);
    assertThat(verifies(received.get(0), incidents.secret())).isTrue();
  }

  @Test
  void silentReceiver_timesOut_isDeadLettered_thenReplayed() throws Exception {
    Webhooks w = webhooks(true, fast(3, Duration.ofMillis(300)));
    Webhooks.Registered reg = register(w, ACME, url(), "run_started");
    hangMillis = 3_000;
    record(ACME, EventType.RUN_STARTED, "r1");
    String endpoint = reg.endpoint().id();
    try (WebhookDispatcher d = new WebhookDispatcher(db, w)) {
      until(
          d,
          () ->
              deliveries(w, ACME, endpoint).stream()
                  .anyMatch(x -> x.status().equals(WebhookDelivery.DEAD)));
      WebhookDelivery dead = deliveries(w, ACME, endpoint).get(0);
      assertThat(dead.attempts())
          .extracting(WebhookDelivery.Attempt::outcome)
          .containsExactly("timeout", "timeout", "timeout");
      assertThat(dead.nextAttemptAt()).isEmpty();
      assertThat(d.runOnce()).as("a dead letter is not retried").isZero();

      hangMillis = 0;
      db.useTransaction(
          TenantScope.of(ACME), tx -> w.replay(tx, ACME, ADMIN, null, endpoint, dead.id()));
      until(
          d, () -> deliveries(w, ACME, endpoint).get(0).status().equals(WebhookDelivery.DELIVERED));
      assertThat(deliveries(w, ACME, endpoint).get(0).attempts()).hasSize(4);
    }
    assertThatThrownBy(
            () ->
                db.useTransaction(
                    TenantScope.of(ACME),
                    tx -> w.replay(tx, ACME, ADMIN, null, endpoint, "msg_nope")))
        .isInstanceOf(MaestroException.class)
        .hasMessageContaining("msg_nope");
  }

  @Test
  void rotation_signsWithBothSecretsDuringTheOverlap() throws Exception {
    Webhooks w = webhooks(true, fast(3, Duration.ofSeconds(2)));
    Webhooks.Registered reg = register(w, ACME, url(), "receipt_emitted");
    Webhooks.Registered rotated =
        db.inTransaction(
            TenantScope.of(ACME), tx -> w.rotate(tx, ACME, ADMIN, null, reg.endpoint().id()));
    assertThat(rotated.secret()).isNotEqualTo(reg.secret());
    assertThat(rotated.endpoint().previousSecretUntil()).isPresent();
    record(ACME, EventType.RECEIPT_EMITTED, "x1");
    try (WebhookDispatcher d = new WebhookDispatcher(db, w)) {
      until(d, () -> !received.isEmpty());
    }
    Received r = received.get(0);
    assertThat(r.header("webhook-signature").split(" ")).hasSize(2);
    assertThat(verifies(r, rotated.secret())).isTrue();
    assertThat(verifies(r, reg.secret())).as("the old secret still verifies").isTrue();
    assertThat(verifies(r, WebhookSignature.newSecret())).isFalse();
  }

  @Test
  void deliveryTime_reResolves_andRefusesAnAddressThatTurnedPrivate() throws Exception {
    // Registered while the name resolved to a public address; it now resolves to loopback.
    dns.put("billing.example.com", List.of(InetAddress.getByName("93.184.216.34")));
    Webhooks w = webhooks(false, fast(1, Duration.ofSeconds(1)));
    Webhooks.Registered reg = register(w, ACME, "https://billing.example.com/hook", "run_started");
    dns.put("billing.example.com", List.of(InetAddress.getLoopbackAddress()));
    record(ACME, EventType.RUN_STARTED, "r1");
    try (WebhookDispatcher d = new WebhookDispatcher(db, w)) {
      until(
          d,
          () ->
              deliveries(w, ACME, reg.endpoint().id()).stream()
                  .anyMatch(x -> x.status().equals(WebhookDelivery.DEAD)));
    }
    WebhookDelivery.Attempt a = deliveries(w, ACME, reg.endpoint().id()).get(0).attempts().get(0);
    assertThat(a.outcome()).isEqualTo("failed");
    assertThat(a.error().orElseThrow()).contains("refused").contains("127.0.0.1");
    assertThat(received).as("nothing reached the loopback receiver").isEmpty();
  }

  @Test
  void anotherTenant_cannotSeeDeliverDeleteOrReplay() throws Exception {
    Webhooks w = webhooks(true, fast(3, Duration.ofSeconds(2)));
    Webhooks.Registered reg = register(w, ACME, url(), "run_started");
    record(GLOBEX, EventType.RUN_STARTED, "g1");
    record(ACME, EventType.RUN_STARTED, "a1");
    try (WebhookDispatcher d = new WebhookDispatcher(db, w)) {
      until(d, () -> received.size() >= 1);
      d.runOnce();
    }
    assertThat(received).hasSize(1);
    assertThat(received.get(0).body()).contains("\"tenant_id\":\"acme\"");
    String endpoint = reg.endpoint().id();
    assertThat(endpoints(w, GLOBEX)).isEmpty();
    assertThatThrownBy(() -> deliveries(w, GLOBEX, endpoint))
        .isInstanceOf(MaestroException.class)
        .hasMessageContaining("no webhook endpoint");
    assertThatThrownBy(
            () ->
                db.useTransaction(
                    TenantScope.of(GLOBEX), tx -> w.delete(tx, GLOBEX, ADMIN, null, endpoint)))
        .isInstanceOf(MaestroException.class);
    assertThat(endpoints(w, ACME)).hasSize(1);
    assertThatThrownBy(
            () ->
                db.inTransaction(
                    TenantScope.of(GLOBEX),
                    tx -> w.register(tx, ACME, ADMIN, null, url(), List.of("run_started"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void registration_refusesBadInput_withStableCodes() {
    Webhooks prod = webhooks(false, WebhookSettings.defaults());
    List<String> codes = new ArrayList<>();
    for (String[] c :
        new String[][] {
          {"https://127.0.0.1/hook", "run_started"},
          {"https://localhost/hook", "run_started"},
          {"https://169.254.169.254/latest", "run_started"},
          {"https://10.0.0.7/hook", "run_started"},
          {"https://[::1]/hook", "run_started"},
          {"http://93.184.216.34/hook", "run_started"},
          {"ftp://93.184.216.34/hook", "run_started"},
          {"https://user:pw@93.184.216.34/hook", "run_started"},
          {"https://93.184.216.34/hook", "no_such_type"},
        }) {
      try {
        register(prod, ACME, c[0], c[1]);
        codes.add("accepted " + c[0]);
      } catch (MaestroException e) {
        codes.add(e.code().code());
      }
    }
    assertThat(codes)
        .containsExactly(
            "webhook_url_forbidden",
            "webhook_url_forbidden",
            "webhook_url_forbidden",
            "webhook_url_forbidden",
            "webhook_url_forbidden",
            "webhook_url_invalid",
            "webhook_url_invalid",
            "webhook_url_invalid",
            "webhook_event_types_invalid");
    Webhooks.Registered ok = register(prod, ACME, "https://93.184.216.34/hook", "run_started");
    assertThat(ok.endpoint().url()).isEqualTo("https://93.184.216.34/hook");
    assertThat(endpoints(prod, ACME)).as("refusals left nothing behind").hasSize(1);
  }
}
