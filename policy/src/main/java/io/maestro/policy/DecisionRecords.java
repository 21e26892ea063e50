package io.maestro.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Decision;
import io.maestro.core.json.Json;
import io.maestro.store.Tx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Decision records in the database ({@code policy_decisions}). {@link #insert} writes one in the
 * caller's transaction, so an action and the decision that allowed it commit together; {@link
 * JdbcDecisionLog} writes the operational stream in batches. Decisions about no tenant are kept
 * under {@link #PLATFORM}.
 */
public final class DecisionRecords {
  /** The tenant id of decisions that concern no tenant. */
  public static final String PLATFORM = "_platform";

  private static final ObjectMapper JSON = Json.MAPPER;

  private DecisionRecords() {}

  /** Inserts {@code e}; a second insert of the same decision id is ignored. */
  public static void insert(Tx tx, DecisionLogEntry e) {
    Decision d = e.decision();
    tx.update(
        "INSERT INTO policy_decisions (tenant_id, decision_id, decided_at, path, allowed, result,"
            + " input, input_digest, erased, masked, bundle_name, bundle_revision, duration_ns,"
            + " bundles) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        e.tenantId().orElse(PLATFORM),
        d.id(),
        d.time(),
        d.path(),
        d.allow(),
        new Tx.Json(d.resultJson().toString()),
        e.maskedInput() == null ? null : new Tx.Json(e.maskedInput().toString()),
        d.inputDigest(),
        new Tx.Json(JSON.valueToTree(e.erased()).toString()),
        new Tx.Json(JSON.valueToTree(e.masked()).toString()),
        e.bundles().keySet().stream().findFirst().orElse("none"),
        d.bundleRevision(),
        e.evaluation().toNanos(),
        new Tx.Json(JSON.valueToTree(e.bundles()).toString()));
  }

  /**
   * Records a request's result beside its decision; a second record for the same decision is
   * ignored (the first answer is the one the client got).
   */
  public static void insertResult(Tx tx, RequestResult r) {
    tx.update(
        "INSERT INTO policy_request_results (tenant_id, decision_id, status) VALUES (?, ?, ?)"
            + " ON CONFLICT DO NOTHING",
        r.tenantId(),
        r.decisionId(),
        r.status());
  }

  /**
   * Erases the recorded inputs of at most {@code limit} decisions about {@code tenantId} made
   * before {@code before} (the oldest first): one bounded batch of a retention job. The decision,
   * its result and its {@code input_digest} stay, so a receipt that names the decision still
   * matches it. Returns one item per erased input, its digest being the input's.
   */
  public static List<io.maestro.core.purge.PurgedItem> eraseInputs(
      Tx tx, String tenantId, Instant before, int limit) {
    List<io.maestro.core.purge.PurgedItem> items =
        tx.query(
            "SELECT decision_id, input_digest FROM policy_decisions WHERE tenant_id = ?"
                + " AND input IS NOT NULL AND decided_at < ? ORDER BY decided_at, decision_id"
                + " LIMIT "
                + Math.max(1, limit),
            rs ->
                new io.maestro.core.purge.PurgedItem(
                    "decision_inputs", rs.getString(1), rs.getString(2)),
            tenantId,
            before);
    for (io.maestro.core.purge.PurgedItem i : items) {
      tx.update(
          "UPDATE policy_decisions SET input = NULL WHERE tenant_id = ? AND decision_id = ?",
          tenantId,
          i.key());
    }
    return items;
  }

  /** A stored decision as its OPA decision-log event. */
  public static Optional<ObjectNode> find(Tx tx, String tenantId, String decisionId) {
    return tx.queryOne(
        "SELECT * FROM policy_decisions WHERE tenant_id = ? AND decision_id = ?",
        DecisionRecords::event,
        tenantId,
        decisionId);
  }

  /** The tenant's most recent decisions, newest first. */
  public static List<ObjectNode> recent(Tx tx, String tenantId, int limit) {
    return tx.query(
        "SELECT * FROM policy_decisions WHERE tenant_id = ? ORDER BY decided_at DESC, decision_id"
            + " DESC LIMIT ?",
        DecisionRecords::event,
        tenantId,
        limit);
  }

  /**
   * The tenant's decisions made in {@code [from, to)}, oldest first (by time, then id), at most
   * {@code limit} after the cursor {@code (afterTime, afterId)} — pass nulls for the first page.
   */
  public static List<ObjectNode> between(
      Tx tx,
      String tenantId,
      Instant from,
      Instant to,
      Instant afterTime,
      String afterId,
      int limit) {
    // Each decision with the result of the request it was made for, when one was recorded
    // (decisions made inside a request or by the server itself have none).
    String select =
        "SELECT d.*, r.status AS http_status FROM policy_decisions d LEFT JOIN"
            + " policy_request_results r ON r.tenant_id = d.tenant_id AND r.decision_id ="
            + " d.decision_id WHERE d.tenant_id = ? AND d.decided_at >= ? AND d.decided_at < ?";
    if (afterTime == null) {
      return tx.query(
          select + " ORDER BY d.decided_at, d.decision_id LIMIT ?",
          DecisionRecords::eventWithResult,
          tenantId,
          from,
          to,
          limit);
    }
    return tx.query(
        select
            + " AND (d.decided_at > ? OR (d.decided_at = ? AND d.decision_id > ?))"
            + " ORDER BY d.decided_at, d.decision_id LIMIT ?",
        DecisionRecords::eventWithResult,
        tenantId,
        from,
        to,
        afterTime,
        afterTime,
        afterId,
        limit);
  }

  /** The event, plus {@code http_status} when the request's result was recorded. */
  private static ObjectNode eventWithResult(ResultSet rs) throws SQLException {
    ObjectNode o = event(rs);
    int status = rs.getInt("http_status");
    if (!rs.wasNull()) {
      o.put("http_status", status);
    }
    return o;
  }

  private static ObjectNode event(ResultSet rs) throws SQLException {
    ObjectNode o = JSON.createObjectNode();
    o.put("decision_id", rs.getString("decision_id"));
    o.put("path", rs.getString("path"));
    String input = rs.getString("input");
    if (input != null) {
      o.set("input", parse(input));
    }
    o.set("result", parse(rs.getString("result")));
    ObjectNode bundles = o.putObject("bundles");
    String all = rs.getString("bundles");
    if (all != null) {
      parse(all)
          .properties()
          .forEach(b -> bundles.putObject(b.getKey()).put("revision", b.getValue().asText()));
    } else {
      bundles
          .putObject(rs.getString("bundle_name"))
          .put("revision", rs.getString("bundle_revision"));
    }
    Instant at = Tx.instant(rs, "decided_at");
    o.put("timestamp", at.toString());
    o.putObject("metrics").put("timer_rego_query_eval_ns", rs.getLong("duration_ns"));
    JsonNode erased = parse(rs.getString("erased"));
    if (erased.size() > 0) {
      o.set("erased", (ArrayNode) erased);
    }
    JsonNode masked = parse(rs.getString("masked"));
    if (masked.size() > 0) {
      o.set("masked", (ArrayNode) masked);
    }
    o.put("input_digest", rs.getString("input_digest"));
    o.put("tenant_id", rs.getString("tenant_id"));
    return o;
  }

  private static JsonNode parse(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
