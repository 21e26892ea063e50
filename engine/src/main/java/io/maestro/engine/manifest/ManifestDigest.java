package io.maestro.engine.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.core.json.Json;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The identity of a manifest: {@code sha256:<hex>} of its canonical JSON with object keys sorted,
 * so the same workflow written in YAML or JSON, in any key order, has the same digest.
 */
public final class ManifestDigest {
  private static final ObjectMapper SORTED = Json.SORTED;

  private ManifestDigest() {}

  public static String of(Manifest m) {
    return of(m.canonical());
  }

  public static String of(JsonNode canonical) {
    try {
      Object tree = SORTED.convertValue(canonical, Object.class);
      byte[] bytes = SORTED.writeValueAsBytes(tree);
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "sha256:" + HexFormat.of().formatHex(hash);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot digest a manifest", e);
    }
  }

  /** The canonical JSON text that is stored for a manifest (sorted keys, compact). */
  public static String canonicalText(Manifest m) {
    try {
      return SORTED.writeValueAsString(SORTED.convertValue(m.canonical(), Object.class));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render a manifest", e);
    }
  }
}
