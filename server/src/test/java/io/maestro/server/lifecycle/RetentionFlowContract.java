package io.maestro.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.purge.PurgedItem;
import io.maestro.lifecycle.manifest.PurgeManifest;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.verify.ExportVerifier;
import io.maestro.server.MaestroServer;
import io.maestro.server.MovableClock;
import io.maestro.server.TenantRows;
import io.maestro.server.auth.Api;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention through the real server, with a clock the test moves forward: rules outside the
 * platform's bounds are policy refusals; unexpired data stays; once time passes the rule, the job
 * removes the tenant's expired runs in bounded batches, each with a receipt whose items' Merkle
 * root is the batch's and whose counts are the rows removed; a tenant on legal hold keeps
 * everything (and cannot be purged) until the hold is released; no other tenant's row changes;
 * erased receipt payloads leave an export that still verifies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class RetentionFlowContract {
  static final String T = "acme";
  static final String OTHER = "globex";
  static final String HELD = "initech";

  @TempDir static Path dir;
  final MovableClock clock = new MovableClock();
  MaestroServer server;
  Api api;

  abstract MaestroServer startServer(Path dataDir, Map<String, String> settings, Clock clock);

  void cleanUp() {}

  @BeforeAll
  void start() throws Exception {
    server =
        startServer(
            dir,
            Map.of(
                "retention.intervalSeconds", "0",
                "retention.batchSize", "2",
                "retention.minDays", "7",
                "retention.maxDays", "400"),
            clock);
    api = new Api(server.port());
    for (String tenant : List.of(T, OTHER, HELD)) {
      String token = admin(tenant);
      TidyRuns.publish(api, server.port(), token);
      for (int i = 0; i < 3; i++) {
        Api.Reply r = api.call("POST", "/api/runs", token, Map.of("workflow", "tidy"));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(202);
      }
      TidyRuns.awaitSucceeded(api, token, 3);
    }
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    cleanUp();
  }

  String admin(String tenant) {
    return api.token(tenant, "ana@" + tenant, "tenant_admin", "operator");
  }

  @Test
  @Order(1)
  void rulesOutsideTheBounds_areRefusedByPolicy_andBadInputIs422() {
    String ana = admin(T);
    Api.Reply low = api.call("PUT", "/api/retention/rules/runs", ana, Map.of("keepDays", 3));
    assertThat(low.status()).isEqualTo(403);
    assertThat(low.reasonCodes()).containsExactly("retention_below_minimum");
    Api.Reply high = api.call("PUT", "/api/retention/rules/runs", ana, Map.of("keepDays", 500));
    assertThat(high.reasonCodes()).containsExactly("retention_above_maximum");
    Api.Reply unknown =
        api.call("PUT", "/api/retention/rules/pictures", ana, Map.of("keepDays", 30));
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.code()).isEqualTo("retention_invalid");
    Api.Reply notANumber =
        api.call("PUT", "/api/retention/rules/runs", ana, Map.of("keepDays", "thirty"));
    assertThat(notANumber.status()).isEqualTo(422);
    String operator = api.token(T, "op@acme", "operator");
    Api.Reply notAllowed =
        api.call("PUT", "/api/retention/rules/runs", operator, Map.of("keepDays", 30));
    assertThat(notAllowed.status()).isEqualTo(403);
    Api.Reply noReason = api.call("POST", "/api/retention/holds", ana, Map.of("reason", " "));
    assertThat(noReason.reasonCodes()).containsExactly("legal_hold_reason_missing");
  }

  @Test
  @Order(2)
  void expiredRunsGo_inBatchesWithReceipts_heldAndUnexpiredStay_otherTenantsUntouched()
      throws Exception {
    String ana = admin(T);
    Api.Reply set = api.call("PUT", "/api/retention/rules/runs", ana, Map.of("keepDays", 30));
    assertThat(set.status()).as(set.body().toString()).isEqualTo(200);
    assertThat(set.body().path("policy_version").isTextual()).isTrue();
    assertThat(set.body().path("decision_id").asText()).startsWith("dec_");
    JsonNode rules = api.call("GET", "/api/retention/rules", ana, null).body();
    assertThat(rules.path("bounds").path("min_days").asInt()).isEqualTo(7);
    assertThat(rules.path("bounds").path("max_days").asInt()).isEqualTo(400);
    assertThat(rules.path("items").toString()).contains("\"keep_days\":30");

    String held = admin(HELD);
    assertThat(api.call("PUT", "/api/retention/rules/runs", held, Map.of("keepDays", 30)).status())
        .isEqualTo(200);
    Api.Reply hold =
        api.call("POST", "/api/retention/holds", held, Map.of("reason", "litigation 2026-17"));
    assertThat(hold.status()).as(hold.body().toString()).isEqualTo(201);
    String holdId = hold.body().path("id").asText();
    Api.Reply purge =
        api.call(
            "POST",
            "/api/purges",
            held,
            Map.of("scope", "runs", "before", "2030-01-01", "reason", "DSR-7", "delay", "1h"));
    assertThat(purge.status()).isEqualTo(403);
    assertThat(purge.reasonCodes()).containsExactly("purge_legal_hold");

    // Nothing has expired yet: the job removes nothing.
    Api.Reply early = api.call("POST", "/api/retention/run", ana, null);
    assertThat(early.status()).as(early.body().toString()).isEqualTo(200);
    assertThat(early.body().path("batches").asInt()).isZero();
    assertThat(snapshot("=", T).get("engine_runs")).hasSize(3);

    // 31 days later the runs are past the rule.
    clock.advance(Duration.ofDays(31));
    ana = admin(T);
    held = admin(HELD);
    Map<String, List<String>> ownBefore = snapshot("=", T);
    Map<String, List<String>> heldBefore = snapshot("=", HELD);
    Map<String, List<String>> othersBefore = othersThan(T);

    Api.Reply run = api.call("POST", "/api/retention/run", ana, null);
    assertThat(run.status()).as(run.body().toString()).isEqualTo(200);
    assertThat(run.body().path("batches").asInt()).isEqualTo(2); // 3 runs, 2 per batch
    Map<String, List<String>> ownAfter = snapshot("=", T);
    assertThat(ownAfter.get("engine_runs")).isEmpty();
    assertThat(ownAfter.get("engine_steps")).isEmpty();
    assertThat(PurgeFlowContract.differences(othersBefore, othersThan(T))).isEmpty();

    // Each batch: a receipt whose items match its Merkle root; together the rows removed.
    JsonNode batches = api.call("GET", "/api/retention/batches", ana, null).body();
    assertThat(batches.path("items")).hasSize(2);
    Map<String, Long> counted = new TreeMap<>();
    for (JsonNode b : batches.path("items")) {
      JsonNode receipt = receipt(ana, b.path("receipt_id").asText());
      assertThat(receipt.path("type").asText()).isEqualTo("retention.batch");
      JsonNode p = receipt.path("payload");
      List<PurgedItem> items = new ArrayList<>();
      p.path("items")
          .forEach(
              i ->
                  items.add(
                      new PurgedItem(
                          i.path("class").asText(),
                          i.path("key").asText(),
                          i.path("digest").asText())));
      assertThat(PurgeManifest.root(PurgeManifest.ordered(items)).toString())
          .isEqualTo(b.path("merkle_root").asText())
          .isEqualTo(p.path("merkle_root").asText());
      b.path("classes")
          .properties()
          .forEach(e -> counted.merge(e.getKey(), e.getValue().asLong(), Long::sum));
    }
    Map<String, Long> removed = PurgeFlowContract.removedByClass(ownBefore, ownAfter);
    assertThat(counted).isEqualTo(removed).containsEntry("runs", 3L).containsEntry("steps", 6L);

    // The held tenant keeps everything until the hold is released.
    Api.Reply heldRun = api.call("POST", "/api/retention/run", held, null);
    assertThat(heldRun.body().path("held").asBoolean()).isTrue();
    assertThat(heldRun.body().path("batches").asInt()).isZero();
    assertThat(snapshot("=", HELD).get("engine_runs")).isEqualTo(heldBefore.get("engine_runs"));
    Api.Reply release =
        api.call(
            "POST",
            "/api/retention/holds/" + holdId + "/release",
            held,
            Map.of("reason", "case closed"));
    assertThat(release.status()).as(release.body().toString()).isEqualTo(200);
    assertThat(release.body().path("active").asBoolean()).isFalse();
    Api.Reply again =
        api.call(
            "POST", "/api/retention/holds/" + holdId + "/release", held, Map.of("reason", "x"));
    assertThat(again.code()).isEqualTo("legal_hold_not_active");
    Api.Reply afterRelease = api.call("POST", "/api/retention/run", held, null);
    assertThat(afterRelease.body().path("removed").path("runs").asLong()).isEqualTo(3L);
    assertThat(snapshot("=", HELD).get("engine_runs")).isEmpty();

    // The tenant without rules kept everything.
    assertThat(snapshot("=", OTHER).get("engine_runs")).hasSize(3);
  }

  @Test
  @Order(3)
  void erasedReceiptPayloads_leaveTombstones_andAnExportThatStillVerifies() throws Exception {
    String ana = admin(T);
    assertThat(
            api.call("PUT", "/api/retention/rules/receipt_payloads", ana, Map.of("keepDays", 10))
                .status())
        .isEqualTo(200);
    Api.Reply run = api.call("POST", "/api/retention/run", ana, null);
    assertThat(run.status()).as(run.body().toString()).isEqualTo(200);
    assertThat(run.body().path("removed").path("receipt_payloads").asLong()).isPositive();
    // An export ends at the latest signed checkpoint: wait until one covers every erased receipt.
    long erased = run.body().path("removed").path("receipt_payloads").asLong();
    long seen = -1;
    for (int i = 0; i < 100 && seen < erased; i++) {
      Thread.sleep(i == 0 ? 0 : 100);
      Api.Reply export = api.call("GET", "/api/receipts/export", ana, null);
      if (export.status() == 404 && "checkpoint_not_found".equals(export.code())) {
        continue; // the log has no signed checkpoint yet
      }
      assertThat(export.status()).as(export.raw().body()).isEqualTo(200);
      seen =
          ExportVerifier.verify(new StringReader(export.raw().body()), keys(), Optional.empty())
              .payloadsErased();
    }
    assertThat(seen).isEqualTo(erased);
    // The rule changes and the batches themselves keep their payloads.
    JsonNode rules = api.call("GET", "/api/receipts?type=retention.rule_set", ana, null).body();
    assertThat(rules.path("receipts").toString()).contains("keep_days");
  }

  @Test
  @Order(4)
  void runLogsMeteringEventsAndDecisionInputs_expireThroughTheirOwners() throws Exception {
    String ana = admin(T);
    // Without a rule for runs, runs are kept for good again.
    assertThat(api.call("DELETE", "/api/retention/rules/runs", ana, null).status()).isEqualTo(204);
    assertThat(api.call("DELETE", "/api/retention/rules/runs", ana, null).code())
        .isEqualTo("retention_rule_not_found");
    Api.Reply started = api.call("POST", "/api/runs", ana, Map.of("workflow", "tidy"));
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    TidyRuns.awaitSucceeded(api, ana, 1);
    for (String c : List.of("run_logs", "metering_events", "decision_inputs")) {
      Api.Reply set = api.call("PUT", "/api/retention/rules/" + c, ana, Map.of("keepDays", 30));
      assertThat(set.status()).as(set.body().toString()).isEqualTo(200);
    }
    clock.advance(Duration.ofDays(31));
    ana = admin(T);
    Map<String, List<String>> before = snapshot("=", T);
    assertThat(before.get("engine_run_logs")).isNotEmpty();

    Api.Reply run = api.call("POST", "/api/retention/run", ana, null);
    assertThat(run.status()).as(run.body().toString()).isEqualTo(200);
    JsonNode removed = run.body().path("removed");
    Map<String, List<String>> after = snapshot("=", T);
    // The run stays with its steps and outputs; its log lines and raw events go.
    assertThat(after.get("engine_runs")).hasSize(1);
    assertThat(after.get("engine_steps")).isEqualTo(before.get("engine_steps"));
    assertThat(after.get("engine_run_logs")).isEmpty();
    assertThat(removed.path("run_logs").asLong()).isEqualTo(before.get("engine_run_logs").size());
    assertThat(removed.path("metering_events").asLong()).isPositive();
    // Receipts written meanwhile (the batches' own) are metered: count only the rows that went.
    assertThat(
            before.get("metering_events").stream()
                .filter(row -> !after.get("metering_events").contains(row))
                .count())
        .isEqualTo(removed.path("metering_events").asLong());
    assertThat(removed.path("decision_inputs").asLong()).isPositive();
    long kept =
        server
            .database()
            .inTransaction(
                io.maestro.store.TenantScope.platform(),
                tx ->
                    tx.queryOne(
                            "SELECT COUNT(*) FROM policy_decisions WHERE tenant_id = ?"
                                + " AND input IS NOT NULL AND decided_at < ?",
                            rs -> rs.getLong(1),
                            T,
                            clock.instant().minus(Duration.ofDays(30)))
                        .orElseThrow());
    assertThat(kept).isZero();
  }

  /**
   * Evidence packs are a retention class: the evidence module deletes the expired exports and their
   * files through its own API; the {@code evidence.exported} receipts stay.
   */
  @Test
  @Order(5)
  void expiredEvidencePacks_goThroughTheEvidenceModule_theirReceiptsStay() throws Exception {
    String ana = admin(T);
    String run =
        api.call("GET", "/api/runs?limit=1", ana, null)
            .body()
            .path("items")
            .get(0)
            .path("id")
            .asText();
    Api.Reply pack = api.call("GET", "/api/runs/" + run + "/disclosure", ana, null);
    for (int i = 0; i < 50 && pack.status() != 200; i++) {
      Thread.sleep(100); // the run's receipts must be checkpointed first
      pack = api.call("GET", "/api/runs/" + run + "/disclosure", ana, null);
    }
    assertThat(pack.status()).as(pack.body().toString()).isEqualTo(200);
    String sha = pack.raw().headers().firstValue("X-Maestro-SHA256").orElseThrow();
    Path file = dir.resolve("evidence/tenants/" + T + "/packs/" + sha + ".tar.gz");
    assertThat(file).exists();
    assertThat(snapshot("=", T).get("evidence_exports")).hasSize(1);
    Map<String, List<String>> others = othersThan(T);

    Api.Reply set =
        api.call("PUT", "/api/retention/rules/evidence_packs", ana, Map.of("keepDays", 30));
    assertThat(set.status()).as(set.body().toString()).isEqualTo(200);
    Api.Reply early = api.call("POST", "/api/retention/run", ana, null);
    assertThat(early.body().path("removed").path("evidence_packs").asLong()).isZero();
    assertThat(file).exists();

    clock.advance(Duration.ofDays(31));
    ana = admin(T);
    Api.Reply run2 = api.call("POST", "/api/retention/run", ana, null);
    assertThat(run2.status()).as(run2.body().toString()).isEqualTo(200);
    assertThat(run2.body().path("removed").path("evidence_packs").asLong()).isEqualTo(1);
    assertThat(snapshot("=", T).get("evidence_exports")).isEmpty();
    assertThat(file).doesNotExist();
    assertThat(
            api.call("GET", "/api/receipts?type=evidence.exported", ana, null)
                .body()
                .path("receipts")
                .size())
        .isEqualTo(1);
    JsonNode batches = api.call("GET", "/api/retention/batches", ana, null).body();
    assertThat(batches.toString()).contains("\"evidence_packs\"");
    assertThat(othersThan(T)).isEqualTo(others);
  }

  /**
   * The tenant's policy profile is the source of its defaults and minimums: a tenant moved to
   * {@code regulated} keeps receipt payloads for the profile's default (within the platform's
   * maximum), cannot shorten them below the profile's minimum (a receipted policy refusal), and an
   * older, shorter rule of its own is applied at the minimum; the demonstration profile lets the
   * same tenant keep them for days.
   */
  @Test
  @Order(6)
  void theProfileSetsDefaultsAndMinimums_aShorterRuleIsRefusedAndReceipted() {
    String gus = admin(OTHER);
    String root = api.token(null, "root@platform", "conductor_admin");
    Api.Reply own = api.call("PUT", "/api/retention/rules/runs", gus, Map.of("keepDays", 30));
    assertThat(own.status()).as(own.body().toString()).isEqualTo(200);
    Api.Reply assigned =
        api.call("PUT", "/api/tenants/" + OTHER + "/profile", root, Map.of("profile", "regulated"));
    assertThat(assigned.status()).as(assigned.body().toString()).isEqualTo(200);

    gus = admin(OTHER);
    JsonNode rules = api.call("GET", "/api/retention/rules", gus, null).body();
    assertThat(rules.path("defaults").asText()).isEqualTo("profile:regulated");
    JsonNode payloads = item(rules, "receipt_payloads");
    // The profile's 2555 days, moved inside this platform's 400-day maximum.
    assertThat(payloads.path("keep_days").asInt()).isEqualTo(400);
    assertThat(payloads.path("source").asText()).isEqualTo("profile:regulated");
    assertThat(payloads.path("profile_min_days").asInt()).isEqualTo(2555);
    JsonNode runs = item(rules, "runs");
    assertThat(runs.path("keep_days").asInt()).isEqualTo(365);
    assertThat(runs.path("source").asText()).isEqualTo("profile:regulated:minimum");
    assertThat(runs.path("tenant_keep_days").asInt()).isEqualTo(30);

    Api.Reply shorter =
        api.call("PUT", "/api/retention/rules/receipt_payloads", gus, Map.of("keepDays", 30));
    assertThat(shorter.status()).isEqualTo(403);
    assertThat(shorter.reasonCodes()).containsExactly("retention_below_profile_minimum");
    String decision = shorter.body().path("decision_id").asText();
    assertThat(decision).startsWith("dec_");
    assertThat(
            api.call("PUT", "/api/retention/rules/runs", gus, Map.of("keepDays", 364))
                .reasonCodes())
        .containsExactly("retention_below_profile_minimum");
    assertThat(api.call("PUT", "/api/retention/rules/runs", gus, Map.of("keepDays", 380)).status())
        .isEqualTo(200);
    JsonNode denied =
        api.call("GET", "/api/receipts?type=policy.denied&limit=500", gus, null).body();
    assertThat(denied.path("receipts").toString()).contains(decision).contains("retention.write");

    assertThat(
            api.call(
                    "PUT",
                    "/api/tenants/" + OTHER + "/profile",
                    root,
                    Map.of("profile", "partner-demo"))
                .status())
        .isEqualTo(200);
    gus = admin(OTHER);
    JsonNode demo = api.call("GET", "/api/retention/rules", gus, null).body();
    assertThat(item(demo, "receipt_payloads").path("keep_days").asInt()).isEqualTo(30);
    assertThat(item(demo, "receipt_payloads").path("profile_min_days").isNull()).isTrue();
    Api.Reply days =
        api.call("PUT", "/api/retention/rules/receipt_payloads", gus, Map.of("keepDays", 10));
    assertThat(days.status()).as(days.body().toString()).isEqualTo(200);
  }

  static JsonNode item(JsonNode rules, String dataClass) {
    for (JsonNode i : rules.path("items")) {
      if (i.path("data_class").asText().equals(dataClass)) {
        return i;
      }
    }
    throw new AssertionError("no item " + dataClass + " in " + rules);
  }

  JsonNode receipt(String token, String id) throws InterruptedException {
    for (int i = 0; i < 50; i++) {
      Api.Reply r = api.call("GET", "/api/receipts/" + id, token, null);
      if (r.status() == 200) {
        return r.body().path("receipt");
      }
      Thread.sleep(100);
    }
    throw new AssertionError("receipt " + id + " never appeared");
  }

  /** Every row of every tenant but {@code tenant} and the platform's own. */
  Map<String, List<String>> othersThan(String tenant) {
    Map<String, List<String>> all = new TreeMap<>();
    for (String t : List.of(T, OTHER, HELD)) {
      if (!t.equals(tenant)) {
        snapshot("=", t)
            .forEach(
                (k, v) ->
                    all.merge(
                        k,
                        v,
                        (a, b) -> {
                          List<String> x = new ArrayList<>(a);
                          x.addAll(b);
                          return x;
                        }));
      }
    }
    return all;
  }

  Map<String, List<String>> snapshot(String condition, String tenant) {
    return TenantRows.snapshot(server.database(), condition, tenant);
  }

  TrustedKeys keys() {
    return TrustedKeys.fromJwks(api.call("GET", "/.well-known/maestro/keys", null, null).body());
  }
}
