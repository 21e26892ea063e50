package io.maestro.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.provenance.internal.Json;
import io.maestro.provenance.merkle.Proofs;
import java.util.List;

/**
 * An RFC 9162 consistency proof: the tree of size {@code from} is a prefix of that of {@code to}.
 */
public record ConsistencyProof(long from, long to, List<Hash> hashes) {
  public ConsistencyProof {
    hashes = List.copyOf(hashes);
  }

  public boolean verify(Hash fromRoot, Hash toRoot) {
    return Proofs.verifyConsistency(from, to, hashes, fromRoot, toRoot);
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("from", from);
    o.put("to", to);
    var arr = o.putArray("hashes");
    hashes.forEach(h -> arr.add(h.base64()));
    return o;
  }

  public static ConsistencyProof fromJson(JsonNode o) {
    return new ConsistencyProof(
        InclusionProof.requireLong(o, "from"),
        InclusionProof.requireLong(o, "to"),
        InclusionProof.hashes(o.get("hashes")));
  }
}
