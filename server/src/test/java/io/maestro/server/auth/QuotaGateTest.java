package io.maestro.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServer;
import io.maestro.core.Ids;
import io.maestro.core.TenantId;
import io.maestro.provenance.LogId;
import io.maestro.provenance.ReceiptLog;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.provenance.Receipts;
import io.maestro.server.Governance;
import io.maestro.server.TestServers;
import io.maestro.server.http.ApiRouter;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.Route;
import io.maestro.server.metrics.MetricsService;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quotas in the gate: a tenant at its concurrency cap is refused a capacity-consuming action with
 * the policy's reason, a receipt and 429, while another tenant is not affected.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuotaGateTest {
  @TempDir static Path dir;
  TestDatabase tdb;
  WebServer web;
  MetricsService metrics;
  Api api;

  @BeforeAll
  void start() {
    tdb = Backend.H2.open();
    Clock clock = Clock.systemUTC();
    Receipts receipts =
        new Receipts(new Ids(clock, new SplittableRandom(1)), clock, Receipts.AppendListener.NONE);
    Governance g =
        TestServers.governance(
            TestServers.config(dir, Map.of()),
            tdb.database(),
            receipts,
            new io.maestro.provenance.ReceiptLog("maestro.test"),
            clock,
            new SplittableRandom(2));
    ApiService consuming =
        () ->
            List.of(
                Route.post(
                    "/test/runs",
                    "workflow.run",
                    (req, res) -> HttpJson.ok(res, Map.of("started", true))));
    List<ApiService> services = new ArrayList<>(TestServers.tenancyServices(g));
    services.add(consuming);
    ApiRouter router = new ApiRouter(services, g.guard());
    metrics = new MetricsService();
    web =
        WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .shutdownHook(false)
            .routing(r -> router.configure(r, metrics, 1 << 20))
            .build()
            .start();
    api = new Api(web.port());
  }

  @AfterAll
  void stop() {
    web.stop();
    metrics.close();
    tdb.close();
  }

  void running(String tenant, int n) {
    tdb.database()
        .useTransaction(
            TenantScope.of(TenantId.of(tenant)),
            tx -> {
              for (int i = 0; i < n; i++) {
                tx.update(
                    "INSERT INTO engine_runs (tenant_id, run_id, workflow, version, digest, status,"
                        + " inputs, started_by, decision_id, created_at)"
                        + " VALUES (?, ?, 'w', '1', 'd', 'RUNNING', '{}', 'x', 'dec', ?)",
                    tenant,
                    "run_" + tenant + i,
                    Instant.now());
              }
            });
  }

  @Test
  void atTheConcurrencyCap_theNoisyTenantIsRefused_andTheOtherIsNot() {
    String root = api.token(null, "root", "conductor_admin");
    String noisy = api.token("noisy", "ops@noisy", "operator");
    String quiet = api.token("quiet", "ops@quiet", "operator");
    assertThat(
            api.call(
                    "PATCH",
                    "/api/tenants/noisy",
                    root,
                    Map.of("quotas", Map.of("max_concurrent_runs", 2)))
                .status())
        .isEqualTo(200);
    running("noisy", 2);
    running("quiet", 2);

    Api.Reply refused = api.call("POST", "/test/runs", noisy, Map.of());
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.code()).isEqualTo("quota_exceeded");
    assertThat(refused.reasonCodes()).containsExactly("quota_concurrency_exceeded");
    List<io.maestro.provenance.Receipt> log =
        tdb.database()
            .inTransaction(
                TenantScope.platform(),
                tx ->
                    new ReceiptLog("t")
                        .list(tx, LogId.tenant(TenantId.of("noisy")), ReceiptLog.Query.all(50))
                        .receipts());
    assertThat(log.stream().map(r -> r.type()).toList()).contains(ReceiptTypes.POLICY_DENIED);

    assertThat(api.call("POST", "/test/runs", quiet, Map.of()).status()).isEqualTo(200);
  }

  @Test
  void aReceiptBacklogAtItsQuota_refusesWorkUntilCheckpointsCatchUp() {
    String root = api.token(null, "root", "conductor_admin");
    String ops = api.token("backlogged", "ops@backlogged", "operator");
    assertThat(api.call("POST", "/test/runs", ops, Map.of()).status()).isEqualTo(200);
    assertThat(
            api.call(
                    "PATCH",
                    "/api/tenants/backlogged",
                    root,
                    Map.of("quotas", Map.of("max_receipt_backlog", 1)))
                .status())
        .isEqualTo(200);
    Api.Reply refused = api.call("POST", "/test/runs", ops, Map.of());
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.reasonCodes()).containsExactly("quota_receipt_backlog_exceeded");
  }
}
