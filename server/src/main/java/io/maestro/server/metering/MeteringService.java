package io.maestro.server.metering;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.TenantId;
import io.maestro.core.problem.CoreErrors;
import io.maestro.core.problem.MaestroException;
import io.maestro.metering.EventPage;
import io.maestro.metering.EventQuery;
import io.maestro.metering.EventType;
import io.maestro.metering.Metering;
import io.maestro.metering.MeteringCloudEvents;
import io.maestro.metering.UsageExport;
import io.maestro.metering.UsageQuery;
import io.maestro.metering.UsageReport;
import io.maestro.provenance.LogId;
import io.maestro.provenance.ReceiptDraft;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.provenance.Receipts;
import io.maestro.server.auth.Governed;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.Route;
import io.maestro.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Metered events and usage over HTTP, thin over {@link Metering}. The tenant is always the one the
 * policy gate established ({@link Governed#requireTenant()}); bad parameters are 422 problems with
 * the metering module's stable codes.
 */
public final class MeteringService implements ApiService {
  private final Database db;
  private final Metering metering;
  private final Receipts receipts;

  public MeteringService(Database db, Metering metering, Receipts receipts) {
    this.db = db;
    this.metering = metering;
    this.receipts = receipts;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/metering/events", "metering.read", this::events),
        Route.get("/api/metering/events/stream", "metering.read", this::stream),
        Route.get("/api/tenants/{id}/usage", "usage.read", this::usage),
        Route.get("/api/tenants/{id}/usage/export", "export.read", this::export));
  }

  private void events(ServerRequest req, ServerResponse res) {
    Governed governed = Governed.of(req);
    TenantId tenant = governed.requireTenant();
    EventQuery q =
        new EventQuery(
            tenant,
            UsageQuery.instant("from", query(req, "from").orElse(null)),
            UsageQuery.instant("to", query(req, "to").orElse(null)),
            query(req, "type").map(EventType::ofWire),
            query(req, "cursor"),
            query(req, "limit").map(MeteringService::limit).orElse(100));
    EventPage page = db.inTransaction(governed.scope(), tx -> metering.events(tx, q));
    ObjectNode body = HttpJson.MAPPER.createObjectNode();
    ArrayNode arr = body.putArray("events");
    for (var e : page.events()) {
      try {
        arr.add(HttpJson.MAPPER.readTree(MeteringCloudEvents.toJson(e)));
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }
    body.put("next", page.next().orElse(null));
    HttpJson.ok(res, body);
  }

  /** Most events one stream request returns; a client resumes with the cursor it got. */
  static final int STREAM_MAX = 10_000;

  /**
   * The tenant's events after {@code cursor} as CloudEvents NDJSON (one structured JSON event per
   * line, in outbox order), at most {@code limit} (default 1000, at most {@value #STREAM_MAX}). The
   * {@code Maestro-Next-Cursor} header is the cursor to resume from: the position of the last line
   * sent, or the given cursor when nothing new arrived.
   */
  private void stream(ServerRequest req, ServerResponse res) {
    Governed governed = Governed.of(req);
    TenantId tenant = governed.requireTenant();
    long after = query(req, "cursor").map(EventQuery::afterSeq).orElse(0L);
    int limit = query(req, "limit").map(MeteringService::limit).orElse(1000);
    if (limit < 1 || limit > STREAM_MAX) {
      throw MaestroException.of(
          CoreErrors.VALIDATION_FAILED, "limit must be 1-" + STREAM_MAX + " events per request");
    }
    List<io.maestro.metering.StoredEvent> events =
        db.inTransaction(governed.scope(), tx -> metering.eventsAfter(tx, tenant, after, limit));
    StringBuilder ndjson = new StringBuilder(events.size() * 512);
    for (var e : events) {
      ndjson.append(MeteringCloudEvents.toJsonString(e)).append('\n');
    }
    long next = events.isEmpty() ? after : events.get(events.size() - 1).seq();
    res.header(HeaderNames.create("Maestro-Next-Cursor"), Long.toString(next));
    res.header(HeaderNames.CONTENT_TYPE, "application/x-ndjson");
    res.send(ndjson.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private void usage(ServerRequest req, ServerResponse res) {
    Governed governed = Governed.of(req);
    UsageQuery q =
        UsageQuery.parse(
            governed.requireTenant(),
            query(req, "from").orElse(null),
            query(req, "to").orElse(null),
            query(req, "groupBy").orElse(null),
            query(req, "interval").orElse(null));
    UsageReport report = db.inTransaction(governed.scope(), tx -> metering.usage(tx, q));
    HttpJson.ok(res, usageJson(report, metering.priceBook().version()));
  }

  /**
   * A deterministic export of the window; its snapshot id and SHA-256 are in the headers and in a
   * {@code usage.exported} receipt written in the transaction that read the usage.
   */
  private void export(ServerRequest req, ServerResponse res) {
    Governed governed = Governed.of(req);
    TenantId tenant = governed.requireTenant();
    UsageExport.Format format = UsageExport.Format.parse(query(req, "format").orElse("csv"));
    UsageQuery q =
        UsageExport.query(tenant, query(req, "from").orElse(null), query(req, "to").orElse(null));
    UsageExport export =
        db.inTransaction(
            governed.scope(),
            tx -> {
              UsageExport e = UsageExport.of(metering.usage(tx, q), format);
              ObjectNode payload =
                  HttpJson.MAPPER
                      .createObjectNode()
                      .put("from", q.from().toString())
                      .put("to", q.to().toString())
                      .put("format", format.name().toLowerCase(Locale.ROOT))
                      .put("snapshot_id", e.snapshotId())
                      .put("sha256", e.sha256())
                      .put("lines", e.lines());
              receipts.append(
                  tx,
                  ReceiptDraft.of(
                          LogId.tenant(tenant),
                          ReceiptTypes.USAGE_EXPORTED,
                          governed.actor(),
                          "usage.export",
                          ReceiptDraft.Subject.of("usage", e.snapshotId()))
                      .withDecision(governed.decision())
                      .withPayload(payload));
              return e;
            });
    res.header(HeaderNames.create("X-Maestro-Snapshot-Id"), export.snapshotId());
    res.header(HeaderNames.create("X-Maestro-SHA256"), export.sha256());
    res.header(HeaderNames.CONTENT_TYPE, format.contentType());
    res.send(export.body());
  }

  /** The usage report as the API and {@code maestro usage --format json} show it. */
  static JsonNode usageJson(UsageReport r, String priceBook) {
    ObjectNode body = HttpJson.MAPPER.createObjectNode();
    body.put("tenant", r.query().tenant().value());
    body.put("from", r.from().toString());
    body.put("to", r.to().toString());
    ArrayNode groupBy = body.putArray("groupBy");
    r.query().groupBy().stream().sorted().forEach(d -> groupBy.add(d.wire()));
    body.put("interval", r.query().interval() == UsageQuery.Interval.DAY ? "day" : null);
    ArrayNode totals = body.putArray("totals");
    r.totals().forEach(l -> totals.add(line(l)));
    ArrayNode breakdown = body.putArray("breakdown");
    r.breakdown().forEach(l -> breakdown.add(line(l)));
    body.put("costUsd", r.costUsd().toPlainString());
    body.put("costUsdRounded", r.costUsdCents().toPlainString());
    body.put("priceBook", priceBook);
    return body;
  }

  private static ObjectNode line(UsageReport.Line l) {
    ObjectNode o = HttpJson.MAPPER.createObjectNode();
    if (l.day() != null) {
      o.put("day", l.day().toString());
    }
    if (l.workflow() != null) {
      o.put("workflow", l.workflow());
    }
    if (l.env() != null) {
      o.put("env", l.env());
    }
    o.put("type", l.type().wire());
    o.put("unit", l.unit());
    o.put("events", l.events());
    o.put("quantity", l.quantity());
    o.put("costUsd", l.costUsd().toPlainString());
    return o;
  }

  private static int limit(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw MaestroException.of(
          CoreErrors.VALIDATION_FAILED, "query parameter 'limit' is not an integer");
    }
  }

  private static Optional<String> query(ServerRequest req, String name) {
    return req.query().contains(name)
        ? Optional.of(req.query().get(name)).filter(s -> !s.isEmpty())
        : Optional.empty();
  }
}
