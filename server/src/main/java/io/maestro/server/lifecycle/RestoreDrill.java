package io.maestro.server.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Ids;
import io.maestro.core.config.ConfigLoader;
import io.maestro.core.config.MaestroConfig;
import io.maestro.core.json.Json;
import io.maestro.lifecycle.backup.Backups;
import io.maestro.provenance.Checkpoint;
import io.maestro.provenance.LogId;
import io.maestro.provenance.ReceiptDraft;
import io.maestro.provenance.ReceiptLog;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.provenance.Receipts;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.verify.ExportVerifier;
import io.maestro.provenance.verify.VerificationFailure;
import io.maestro.server.MaestroServer;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * {@code maestro drill restore}: backs up the embedded database, restores it into a fresh data
 * directory, starts a server on it, checks every log against the checkpoints taken before the
 * backup (each log's export verifies and is consistent with its pre-backup checkpoint), runs a
 * synthetic workflow, and reports RTO (restore to working server, wall time) and RPO (backup time
 * minus the newest receipt it includes) against their targets, with a {@code drill.completed}
 * receipt in the restored and the source platform logs.
 */
public final class RestoreDrill {
  public static final Duration RTO_TARGET = Duration.ofMinutes(30);
  public static final Duration RPO_TARGET = Duration.ofMinutes(15);

  private RestoreDrill() {}

  /** Runs the drill on {@code source}'s database; writes everything under {@code work}. */
  public static ObjectNode run(MaestroConfig source, Path work) throws Exception {
    Clock clock = Clock.systemUTC();
    String origin = source.provenance().origin();
    ReceiptLog log = new ReceiptLog(origin);
    Path backupDir = work.resolve("backup");
    ObjectNode report = Json.MAPPER.createObjectNode();
    Instant started = clock.instant();
    JsonNode manifest;
    try (Database db = MaestroServer.openDatabase(source)) {
      manifest = Backups.backup(db, log, source.dataDir(), null, backupDir, clock);
    }
    Instant restoreStart = clock.instant();
    Path restored = work.resolve("restored");
    Backups.restoreEmbedded(backupDir, restored);
    MaestroConfig target =
        new ConfigLoader(Map.of(), restored)
            .load(
                Optional.empty(),
                Map.of(
                    "server.port", "0",
                    "server.host", "127.0.0.1",
                    "dataDir", restored.toString(),
                    "log.level", "WARN",
                    "provenance.origin", origin));
    try (MaestroServer server = MaestroServer.start(target)) {
      Instant serving = clock.instant();
      String base = "http://127.0.0.1:" + server.port();
      TrustedKeys keys = TrustedKeys.fromJwks(get(base + "/.well-known/maestro/keys", null));
      ArrayNode logs = report.putArray("logs");
      for (JsonNode l : manifest.path("logs")) {
        logs.add(verifyLog(server.database(), log, l, keys));
      }
      String runState = synthetic(base);
      Instant done = clock.instant();
      Duration rto = Duration.between(restoreStart, done);
      Instant newest =
          stream(manifest.path("logs"))
              .filter(l -> l.has("last_receipt_at"))
              .map(l -> Instant.parse(l.path("last_receipt_at").asText()))
              .max(Instant::compareTo)
              .orElse(Instant.parse(manifest.path("taken_at").asText()));
      Duration rpo = Duration.between(newest, Instant.parse(manifest.path("taken_at").asText()));
      report.put("format", "maestro.restore-drill/v1");
      report.put("started_at", started.toString());
      report.put("backup_taken_at", manifest.path("taken_at").asText());
      report.put("restore_started_at", restoreStart.toString());
      report.put("serving_at", serving.toString());
      report.put("completed_at", done.toString());
      report.put("rto_seconds", rto.toMillis() / 1000.0);
      report.put("rto_target_seconds", RTO_TARGET.toSeconds());
      report.put("rto_met", rto.compareTo(RTO_TARGET) <= 0);
      report.put("rpo_seconds", Math.max(0, rpo.toMillis()) / 1000.0);
      report.put("rpo_target_seconds", RPO_TARGET.toSeconds());
      report.put("rpo_met", rpo.compareTo(RPO_TARGET) <= 0);
      report.put("synthetic_run", runState);
      boolean ok =
          stream(logs).allMatch(l -> l.path("ok").asBoolean()) && "SUCCEEDED".equals(runState);
      report.put("passed", ok);
      record(server.database(), report, clock);
    }
    try (Database db = MaestroServer.openDatabase(source)) {
      record(db, report, clock);
    }
    Files.writeString(work.resolve("drill.json"), report.toPrettyString());
    Files.writeString(work.resolve("drill.md"), markdown(report));
    return report;
  }

  private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false);
  }

  /** The restored log verifies in full and extends the checkpoint signed before the backup. */
  private static ObjectNode verifyLog(Database db, ReceiptLog log, JsonNode l, TrustedKeys keys) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("log", l.path("log").asText());
    out.put("size_at_backup", l.path("size").asLong());
    if (!l.has("checkpoint")) {
      out.put("ok", true).put("detail", "no checkpoint before the backup; nothing to compare");
      return out;
    }
    LogId id = LogId.ofStorageKey(l.path("log").asText());
    try {
      Checkpoint before = Checkpoint.verify(l.path("checkpoint").path("note").asText(), keys);
      ByteArrayOutputStream export = new ByteArrayOutputStream();
      db.useTransaction(TenantScope.platform(), tx -> log.export(tx, id, 1, 0, export));
      ExportVerifier.Report r =
          ExportVerifier.verify(
              new StringReader(export.toString(StandardCharsets.UTF_8)), keys, Optional.of(before));
      out.put("ok", true);
      out.put("checkpoint_before", before.size());
      out.put("verified_to", r.treeSize());
      out.put("detail", "export verifies and is consistent with the pre-backup checkpoint");
    } catch (VerificationFailure | IOException | RuntimeException e) {
      out.put("ok", false).put("detail", String.valueOf(e.getMessage()));
    }
    return out;
  }

  /** Publishes and runs a two-step workflow in tenant {@code drill}; returns its final status. */
  private static String synthetic(String base) throws Exception {
    JsonNode t =
        post(
            base + "/api/dev/token",
            null,
            Map.of(
                "tenant",
                "drill",
                "subject",
                "drill@drill",
                "roles",
                java.util.List.of("tenant_admin", "workflow_author", "operator"),
                "create",
                true));
    String token = t.path("token").asText();
    String manifest =
        """
        apiVersion: maestro/v1
        kind: Workflow
        metadata: {name: restore-drill, version: "%d"}
        spec:
          tasks:
            - {id: a, uses: core/log, with: {message: "restored"}}
            - {id: b, uses: core/log, needs: [a], with: {message: "and running"}}
        """
            .formatted(System.currentTimeMillis());
    String version = manifest.replaceAll("(?s).*version: \"(\\d+)\".*", "$1");
    HttpClient http = HttpClient.newHttpClient();
    http.send(
        HttpRequest.newBuilder(
                URI.create(base + "/api/workflows/restore-drill/versions/" + version))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/yaml")
            .PUT(HttpRequest.BodyPublishers.ofString(manifest))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    post(base + "/api/workflows/restore-drill/versions/" + version + "/publish", token, Map.of());
    String run =
        post(base + "/api/runs", token, Map.of("workflow", "restore-drill")).path("id").asText();
    String status = "";
    for (int i = 0; i < 300; i++) {
      status = get(base + "/api/runs/" + run, token).path("status").asText();
      if (status.equals("SUCCEEDED") || status.equals("FAILED")) {
        break;
      }
      Thread.sleep(100);
    }
    return status;
  }

  private static void record(Database db, ObjectNode report, Clock clock) {
    Receipts receipts =
        new Receipts(
            new Ids(clock, RandomGenerator.of("L64X128MixRandom")),
            clock,
            Receipts.AppendListener.NONE);
    db.useTransaction(
        TenantScope.platform(),
        tx ->
            receipts.append(
                tx,
                ReceiptDraft.of(
                        LogId.platform(),
                        ReceiptTypes.DRILL_COMPLETED,
                        Actor.system("lifecycle"),
                        "drill.restore",
                        ReceiptDraft.Subject.of("drill", "restore"))
                    .withPayload(report)));
  }

  public static String markdown(JsonNode r) {
    StringBuilder sb = new StringBuilder("# Restore drill\n\n");
    sb.append("| measure | value | target | met |\n|---|---|---|---|\n");
    sb.append(
        String.format(
            "| RTO (restore to a working server) | %.1f s | %d s | %s |%n",
            r.path("rto_seconds").asDouble(),
            r.path("rto_target_seconds").asLong(),
            r.path("rto_met").asBoolean() ? "yes" : "NO"));
    sb.append(
        String.format(
            "| RPO (backup time minus newest receipt) | %.1f s | %d s | %s |%n%n",
            r.path("rpo_seconds").asDouble(),
            r.path("rpo_target_seconds").asLong(),
            r.path("rpo_met").asBoolean() ? "yes" : "NO"));
    sb.append("Backup taken at ").append(r.path("backup_taken_at").asText());
    sb.append("; synthetic run: ").append(r.path("synthetic_run").asText()).append(".\n\n");
    sb.append("| log | receipts at backup | result |\n|---|---|---|\n");
    for (JsonNode l : r.path("logs")) {
      sb.append("| ")
          .append(l.path("log").asText())
          .append(" | ")
          .append(l.path("size_at_backup").asLong())
          .append(" | ")
          .append(l.path("ok").asBoolean() ? "ok: " : "FAILED: ")
          .append(l.path("detail").asText())
          .append(" |\n");
    }
    sb.append("\nResult: ").append(r.path("passed").asBoolean() ? "PASSED" : "FAILED").append('\n');
    return sb.toString();
  }

  private static JsonNode get(String url, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return Json.MAPPER.readTree(
        HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  private static JsonNode post(String url, String token, Object body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return Json.MAPPER.readTree(
        HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString()).body());
  }
}
