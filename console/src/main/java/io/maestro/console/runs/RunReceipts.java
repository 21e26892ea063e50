package io.maestro.console.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.console.api.ApiClient;
import io.maestro.provenance.Hash;
import io.maestro.provenance.merkle.MerkleHash;
import io.maestro.provenance.merkle.Proofs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's receipts (the run's and its steps') from the tenant's receipt log, each with its
 * inclusion proof checked here against the latest signed checkpoint's root.
 */
public final class RunReceipts {
  /** At most this many receipts of one run get their proof fetched and checked on one page. */
  static final int MAX = 60;

  private static final int SCAN_PAGES = 4;

  private RunReceipts() {}

  /** One receipt and its verification state. */
  public record Checked(JsonNode receipt, String state, boolean verified) {}

  static List<Checked> load(ApiClient api, JsonNode run) {
    String runId = run.path("id").asText();
    Instant created = Instant.parse(run.path("createdAt").asText());
    Instant end =
        run.hasNonNull("finishedAt")
            ? Instant.parse(run.path("finishedAt").asText()).plusSeconds(5)
            : Instant.MAX;
    List<JsonNode> mine = new ArrayList<>();
    String after = "";
    scan:
    for (int page = 0; page < SCAN_PAGES; page++) {
      Map<String, String> q = new LinkedHashMap<>();
      q.put("since", created.minusSeconds(5).toString());
      q.put("after", after);
      q.put("limit", "500");
      JsonNode p = api.get(ApiClient.query("/api/receipts", q));
      for (JsonNode r : p.path("receipts")) {
        if (Instant.parse(r.path("time").asText()).isAfter(end)) {
          break scan;
        }
        String subject = r.path("subject").path("id").asText();
        if (subject.equals(runId) || subject.startsWith(runId + "/")) {
          mine.add(r);
          if (mine.size() == MAX) {
            break scan;
          }
        }
      }
      if (p.path("next_after").isNull() || p.path("next_after").isMissingNode()) {
        break;
      }
      after = p.path("next_after").asText();
    }
    if (mine.isEmpty()) {
      return List.of();
    }
    JsonNode checkpoint = api.get("/api/checkpoints/latest");
    List<Checked> out = new ArrayList<>();
    for (JsonNode r : mine) {
      JsonNode full = api.get("/api/receipts/" + ApiClient.seg(r.path("id").asText()));
      out.add(check(full, checkpoint));
    }
    return List.copyOf(out);
  }

  /**
   * Checks {@code full}'s inclusion proof ({@code GET /api/receipts/{id}}) against a checkpoint.
   */
  public static Checked check(JsonNode full, JsonNode checkpoint) {
    JsonNode receipt = full.path("receipt");
    JsonNode proof = full.path("proof");
    if (!proof.isObject()) {
      return new Checked(receipt, "awaiting the next checkpoint", false);
    }
    long size = proof.path("tree_size").asLong();
    if (size != checkpoint.path("size").asLong()) {
      return new Checked(
          receipt,
          "proof for tree size " + size + ", checkpoint is " + checkpoint.path("size").asLong(),
          false);
    }
    List<Hash> path = new ArrayList<>();
    proof.path("hashes").forEach(h -> path.add(Hash.fromBase64(h.asText())));
    boolean ok =
        Proofs.verifyInclusion(
            proof.path("leaf_index").asLong(),
            size,
            MerkleHash.leaf(Hash.parse(full.path("digest").asText())),
            path,
            Hash.fromBase64(checkpoint.path("root").asText()));
    return new Checked(
        receipt,
        ok
            ? "verified: included in checkpoint " + size
            : "NOT VERIFIED: proof does not match checkpoint " + size,
        ok);
  }
}
