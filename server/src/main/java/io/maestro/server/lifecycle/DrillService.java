package io.maestro.server.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.problem.MaestroException;
import io.maestro.lifecycle.LifecycleErrors;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Provenance;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptLog;
import io.maestro.provenance.ReceiptType;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.Route;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The drills' history ({@code GET /api/drills}, {@code /api/drills/{id}}): each {@code maestro
 * drill restore} leaves a {@code drill.completed} receipt in the platform log whose payload is the
 * drill's report, each {@code maestro drill chaos} a {@code drill.chaos_completed} one; these
 * routes read them back, newest first ({@code ?kind=restore|chaos} for one kind), with RTO and RPO
 * against their targets (restore) or the scenario and its recovery times (chaos), and the receipt
 * that proves them (its id, sequence number and digest, so a reader can ask for its inclusion
 * proof). A drill's id is its receipt's id. Platform routes ({@code drill.read}, for platform
 * operators and support).
 */
public final class DrillService implements ApiService {
  private static final int DEFAULT_LIMIT = 20;
  private static final int MAX_LIMIT = 200;

  private final Database db;
  private final Provenance provenance;

  public DrillService(Database db, Provenance provenance) {
    this.db = db;
    this.provenance = provenance;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/drills", "drill.read", this::list),
        Route.get("/api/drills/{id}", "drill.read", this::get));
  }

  private void list(ServerRequest req, ServerResponse res) {
    int limit = limit(req);
    List<ReceiptType> kinds = kinds(req);
    List<Receipt> all = new ArrayList<>();
    kinds.forEach(k -> all.addAll(drills(k)));
    all.sort(java.util.Comparator.comparingLong(Receipt::seq));
    ObjectNode out = HttpJson.MAPPER.createObjectNode();
    out.put("total", all.size());
    ArrayNode items = out.putArray("items");
    for (int i = all.size() - 1; i >= 0 && items.size() < limit; i--) {
      items.add(summary(all.get(i)));
    }
    HttpJson.ok(res, out);
  }

  private void get(ServerRequest req, ServerResponse res) {
    String id = req.path().pathParameters().get("id");
    provenance.sequencer().drain(LogId.platform());
    Receipt r =
        db.inTransaction(
                TenantScope.platform(), tx -> provenance.log().find(tx, LogId.platform(), id))
            .filter(x -> KINDS.containsValue(x.type()))
            .orElseThrow(
                () ->
                    MaestroException.of(LifecycleErrors.DRILL_NOT_FOUND, "no restore drill " + id));
    ObjectNode out = summary(r);
    report(r).ifPresent(p -> out.set("report", p));
    HttpJson.ok(res, out);
  }

  /** The drills' receipt types by the {@code kind} the API names them with. */
  private static final Map<String, ReceiptType> KINDS =
      Map.of("restore", ReceiptTypes.DRILL_COMPLETED, "chaos", ReceiptTypes.DRILL_CHAOS_COMPLETED);

  private static List<ReceiptType> kinds(ServerRequest req) {
    Optional<String> kind = req.query().first("kind").asOptional();
    if (kind.isEmpty()) {
      return List.of(ReceiptTypes.DRILL_COMPLETED, ReceiptTypes.DRILL_CHAOS_COMPLETED);
    }
    ReceiptType t = KINDS.get(kind.get());
    if (t == null) {
      throw MaestroException.of(
          io.maestro.core.problem.CoreErrors.VALIDATION_FAILED, "kind is restore or chaos");
    }
    return List.of(t);
  }

  /** Every drill of {@code type} in the platform log, oldest first. */
  private List<Receipt> drills(ReceiptType type) {
    provenance.sequencer().drain(LogId.platform());
    List<Receipt> out = new ArrayList<>();
    db.useTransaction(
        TenantScope.platform(),
        tx -> {
          long after = 0;
          while (true) {
            ReceiptLog.Page page =
                provenance
                    .log()
                    .list(
                        tx,
                        LogId.platform(),
                        new ReceiptLog.Query(
                            Optional.of(type), Optional.empty(), after, ReceiptLog.MAX_PAGE));
            out.addAll(page.receipts());
            if (page.nextAfterSeq().isEmpty()) {
              return;
            }
            after = page.nextAfterSeq().get();
          }
        });
    return out;
  }

  /**
   * One drill as the API lists it: the receipt reference and the report's measures. A drill whose
   * payload was erased by retention keeps its receipt reference and says so ({@code erased}).
   */
  static ObjectNode summary(Receipt r) {
    ObjectNode o = HttpJson.MAPPER.createObjectNode();
    o.put("id", r.id());
    boolean restore = r.type().equals(ReceiptTypes.DRILL_COMPLETED);
    o.put("kind", restore ? "restore" : "chaos");
    o.put("completed_at", r.time().toString());
    ObjectNode ref = o.putObject("receipt");
    ref.put("id", r.id());
    ref.put("log", "platform");
    ref.put("seq", r.seq());
    ref.put("digest", r.digest().toString());
    ref.put("payload_digest", r.payloadDigest().toString());
    Optional<JsonNode> report = report(r);
    o.put("erased", report.isEmpty());
    report
        .filter(p -> !restore)
        .ifPresent(
            p -> {
              // A chaos drill: its scenario, result and every measured time it reports.
              o.put("passed", p.path("passed").asBoolean(false));
              o.put("scenario", p.path("scenario").asText(r.subject().id()));
              p.properties().stream()
                  .filter(e -> e.getKey().endsWith("_seconds") && e.getValue().isNumber())
                  .forEach(e -> o.set(e.getKey(), e.getValue()));
            });
    report
        .filter(p -> restore)
        .ifPresent(
            p -> {
              o.put("passed", p.path("passed").asBoolean(false));
              for (String f :
                  List.of(
                      "rto_seconds",
                      "rto_target_seconds",
                      "rto_met",
                      "rpo_seconds",
                      "rpo_target_seconds",
                      "rpo_met",
                      "backup_taken_at",
                      "started_at",
                      "synthetic_run")) {
                if (p.has(f)) {
                  o.set(f, p.get(f));
                }
              }
              o.put("logs_verified", count(p.path("logs"), true));
              o.put("logs_failed", count(p.path("logs"), false));
            });
    return o;
  }

  private static int count(JsonNode logs, boolean ok) {
    int n = 0;
    for (JsonNode l : logs) {
      if (l.path("ok").asBoolean() == ok) {
        n++;
      }
    }
    return n;
  }

  private static Optional<JsonNode> report(Receipt r) {
    if (r.payload().isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(HttpJson.MAPPER.readTree(r.payload().get()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int limit(ServerRequest req) {
    Optional<String> l = req.query().first("limit").asOptional();
    if (l.isEmpty()) {
      return DEFAULT_LIMIT;
    }
    try {
      int v = Integer.parseInt(l.get().strip());
      if (v >= 1 && v <= MAX_LIMIT) {
        return v;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw MaestroException.of(
        io.maestro.core.problem.CoreErrors.VALIDATION_FAILED,
        "limit must be a whole number from 1 to " + MAX_LIMIT);
  }
}
