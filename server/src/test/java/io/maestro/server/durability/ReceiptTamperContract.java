package io.maestro.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.provenance.LogId;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptLog;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.server.MaestroServer;
import io.maestro.server.auth.Api;
import io.maestro.store.TenantScope;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression tests for tampered receipt rows: an edited payload made {@code GET /api/receipts} a
 * generic 500, and a deleted or edited row made {@code GET /api/receipts/export} answer 200 with a
 * truncated body. The server now verifies what it serves: the request fails with {@code
 * log_integrity_violation}, the alert metric counts it and the platform log records it.
 */
abstract class ReceiptTamperContract {
  @TempDir Path dir;
  MaestroServer server;
  Api api;
  String admin;

  abstract MaestroServer startServer(Path dataDir);

  /** A connection as the tables' owner, beneath the application (and row-level security). */
  abstract Connection ownerConnection() throws SQLException;

  void cleanUp() {}

  @BeforeEach
  void start() throws Exception {
    server = startServer(dir.resolve("data"));
    api = new Api(server.port());
    admin = api.token("acme", "admin@acme", "tenant_admin");
    for (int i = 0; i < 4; i++) {
      Api.Reply r =
          api.call(
              "PUT",
              "/api/tenants/acme/members/m" + i + "@acme",
              admin,
              Map.of("role", "operator"));
      assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    }
    EmbeddedDataDirTest.checkpointCovering(api, admin, 5);
    assertThat(api.call("GET", "/api/receipts/export", admin, null).status()).isEqualTo(200);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    cleanUp();
  }

  void tamper(String sql) throws SQLException {
    try (Connection c = ownerConnection()) {
      c.setAutoCommit(false);
      assertThat(c.createStatement().executeUpdate(sql)).as(sql).isEqualTo(1);
      c.commit();
    }
  }

  @Test
  void list_withAnEditedPayload_failsWithLogIntegrityViolation_andRaisesTheAlarm()
      throws Exception {
    tamper(
        "UPDATE provenance_receipt SET payload = '{\"role\":\"tenant_admin\"}'"
            + " WHERE tenant_id = 'acme' AND seq = 3");

    Api.Reply r = api.call("GET", "/api/receipts", admin, null);
    assertThat(r.status()).isEqualTo(500);
    assertThat(r.code()).isEqualTo("log_integrity_violation");
    assertThat(r.raw().headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(r.body().path("detail").asText()).contains("receipt 3");
    assertAlarmRaised();
  }

  @Test
  void export_withADeletedRow_isAProblemNotATruncated200() throws Exception {
    tamper("DELETE FROM provenance_receipt WHERE tenant_id = 'acme' AND seq = 2");

    Api.Reply r = api.call("GET", "/api/receipts/export", admin, null);
    assertThat(r.status()).isEqualTo(500);
    assertThat(r.code()).isEqualTo("log_integrity_violation");
    assertThat(r.body().path("detail").asText()).contains("receipt 2 is missing");
    assertThat(api.call("GET", "/api/receipts", admin, null).code())
        .isEqualTo("log_integrity_violation");
    assertAlarmRaised();
  }

  @Test
  void export_withARowReplacedByAnother_isAProblem() throws Exception {
    // Copy receipt 2's stored body and digest over receipt 3: each row still hashes to its own
    // digest column, only the chain and the tree give it away.
    tamper(
        "UPDATE provenance_receipt SET body = (SELECT body FROM provenance_receipt"
            + " WHERE tenant_id = 'acme' AND seq = 2), digest = (SELECT digest FROM"
            + " provenance_receipt WHERE tenant_id = 'acme' AND seq = 2)"
            + " WHERE tenant_id = 'acme' AND seq = 3");

    Api.Reply r = api.call("GET", "/api/receipts/export", admin, null);
    assertThat(r.status()).isEqualTo(500);
    assertThat(r.code()).isEqualTo("log_integrity_violation");
    assertAlarmRaised();
  }

  void assertAlarmRaised() throws Exception {
    Api.Reply metrics = api.call("GET", "/metrics", null, null);
    assertThat(metrics.raw().body())
        .containsPattern("(?m)^maestro_log_integrity_violations_total(\\{[^}]*\\})? [1-9]");
    List<Receipt> violations = List.of();
    for (int i = 0; i < 100 && violations.isEmpty(); i++) {
      violations =
          server
              .database()
              .inTransaction(
                  TenantScope.platform(),
                  tx ->
                      new ReceiptLog("t")
                          .list(
                              tx,
                              LogId.platform(),
                              new ReceiptLog.Query(
                                  java.util.Optional.of(ReceiptTypes.LOG_INTEGRITY_VIOLATION),
                                  java.util.Optional.empty(),
                                  0,
                                  100))
                          .receipts());
      Thread.sleep(50);
    }
    // The checkpointer may report the same damage from its side too (a tree that no longer
    // extends the last checkpoint); every report names acme's log.
    assertThat(violations)
        .isNotEmpty()
        .allSatisfy(v -> assertThat(v.subject().id()).isEqualTo("acme"));
  }
}
