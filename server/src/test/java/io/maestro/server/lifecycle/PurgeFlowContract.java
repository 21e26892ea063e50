package io.maestro.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.lifecycle.manifest.PurgeManifest;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.verify.ExportVerifier;
import io.maestro.server.MaestroServer;
import io.maestro.server.TenantRows;
import io.maestro.server.auth.Api;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dual-control purges through the real server: the requester is refused as an approver by policy,
 * two others approve, the purge runs after its delay, deletes only the tenant's own rows (every
 * other tenant's rows in every {@code tenant_id} table are compared before and after, as the
 * isolation suite does), and its signed manifest verifies with the published keys and counts
 * exactly the rows removed. Erased receipt payloads leave an export that still verifies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PurgeFlowContract {
  static final String T = "acme";
  static final String OTHER = "globex";

  @TempDir static Path dir;
  MaestroServer server;
  Api api;
  String ana;
  String bo;
  String cy;
  String other;

  abstract MaestroServer startServer(Path dataDir);

  void cleanUp() {}

  @BeforeAll
  void start() throws Exception {
    server = startServer(dir);
    api = new Api(server.port());
    ana = api.token(T, "ana@acme", "tenant_admin", "operator");
    bo = api.token(T, "bo@acme", "tenant_admin");
    cy = api.token(T, "cy@acme", "workflow_reviewer");
    other = api.token(OTHER, "olga@globex", "tenant_admin", "operator");
    for (String token : List.of(ana, other)) {
      TidyRuns.publish(api, server.port(), token);
      for (int i = 0; i < 3; i++) {
        Api.Reply r = api.call("POST", "/api/runs", token, Map.of("workflow", "tidy"));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(202);
      }
    }
    TidyRuns.awaitSucceeded(api, ana, 3);
    TidyRuns.awaitSucceeded(api, other, 3);
    awaitQuiet();
  }

  /** Waits until the other tenants' rows stop changing (sequencer and checkpointer caught up). */
  void awaitQuiet() throws InterruptedException {
    Map<String, List<String>> last = snapshot("<>", T);
    for (int i = 0; i < 40; i++) {
      Thread.sleep(1500);
      Map<String, List<String>> now = snapshot("<>", T);
      if (now.equals(last)) {
        return;
      }
      last = now;
    }
    throw new AssertionError("the other tenants' rows never settled");
  }

  static final java.util.Set<String> FOLDED =
      java.util.Set.of(
          "metering_pending",
          "metering_usage_minute",
          "metering_usage_hour",
          "metering_usage_day",
          "metering_spend");

  /** The tables whose rows differ between two snapshots, with the rows that differ. */
  static Map<String, String> differences(
      Map<String, List<String>> before, Map<String, List<String>> after) {
    Map<String, String> out = new TreeMap<>();
    for (String t : before.keySet()) {
      if (FOLDED.contains(t)) {
        // The metering folder moves amounts from pending into the rollups and spend counters in
        // the background (ADR 0033): the same totals in other rows, not a change of the data.
        continue;
      }
      List<String> gone = new ArrayList<>(before.get(t));
      gone.removeAll(after.getOrDefault(t, List.of()));
      List<String> added = new ArrayList<>(after.getOrDefault(t, List.of()));
      added.removeAll(before.get(t));
      if (t.equals("provenance_checkpoint")) {
        // The checkpointer signs logs the purge never touched in the background; a new signature
        // over receipts that did not change is not a change of the other tenants' data.
        added.clear();
      }
      if (!gone.isEmpty() || !added.isEmpty()) {
        out.put(t, "removed " + gone + " added " + added);
      }
    }
    return out;
  }

  /** The engine's rows removed between two snapshots of a tenant, by the purge's data classes. */
  static Map<String, Long> removedByClass(
      Map<String, List<String>> before, Map<String, List<String>> after) {
    Map<String, Long> removed = new TreeMap<>();
    Map<String, String> classOf =
        Map.of(
            "engine_runs", "runs",
            "engine_steps", "steps",
            "engine_run_logs", "run_logs",
            "engine_work", "queue",
            "engine_approvals", "approvals");
    for (var e : classOf.entrySet()) {
      long n = before.get(e.getKey()).size() - after.get(e.getKey()).size();
      if (n > 0) {
        removed.put(e.getValue(), n);
      }
    }
    return removed;
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    cleanUp();
  }

  Map<String, List<String>> snapshot(String condition, String tenant) {
    return TenantRows.snapshot(server.database(), condition, tenant);
  }

  TrustedKeys keys() {
    return TrustedKeys.fromJwks(api.call("GET", "/.well-known/maestro/keys", null, null).body());
  }

  Api.Reply request(String scope, String delay) {
    return api.call(
        "POST",
        "/api/purges",
        ana,
        Map.of(
            "scope",
            scope,
            "before",
            Instant.now().plusSeconds(60).toString(),
            "reason",
            "erasure request DSR-42",
            "delay",
            delay));
  }

  JsonNode awaitExecuted(String id) throws InterruptedException {
    for (int i = 0; i < 150; i++) {
      JsonNode p = api.call("GET", "/api/purges/" + id, ana, null).body();
      if (p.path("state").asText().equals("executed")) {
        return p;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("purge " + id + " never ran");
  }

  @Test
  void purge_needsTwoOthers_runsAfterItsDelay_deletesOnlyItsTenant_andTheManifestVerifies()
      throws Exception {
    Map<String, List<String>> othersBefore = snapshot("<>", T);
    Map<String, List<String>> ownBefore = snapshot("=", T);
    assertThat(ownBefore.get("engine_runs")).hasSize(3);

    Api.Reply req = request("runs", "2s");
    assertThat(req.status()).as(req.body().toString()).isEqualTo(201);
    String id = req.body().path("id").asText();
    assertThat(req.body().path("state").asText()).isEqualTo("awaiting_approval");
    assertThat(req.body().path("approvals_required").asInt()).isEqualTo(2);

    Api.Reply self = api.call("POST", "/api/purges/" + id + "/approve", ana, Map.of());
    assertThat(self.status()).isEqualTo(403);
    assertThat(self.reasonCodes()).containsExactly("purge_self_approval");
    assertThat(self.body().path("decision_id").asText()).startsWith("dec_");

    Api.Reply first = api.call("POST", "/api/purges/" + id + "/approve", bo, Map.of());
    assertThat(first.status()).as(first.body().toString()).isEqualTo(200);
    assertThat(first.body().path("state").asText()).isEqualTo("awaiting_approval");
    Api.Reply again = api.call("POST", "/api/purges/" + id + "/approve", bo, Map.of());
    assertThat(again.reasonCodes()).containsExactly("purge_duplicate_approver");

    Api.Reply second = api.call("POST", "/api/purges/" + id + "/approve", cy, Map.of());
    assertThat(second.status()).as(second.body().toString()).isEqualTo(200);
    assertThat(second.body().path("state").asText()).isEqualTo("scheduled");
    assertThat(second.body().path("approvals").findValuesAsText("approver"))
        .containsExactly("bo@acme", "cy@acme");

    JsonNode done = awaitExecuted(id);
    assertThat(done.path("manifest_digest").asText()).startsWith("sha256:");

    // Tenant-only deletion: no other tenant's row changed.
    assertThat(differences(othersBefore, snapshot("<>", T))).isEmpty();

    Api.Reply m = api.call("GET", "/api/purges/" + id + "/manifest", ana, null);
    assertThat(m.status()).isEqualTo(200);
    PurgeManifest.Verified v = PurgeManifest.verify(m.body(), keys());
    Map<String, List<String>> ownAfter = snapshot("=", T);
    Map<String, Long> removed = removedByClass(ownBefore, ownAfter);
    assertThat(v.counts()).isEqualTo(removed);
    assertThat(v.counts()).containsEntry("runs", 3L).containsEntry("steps", 6L);
    assertThat(v.manifest().path("requested_by").asText()).isEqualTo("ana@acme");
    assertThat(v.manifest().path("log").path("after").path("size").asLong())
        .isGreaterThan(v.manifest().path("log").path("before").path("size").asLong());

    // The receipts name the purge and its manifest.
    JsonNode receipts =
        api.call("GET", "/api/receipts?type=purge.manifest_signed", ana, null).body();
    assertThat(receipts.path("receipts").toString()).contains(id);
  }

  @Test
  void cancelledPurge_neverRuns_andCannotBeApprovedAfterwards() {
    Api.Reply req = request("metering", "1h");
    String id = req.body().path("id").asText();
    Api.Reply cancel = api.call("POST", "/api/purges/" + id + "/cancel", bo, Map.of());
    assertThat(cancel.status()).as(cancel.body().toString()).isEqualTo(200);
    assertThat(cancel.body().path("state").asText()).isEqualTo("cancelled");
    Api.Reply late = api.call("POST", "/api/purges/" + id + "/approve", bo, Map.of());
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.code()).isEqualTo("purge_not_pending");
  }

  @Test
  void requestWithoutReason_isAPolicyRefusal_andTenantScopeIsPlatformOnly() {
    Api.Reply noReason =
        api.call("POST", "/api/purges", ana, Map.of("scope", "runs", "before", "2026-01-01"));
    assertThat(noReason.status()).isEqualTo(403);
    assertThat(noReason.reasonCodes()).containsExactly("purge_reason_missing");
    Api.Reply tenant =
        api.call("POST", "/api/purges", ana, Map.of("scope", "tenant", "reason", "offboarding"));
    assertThat(tenant.reasonCodes()).containsExactly("purge_scope_not_permitted");
  }

  @Test
  void erasedReceiptPayloads_leaveAnExportThatStillVerifies() throws Exception {
    Api.Reply req = request("receipt_payloads", "0s");
    String id = req.body().path("id").asText();
    api.call("POST", "/api/purges/" + id + "/approve", bo, Map.of());
    api.call("POST", "/api/purges/" + id + "/approve", cy, Map.of());
    awaitExecuted(id);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      Api.Reply export = api.call("GET", "/api/receipts/export", ana, null);
      if (export.status() == 200) {
        var report =
            ExportVerifier.verify(new StringReader(export.raw().body()), keys(), Optional.empty());
        if (report.payloadsErased() > 0) {
          return;
        }
      } else {
        failures.add(export.raw().body());
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no verified export with erased payloads: " + failures);
  }
}
