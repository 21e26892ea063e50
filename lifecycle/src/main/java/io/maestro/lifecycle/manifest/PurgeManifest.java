package io.maestro.lifecycle.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.json.CanonicalJson;
import io.maestro.core.purge.PurgedItem;
import io.maestro.provenance.Checkpoint;
import io.maestro.provenance.Hash;
import io.maestro.provenance.ReceiptLog;
import io.maestro.provenance.attest.Dsse;
import io.maestro.provenance.keys.PublicKeyInfo;
import io.maestro.provenance.keys.Signer;
import io.maestro.provenance.keys.TrustedKeys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The signed record of one executed purge: what was deleted (data classes, counts, each item's key
 * and digest), a Merkle root over the items' digests, the tenant log's signed checkpoint and tree
 * head before and its tree head after, and who requested and approved it under which decisions.
 * Signed as a DSSE envelope with the server's checkpoint key, so {@code maestro purge manifest
 * verify} needs only the public keys ({@code /.well-known/maestro/keys}).
 */
public final class PurgeManifest {
  public static final String PAYLOAD_TYPE = "application/vnd.maestro.purge-manifest+json";
  public static final String FORMAT = "maestro.purge-manifest/v1";

  private PurgeManifest() {}

  /** Items in manifest order: by data class, then key. The Merkle tree is over this order. */
  public static List<PurgedItem> ordered(List<PurgedItem> items) {
    List<PurgedItem> sorted = new ArrayList<>(items);
    sorted.sort(Comparator.comparing(PurgedItem::dataClass).thenComparing(PurgedItem::key));
    return List.copyOf(sorted);
  }

  /** Item counts per data class, in class order. */
  public static Map<String, Long> counts(List<PurgedItem> items) {
    Map<String, Long> counts = new TreeMap<>();
    items.forEach(i -> counts.merge(i.dataClass(), 1L, Long::sum));
    return counts;
  }

  /** The Merkle root over the items' digests, in manifest order. */
  public static Hash root(List<PurgedItem> ordered) {
    return MerkleRoot.of(ordered.stream().map(PurgedItem::digest).toList());
  }

  /** The manifest document; {@code header} carries the purge's own fields (id, tenant, people). */
  public static ObjectNode build(
      ObjectNode header,
      List<PurgedItem> items,
      Optional<Checkpoint> checkpointBefore,
      ReceiptLog.TreeHead before,
      ReceiptLog.TreeHead after) {
    List<PurgedItem> ordered = ordered(items);
    ObjectNode m = JsonNodeFactory.instance.objectNode();
    m.put("format", FORMAT);
    m.setAll(header);
    ObjectNode classes = m.putObject("classes");
    counts(ordered).forEach((k, v) -> classes.put(k, v));
    m.put("item_count", ordered.size());
    m.put("merkle_root", root(ordered).toString());
    ArrayNode list = m.putArray("items");
    for (PurgedItem i : ordered) {
      list.addObject().put("class", i.dataClass()).put("key", i.key()).put("digest", i.digest());
    }
    ObjectNode log = m.putObject("log");
    checkpointBefore.ifPresent(
        c ->
            log.putObject("checkpoint_before")
                .put("size", c.size())
                .put("root", c.root().toString())
                .put("note", c.note()));
    log.putObject("before").put("size", before.size()).put("root", before.root().toString());
    log.putObject("after").put("size", after.size()).put("root", after.root().toString());
    return m;
  }

  /** The manifest signed by {@code signer}, as a DSSE envelope over its canonical JSON. */
  public static Dsse.Envelope sign(ObjectNode manifest, Signer signer) {
    return Dsse.sign(
        PAYLOAD_TYPE,
        CanonicalJson.toCanonicalString(manifest).getBytes(StandardCharsets.UTF_8),
        signer);
  }

  /** {@code sha256:<hex>} of the envelope's payload: the digest the receipts record. */
  public static String digest(Dsse.Envelope envelope) {
    return Hash.sha256(envelope.payload()).toString();
  }

  /** What a verified manifest says. */
  public record Verified(
      PublicKeyInfo key, JsonNode manifest, Map<String, Long> counts, Hash merkleRoot) {}

  /**
   * Verifies a manifest envelope offline: the signature by a trusted key, the payload type and
   * format, that every class count equals the items listed, and that the Merkle root is the one
   * over the items' digests.
   *
   * @throws IllegalArgumentException naming the first check that fails
   */
  public static Verified verify(JsonNode envelopeJson, TrustedKeys keys) {
    Dsse.Envelope env = Dsse.Envelope.fromJson(envelopeJson);
    if (!PAYLOAD_TYPE.equals(env.payloadType())) {
      throw new IllegalArgumentException("not a purge manifest: payload type " + env.payloadType());
    }
    PublicKeyInfo key = Dsse.verify(env, keys);
    JsonNode m = CanonicalJson.parse(new String(env.payload(), StandardCharsets.UTF_8));
    if (!FORMAT.equals(m.path("format").asText())) {
      throw new IllegalArgumentException("unknown manifest format " + m.path("format"));
    }
    List<PurgedItem> items = new ArrayList<>();
    for (JsonNode i : m.path("items")) {
      items.add(
          new PurgedItem(
              i.path("class").asText(), i.path("key").asText(), i.path("digest").asText()));
    }
    if (!ordered(items).equals(items)) {
      throw new IllegalArgumentException("the items are not in manifest order");
    }
    Map<String, Long> counts = counts(items);
    Map<String, Long> stated = new TreeMap<>();
    m.path("classes").properties().forEach(e -> stated.put(e.getKey(), e.getValue().asLong()));
    if (!counts.equals(stated) || m.path("item_count").asLong() != items.size()) {
      throw new IllegalArgumentException(
          "the counts " + stated + " do not match the items listed " + counts);
    }
    Hash root = root(items);
    if (!root.toString().equals(m.path("merkle_root").asText())) {
      throw new IllegalArgumentException(
          "the Merkle root "
              + m.path("merkle_root").asText()
              + " is not the root over the items' digests ("
              + root
              + ")");
    }
    return new Verified(key, m, counts, root);
  }
}
