package io.maestro.provenance.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.provenance.ReceiptJson;
import io.maestro.provenance.internal.Json;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The public keys a verifier trusts, as published at {@code /.well-known/maestro/keys} (a JWKS of
 * Ed25519 {@code OKP} keys). Retired keys stay in the set: they verify what they signed before the
 * rotation. Immutable.
 */
public final class TrustedKeys {
  private final List<PublicKeyInfo> keys;

  private TrustedKeys(List<PublicKeyInfo> keys) {
    this.keys = List.copyOf(keys);
  }

  public static TrustedKeys of(List<PublicKeyInfo> keys) {
    return new TrustedKeys(keys);
  }

  public List<PublicKeyInfo> keys() {
    return keys;
  }

  /** The key a signed-note signature line names (both name and key hash must match). */
  public Optional<PublicKeyInfo> byNameAndHash(String name, int keyHash) {
    return keys.stream().filter(k -> k.name().equals(name) && k.keyHash() == keyHash).findFirst();
  }

  public Optional<PublicKeyInfo> byKeyId(String keyId) {
    return keys.stream().filter(k -> k.keyId().equals(keyId)).findFirst();
  }

  /** The JWKS document ({@code {"keys": [...]}}). */
  public ObjectNode toJwks() {
    ObjectNode doc = Json.object();
    ArrayNode arr = doc.putArray("keys");
    for (PublicKeyInfo k : keys) {
      ObjectNode j = arr.addObject();
      j.put("kty", "OKP");
      j.put("crv", "Ed25519");
      j.put("alg", "EdDSA");
      j.put("use", "sig");
      j.put("kid", k.keyId());
      j.put("x", Base64.getUrlEncoder().withoutPadding().encodeToString(k.publicKey()));
      j.put("maestro_status", k.status().name().toLowerCase(java.util.Locale.ROOT));
      j.put("maestro_created", ReceiptJson.formatTime(k.created()));
      k.retired().ifPresent(t -> j.put("maestro_retired", ReceiptJson.formatTime(t)));
    }
    return doc;
  }

  /**
   * Reads a JWKS. Keys that are not Ed25519, or whose {@code kid} does not match their public key,
   * are rejected rather than skipped: a verifier must not silently trust less than it was given.
   */
  public static TrustedKeys fromJwks(JsonNode jwks) {
    JsonNode arr = jwks.get("keys");
    if (arr == null || !arr.isArray()) {
      throw new IllegalArgumentException("a JWKS has a 'keys' array");
    }
    List<PublicKeyInfo> out = new ArrayList<>();
    for (JsonNode j : arr) {
      if (!"OKP".equals(j.path("kty").asText()) || !"Ed25519".equals(j.path("crv").asText())) {
        throw new IllegalArgumentException("only Ed25519 (OKP) keys are supported");
      }
      String kid = j.path("kid").asText();
      int plus = kid.lastIndexOf('+');
      if (plus <= 0 || kid.length() - plus != 9) {
        throw new IllegalArgumentException("key id is not <name>+<8 hex>: " + kid);
      }
      String name = kid.substring(0, plus);
      byte[] x;
      try {
        x = Base64.getUrlDecoder().decode(j.path("x").asText());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("key " + kid + ": 'x' is not base64url", e);
      }
      PublicKeyInfo.KeyStatus status =
          switch (j.path("maestro_status").asText("active")) {
            case "retired" -> PublicKeyInfo.KeyStatus.RETIRED;
            case "pending" -> PublicKeyInfo.KeyStatus.PENDING;
            default -> PublicKeyInfo.KeyStatus.ACTIVE;
          };
      PublicKeyInfo key =
          PublicKeyInfo.of(
              name,
              x,
              j.has("maestro_created")
                  ? ReceiptJson.parseTime(j.get("maestro_created").asText())
                  : java.time.Instant.EPOCH,
              status,
              j.has("maestro_retired")
                  ? Optional.of(ReceiptJson.parseTime(j.get("maestro_retired").asText()))
                  : Optional.empty());
      if (!key.keyId().equals(kid)) {
        throw new IllegalArgumentException(
            "key id " + kid + " does not match its public key (expected " + key.keyId() + ")");
      }
      out.add(key);
    }
    return new TrustedKeys(out);
  }
}
