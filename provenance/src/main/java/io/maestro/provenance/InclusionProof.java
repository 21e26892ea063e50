package io.maestro.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.provenance.internal.Json;
import io.maestro.provenance.merkle.Proofs;
import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 9162 audit path: leaf {@code leafIndex} (= seq − 1) is in the tree of {@code treeSize}.
 */
public record InclusionProof(long leafIndex, long treeSize, List<Hash> hashes) {
  public InclusionProof {
    hashes = List.copyOf(hashes);
  }

  public boolean verify(Hash leafHash, Hash root) {
    return Proofs.verifyInclusion(leafIndex, treeSize, leafHash, hashes, root);
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("leaf_index", leafIndex);
    o.put("tree_size", treeSize);
    var arr = o.putArray("hashes");
    hashes.forEach(h -> arr.add(h.base64()));
    return o;
  }

  public static InclusionProof fromJson(JsonNode o) {
    return new InclusionProof(
        requireLong(o, "leaf_index"), requireLong(o, "tree_size"), hashes(o.get("hashes")));
  }

  static long requireLong(JsonNode o, String name) {
    JsonNode v = o.get(name);
    if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException("proof member '" + name + "' is not an integer");
    }
    return v.longValue();
  }

  static List<Hash> hashes(JsonNode arr) {
    if (arr == null || !arr.isArray()) {
      throw new IllegalArgumentException("proof member 'hashes' is not an array");
    }
    List<Hash> out = new ArrayList<>(arr.size());
    for (JsonNode h : arr) {
      out.add(Hash.fromBase64(h.asText()));
    }
    return out;
  }
}
