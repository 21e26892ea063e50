package io.maestro.metering;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.json.Json;
import io.maestro.core.problem.MaestroException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A deterministic usage export (format {@code maestro.usage.v1}): the same usage report always
 * renders to the same bytes, so the same window exported twice is byte-identical (as long as no
 * event of the window arrives in between), and its SHA-256 and snapshot id identify it.
 *
 * <p>CSV: a header line and one line per UTC day, workflow, environment and event type, sorted in
 * that order ({@code day,workflow,env,type,unit,events,quantity,cost_usd}; costs exact to nine
 * places). JSON: tenant, window, the totals per type, the same lines, and the exact total cost.
 *
 * @param snapshotId {@code usage_} and the first 24 hex digits of the SHA-256
 * @param sha256 the hex SHA-256 of {@code body}
 */
public record UsageExport(Format format, String snapshotId, String sha256, int lines, byte[] body) {
  private static final ObjectMapper JSON = Json.MAPPER;

  public enum Format {
    CSV("text/csv; charset=utf-8"),
    JSON("application/json");

    private final String contentType;

    Format(String contentType) {
      this.contentType = contentType;
    }

    public String contentType() {
      return contentType;
    }

    /**
     * {@code csv} or {@code json}; anything else is a {@code usage_export_format_invalid} problem.
     */
    public static Format parse(String value) {
      if ("csv".equals(value)) {
        return CSV;
      }
      if ("json".equals(value)) {
        return JSON;
      }
      throw new MaestroException(
          MeteringErrors.BAD_EXPORT_FORMAT, "format must be csv or json, not '" + value + "'");
    }
  }

  public UsageExport {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(snapshotId, "snapshotId");
    Objects.requireNonNull(sha256, "sha256");
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The query an export of a window runs: grouped by workflow and env, one line per day. */
  public static UsageQuery query(io.maestro.core.TenantId tenant, String from, String to) {
    return UsageQuery.parse(tenant, from, to, "workflow,env", "day");
  }

  /** Renders a report of {@link #query} in {@code format}. */
  public static UsageExport of(UsageReport report, Format format) {
    byte[] body =
        switch (format) {
          case CSV -> csv(report);
          case JSON -> json(report);
        };
    String sha = PriceBook.sha256(body);
    return new UsageExport(
        format, "usage_" + sha.substring(0, 24), sha, report.breakdown().size(), body);
  }

  private static byte[] csv(UsageReport r) {
    StringBuilder sb = new StringBuilder("day,workflow,env,type,unit,events,quantity,cost_usd\n");
    for (UsageReport.Line l : r.breakdown()) {
      sb.append(l.day())
          .append(',')
          .append(cell(l.workflow()))
          .append(',')
          .append(cell(l.env()))
          .append(',')
          .append(l.type().wire())
          .append(',')
          .append(l.unit())
          .append(',')
          .append(l.events())
          .append(',')
          .append(l.quantity())
          .append(',')
          .append(money(l))
          .append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] json(UsageReport r) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", "maestro.usage.v1");
    root.put("tenant", r.query().tenant().value());
    root.put("from", r.from().toString());
    root.put("to", r.to().toString());
    ArrayNode totals = root.putArray("totals");
    for (UsageReport.Line l : r.totals()) {
      totals
          .addObject()
          .put("type", l.type().wire())
          .put("unit", l.unit())
          .put("events", l.events())
          .put("quantity", l.quantity())
          .put("cost_usd", money(l));
    }
    ArrayNode lines = root.putArray("lines");
    for (UsageReport.Line l : r.breakdown()) {
      lines
          .addObject()
          .put("day", l.day().toString())
          .put("workflow", l.workflow())
          .put("env", l.env())
          .put("type", l.type().wire())
          .put("unit", l.unit())
          .put("events", l.events())
          .put("quantity", l.quantity())
          .put("cost_usd", money(l));
    }
    root.put("cost_usd", r.costUsd().setScale(PriceBook.COST_SCALE).toPlainString());
    try {
      return (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  private static String money(UsageReport.Line l) {
    return l.costUsd().setScale(PriceBook.COST_SCALE).toPlainString();
  }

  /**
   * Workflow and environment names cannot hold commas or quotes today; quote them if they ever do.
   */
  private static String cell(String v) {
    return v.contains(",") || v.contains("\"") || v.contains("\n")
        ? "\"" + v.replace("\"", "\"\"") + "\""
        : v;
  }
}
