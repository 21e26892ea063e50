package io.maestro.console.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.console.api.ApiClient;
import io.maestro.provenance.Hash;
import io.maestro.provenance.merkle.MerkleHash;
import io.maestro.provenance.merkle.Proofs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's receipts (the run's and its steps') from the tenant's receipt log ({@code GET
 * /api/receipts?run=…&proofs=true}), each with its inclusion proof checked here against the latest
 * signed checkpoint's root.
 */
public final class RunReceipts {
  /** At most this many receipts of one run get their proof fetched and checked on one page. */
  static final int MAX = 60;

  private RunReceipts() {}

  /** One receipt and its verification state. */
  public record Checked(JsonNode receipt, String state, boolean verified) {}

  static List<Checked> load(ApiClient api, String run) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("run", run);
    q.put("limit", String.valueOf(MAX));
    q.put("proofs", "true");
    // One request: the run's receipts through the log's subject index, each with its digest and
    // inclusion proof under the latest checkpoint, which comes with them.
    JsonNode page = api.get(ApiClient.query("/api/receipts", q));
    JsonNode checkpoint = page.path("checkpoint");
    JsonNode receipts = page.path("receipts");
    JsonNode proofs = page.path("proofs");
    List<Checked> out = new ArrayList<>();
    for (int i = 0; i < receipts.size(); i++) {
      JsonNode p = proofs.path(i);
      ObjectNode full = JsonNodeFactory.instance.objectNode();
      full.set("receipt", receipts.get(i));
      full.set("digest", p.path("digest"));
      full.set("proof", p.path("proof"));
      out.add(checkpoint.isObject() ? check(full, checkpoint) : unproven(receipts.get(i)));
    }
    return List.copyOf(out);
  }

  private static Checked unproven(JsonNode receipt) {
    return new Checked(receipt, "awaiting the first checkpoint", false);
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
