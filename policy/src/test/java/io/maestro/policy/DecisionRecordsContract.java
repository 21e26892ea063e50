package io.maestro.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The decision log table, on each backend. */
abstract class DecisionRecordsContract {
  private static final ObjectMapper JSON = new ObjectMapper();
  private TestDatabase db;

  abstract Backend backend();

  @BeforeEach
  void open() {
    db = backend().open();
  }

  @AfterEach
  void close() {
    db.close();
  }

  static DecisionLogEntry entry(String id, Optional<String> tenant, boolean allow, Instant at)
      throws Exception {
    Decision d =
        new Decision(
            id,
            allow,
            allow ? List.of() : List.of(new Decision.Reason("cross_tenant_access", "no")),
            allow ? List.of(JSON.readTree("{\"type\": \"enhanced_audit\"}")) : List.of(),
            "canon-abc",
            "sha256:00",
            "maestro/authz/decision",
            at);
    return new DecisionLogEntry(
        d,
        tenant,
        Map.of("maestro-canon", "canon-abc"),
        JSON.readTree("{\"action\": \"workflow.run\", \"request\": {\"region\": \"EU\"}}"),
        List.of("/input/request/parameters"),
        List.of(),
        Duration.ofNanos(41_000));
  }

  @Test
  void insert_storesTheOpaEventInTheCallersTransaction() throws Exception {
    DecisionLogEntry e =
        entry("dec_1", Optional.of("acme"), true, Instant.parse("2026-11-22T10:00:00Z"));
    db.database()
        .useTransaction(TenantScope.of(TenantId.of("acme")), tx -> DecisionRecords.insert(tx, e));

    var stored =
        db.database()
            .inTransaction(
                TenantScope.of(TenantId.of("acme")),
                tx -> DecisionRecords.find(tx, "acme", "dec_1"))
            .orElseThrow();

    assertThat(JSON.readTree(stored.toString())).isEqualTo(JSON.readTree(e.toJson().toString()));
  }

  @Test
  void insert_isIdempotentPerDecision() throws Exception {
    DecisionLogEntry e =
        entry("dec_2", Optional.of("acme"), false, Instant.parse("2026-11-22T10:00:00Z"));
    db.database()
        .useTransaction(
            TenantScope.platform(),
            tx -> {
              DecisionRecords.insert(tx, e);
              DecisionRecords.insert(tx, e);
            });
    List<com.fasterxml.jackson.databind.node.ObjectNode> rows =
        db.database()
            .inTransaction(TenantScope.platform(), tx -> DecisionRecords.recent(tx, "acme", 10));
    assertThat(rows).hasSize(1);
  }

  @Test
  void jdbcLog_writesBatchesAndKeepsPlatformDecisionsApart() throws Exception {
    try (JdbcDecisionLog log = new JdbcDecisionLog(db.database(), 1000, Duration.ofMillis(20))) {
      for (int i = 0; i < 25; i++) {
        log.record(
            entry(
                "dec_a" + i,
                Optional.of("acme"),
                true,
                Instant.parse("2026-11-22T10:00:00Z").plusSeconds(i)));
      }
      log.record(entry("dec_p", Optional.empty(), true, Instant.parse("2026-11-22T10:00:00Z")));
      log.flush();
    }
    var acme =
        db.database()
            .inTransaction(
                TenantScope.of(TenantId.of("acme")), tx -> DecisionRecords.recent(tx, "acme", 100));
    var platform =
        db.database()
            .inTransaction(
                TenantScope.platform(),
                tx -> DecisionRecords.recent(tx, DecisionRecords.PLATFORM, 10));

    assertThat(acme).hasSize(25);
    assertThat(acme.get(0).path("decision_id").asText()).isEqualTo("dec_a24");
    assertThat(platform).extracting(o -> o.path("decision_id").asText()).containsExactly("dec_p");
  }

  @Test
  void jdbcLog_writesEachRequestsResultBesideItsDecision_andBetweenReturnsIt() throws Exception {
    Instant t0 = Instant.parse("2026-11-22T11:00:00Z");
    try (JdbcDecisionLog log = new JdbcDecisionLog(db.database(), 1000, Duration.ofMillis(20))) {
      log.record(entry("dec_r1", Optional.of("acme"), true, t0));
      log.recordResult(new RequestResult("acme", "dec_r1", 201));
      log.record(entry("dec_r2", Optional.of("acme"), false, t0.plusSeconds(1)));
      log.recordResult(new RequestResult("acme", "dec_r2", 403));
      // A second answer for one decision is ignored: the first is what the client got.
      log.recordResult(new RequestResult("acme", "dec_r2", 500));
      // A decision with no result recorded (one the server made by itself).
      log.record(entry("dec_r3", Optional.of("acme"), true, t0.plusSeconds(2)));
      // Another tenant's result never joins acme's decisions.
      log.recordResult(new RequestResult("other", "dec_r3", 418));
      log.flush();
    }
    var rows =
        db.database()
            .inTransaction(
                TenantScope.of(TenantId.of("acme")),
                tx -> DecisionRecords.between(tx, "acme", t0, t0.plusSeconds(60), null, null, 10));
    assertThat(rows)
        .extracting(o -> o.path("decision_id").asText() + ":" + o.path("http_status").asText("-"))
        .containsExactly("dec_r1:201", "dec_r2:403", "dec_r3:-");
  }

  @Test
  void jdbcLog_countsEntriesItCannotTakeInsteadOfBlocking() throws Exception {
    JdbcDecisionLog log = new JdbcDecisionLog(db.database(), 10, Duration.ofMillis(20));
    log.record(entry("dec_c1", Optional.of("acme"), true, Instant.parse("2026-11-22T10:00:00Z")));
    log.close();
    log.record(entry("dec_c2", Optional.of("acme"), true, Instant.parse("2026-11-22T10:00:00Z")));

    assertThat(log.written()).isEqualTo(1);
    assertThat(log.dropped()).isEqualTo(1);
  }

  @Test
  void between_pagesTheTenantsDecisionsOfAWindowInTimeOrder_andNoOtherTenants() throws Exception {
    Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
    List<DecisionLogEntry> entries = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      entries.add(entry("dec_w" + i, Optional.of("acme"), i % 2 == 0, t0.plusSeconds(i)));
    }
    // Two decisions in the same instant, and one of another tenant inside the window.
    entries.add(entry("dec_w2b", Optional.of("acme"), true, t0.plusSeconds(2)));
    entries.add(entry("dec_x", Optional.of("other"), true, t0.plusSeconds(2)));
    db.database()
        .useTransaction(
            TenantScope.platform(), tx -> entries.forEach(e -> DecisionRecords.insert(tx, e)));
    TenantScope acme = TenantScope.of(TenantId.of("acme"));
    var first =
        db.database()
            .inTransaction(
                acme,
                tx ->
                    DecisionRecords.between(
                        tx, "acme", t0.plusSeconds(1), t0.plusSeconds(4), null, null, 2));
    var last = first.get(1);
    var rest =
        db.database()
            .inTransaction(
                acme,
                tx ->
                    DecisionRecords.between(
                        tx,
                        "acme",
                        t0.plusSeconds(1),
                        t0.plusSeconds(4),
                        Instant.parse(last.path("timestamp").asText()),
                        last.path("decision_id").asText(),
                        10));

    assertThat(first)
        .extracting(o -> o.path("decision_id").asText())
        .containsExactly("dec_w1", "dec_w2");
    assertThat(rest)
        .extracting(o -> o.path("decision_id").asText())
        .containsExactly("dec_w2b", "dec_w3");
  }
}
