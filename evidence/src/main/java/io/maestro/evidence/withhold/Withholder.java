package io.maestro.evidence.withhold;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.json.CanonicalJson;
import io.maestro.core.problem.MaestroException;
import io.maestro.evidence.EvidenceErrors;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Selective disclosure in the style of SD-JWT (RFC 9901): a withheld object member is removed and
 * the SHA-256 of its disclosure {@code base64url([salt, name, value])} is added to the object's
 * {@code _sd} array (sorted, with {@code "_sd_alg": "sha-256"}); a withheld array element becomes
 * {@code {"...": digest}}. A verifier sees that something was withheld and where, but not what. The
 * salt is an HMAC of the tenant's salt key over the run and the member's JSON pointer, so the same
 * pack made twice is the same bytes, and nobody without the key can guess a withheld value.
 */
public final class Withholder {
  public static final String SD = "_sd";
  public static final String SD_ALG = "_sd_alg";
  public static final String ELEMENT = "...";

  private final byte[] saltKey;
  private final String scope;

  /**
   * @param saltKey the tenant's secret salt key
   * @param scope what the salts are bound to (the run id)
   */
  public Withholder(byte[] saltKey, String scope) {
    this.saltKey = saltKey.clone();
    this.scope = scope;
  }

  /** One withhold path and the JSON pointers it withheld. */
  public record Withheld(String path, List<String> pointers) {
    public Withheld {
      pointers = List.copyOf(pointers);
    }
  }

  /**
   * Withholds every path in {@code doc} (in place). A path that matches nothing in the document is
   * an {@code evidence_withhold_unmatched} problem, checked for all paths before anything changes.
   */
  public List<Withheld> apply(ObjectNode doc, List<String> paths) {
    List<JsonPath> parsed = paths.stream().map(JsonPath::parse).toList();
    for (JsonPath p : parsed) {
      if (p.select(doc).isEmpty()) {
        throw MaestroException.of(
            EvidenceErrors.WITHHOLD_UNMATCHED, "withhold '" + p + "' matches nothing in the run");
      }
    }
    List<Withheld> out = new ArrayList<>();
    for (JsonPath p : parsed) {
      List<String> pointers = new ArrayList<>();
      // Last match first, so removing array elements' contents never shifts a later match.
      List<JsonPath.Match> matches = new ArrayList<>(p.select(doc));
      for (JsonPath.Match m : matches.reversed()) {
        withhold(m);
        pointers.add(m.pointer());
      }
      out.add(new Withheld(p.toString(), pointers.reversed()));
    }
    return out;
  }

  private void withhold(JsonPath.Match m) {
    if (m.isMember()) {
      ObjectNode parent = (ObjectNode) m.parent();
      JsonNode value = parent.remove(m.member());
      ArrayNode disclosure = JsonNodeFactory.instance.arrayNode();
      disclosure.add(salt(m.pointer())).add(m.member()).add(value);
      TreeSet<String> digests = new TreeSet<>();
      parent.path(SD).forEach(d -> digests.add(d.asText()));
      digests.add(digest(disclosure));
      ArrayNode sd = parent.putArray(SD);
      digests.forEach(sd::add);
      parent.put(SD_ALG, "sha-256");
    } else {
      ArrayNode parent = (ArrayNode) m.parent();
      ArrayNode disclosure = JsonNodeFactory.instance.arrayNode();
      disclosure.add(salt(m.pointer())).add(parent.get(m.index()));
      ObjectNode marker = JsonNodeFactory.instance.objectNode().put(ELEMENT, digest(disclosure));
      parent.set(m.index(), marker);
    }
  }

  private String salt(String pointer) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(saltKey, "HmacSHA256"));
      byte[] full = mac.doFinal((scope + "\n" + pointer).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(full, 16));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The SD-JWT digest of a disclosure array: base64url(SHA-256(base64url(canonical JSON))). */
  static String digest(ArrayNode disclosure) {
    String encoded =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(CanonicalJson.canonicalize(disclosure));
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256").digest(encoded.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
