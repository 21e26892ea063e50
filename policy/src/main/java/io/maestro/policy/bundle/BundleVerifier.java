package io.maestro.policy.bundle;

import static io.maestro.policy.bundle.BundleVerificationException.Failure.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import io.maestro.core.json.Json;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Verifies a bundle's {@code .signatures.json} as OPA does: exactly one JWS; the key chosen by the
 * configured key id, else the header's {@code kid}, else the deprecated {@code keyid} claim; the
 * signature checked with that key and only that key's algorithm; the {@code scope} claim equal to
 * the configured scope; and the signed file list equal to the bundle's files, digest for digest.
 */
public final class BundleVerifier {
  private static final ObjectMapper JSON = Json.MAPPER;

  private BundleVerifier() {}

  /** A public key trusted to sign bundles, with the algorithm it must be used with. */
  public record TrustedKey(SignatureAlgorithm algorithm, PublicKey key, Optional<String> scope) {
    public TrustedKey {
      Objects.requireNonNull(algorithm);
      Objects.requireNonNull(key);
      if (!algorithm.keyType().equals(Keys.keyType(key))) {
        throw Keys.invalid("a " + Keys.keyType(key) + " key cannot verify " + algorithm);
      }
    }

    public static TrustedKey of(PublicKey key) {
      String type = Keys.keyType(key);
      SignatureAlgorithm alg =
          switch (type) {
            case "RSA" -> SignatureAlgorithm.RS256;
            case "EC" -> {
              int bits = ((ECPublicKey) key).getParams().getCurve().getField().getFieldSize();
              yield bits <= 256
                  ? SignatureAlgorithm.ES256
                  : bits <= 384 ? SignatureAlgorithm.ES384 : SignatureAlgorithm.ES512;
            }
            default -> SignatureAlgorithm.EdDSA;
          };
      return new TrustedKey(alg, key, Optional.empty());
    }
  }

  /**
   * @param keys trusted keys by key id
   * @param keyId when present, the key to use whatever the token says (OPA's configured keyid)
   * @param scope the scope the token must carry; empty means the key's scope, or none
   */
  public record Config(
      Map<String, TrustedKey> keys, Optional<String> keyId, Optional<String> scope) {
    public Config {
      keys = Map.copyOf(keys);
    }

    public static Config of(String keyId, TrustedKey key) {
      return new Config(Map.of(keyId, key), Optional.empty(), Optional.empty());
    }

    public Config withScope(String s) {
      return new Config(keys, keyId, Optional.of(s));
    }

    /**
     * Trusted keys read from PEM files (public keys or certificates), by key id; each key's
     * algorithm follows from its type (RS256, ES256/384/512 by curve, EdDSA).
     */
    public static Config fromPemFiles(
        Map<String, java.nio.file.Path> keys, Optional<String> scope) {
      Map<String, TrustedKey> trusted = new LinkedHashMap<>();
      keys.forEach((id, path) -> trusted.put(id, TrustedKey.of(Keys.readPublicKey(path))));
      return new Config(trusted, Optional.empty(), scope);
    }
  }

  /** What a successful verification established. */
  public record Verified(
      String keyId, SignatureAlgorithm algorithm, String scope, List<String> files) {
    public Verified {
      files = List.copyOf(files);
    }
  }

  /** Verifies {@code bundle}; throws {@link BundleVerificationException} on any failure. */
  public static Verified verify(Bundle bundle, Config config) {
    Signatures sigs =
        bundle
            .signatures()
            .orElseThrow(
                () ->
                    new BundleVerificationException(
                        SIGNATURE_MISSING, bundle.name() + ": bundle has no .signatures.json"));
    if (sigs.tokens().size() != 1) {
      throw new BundleVerificationException(
          SIGNATURE_MALFORMED,
          bundle.name()
              + ": .signatures.json must hold exactly one JWT, found "
              + sigs.tokens().size());
    }
    JWSObject jws;
    JsonNode payload;
    try {
      jws = JWSObject.parse(sigs.tokens().get(0));
      payload = JSON.readTree(jws.getPayload().toString());
    } catch (ParseException | java.io.IOException e) {
      throw new BundleVerificationException(
          SIGNATURE_MALFORMED, bundle.name() + ": .signatures.json: not a JWS: " + e.getMessage());
    }
    if (payload == null || !payload.path("files").isArray()) {
      throw new BundleVerificationException(
          SIGNATURE_MALFORMED, bundle.name() + ": the signature has no files claim");
    }

    String keyId = config.keyId().orElse(null);
    if (keyId == null || keyId.isEmpty()) {
      keyId = jws.getHeader().getKeyID();
    }
    if (keyId == null || keyId.isEmpty()) {
      keyId = payload.path("keyid").asText("");
    }
    if (keyId.isEmpty()) {
      throw new BundleVerificationException(
          UNKNOWN_KEY_ID, bundle.name() + ": the signature names no key id");
    }
    TrustedKey key = config.keys().get(keyId);
    if (key == null) {
      throw new BundleVerificationException(
          UNKNOWN_KEY_ID, bundle.name() + ": signed with unknown key id '" + keyId + "'");
    }
    JWSAlgorithm alg = jws.getHeader().getAlgorithm();
    boolean algOk =
        alg.equals(key.algorithm().jws())
            || (key.algorithm() == SignatureAlgorithm.EdDSA && alg.getName().equals("Ed25519"));
    if (!algOk) {
      throw new BundleVerificationException(
          ALGORITHM_MISMATCH,
          bundle.name()
              + ": signed with "
              + alg
              + " but key '"
              + keyId
              + "' is configured for "
              + key.algorithm());
    }
    try {
      if (!jws.verify(verifier(key))) {
        throw new BundleVerificationException(
            BAD_SIGNATURE,
            bundle.name() + ": the signature does not verify with key '" + keyId + "'");
      }
    } catch (JOSEException e) {
      throw new BundleVerificationException(
          BAD_SIGNATURE, bundle.name() + ": the signature does not verify: " + e.getMessage());
    }

    String wantScope = config.scope().or(key::scope).orElse("");
    String gotScope = payload.path("scope").asText("");
    if (!wantScope.equals(gotScope)) {
      throw new BundleVerificationException(
          SCOPE_MISMATCH,
          bundle.name()
              + ": scope mismatch: signed '"
              + gotScope
              + "', expected '"
              + wantScope
              + "'");
    }

    Map<String, JsonNode> signed = new LinkedHashMap<>();
    for (JsonNode f : payload.get("files")) {
      signed.put(f.path("name").asText(""), f);
    }
    List<String> checked = new ArrayList<>();
    for (String path : bundle.paths()) {
      JsonNode f = signed.remove(path);
      if (f == null) {
        throw new BundleVerificationException(
            FILE_NOT_SIGNED,
            bundle.name() + ": file " + path + " is not included in the signature");
      }
      String algName = f.path("algorithm").asText("");
      HashAlgorithm hash = HashAlgorithm.fromOpaName(algName);
      if (hash == null) {
        throw new BundleVerificationException(
            UNSUPPORTED_HASH,
            bundle.name() + ": " + path + ": unsupported hashing algorithm '" + algName + "'");
      }
      String want = f.path("hash").asText("");
      String got = FileHasher.hash(path, bundle.file(path).orElseThrow(), hash);
      if (!want.equalsIgnoreCase(got)) {
        throw new BundleVerificationException(
            DIGEST_MISMATCH,
            bundle.name()
                + ": "
                + path
                + ": digest mismatch (signed "
                + want
                + ", got "
                + got
                + ")");
      }
      checked.add(path);
    }
    if (!signed.isEmpty()) {
      throw new BundleVerificationException(
          FILE_MISSING,
          bundle.name()
              + ": file(s) "
              + new TreeSet<>(signed.keySet())
              + " listed in the signature but not found in the bundle");
    }
    return new Verified(keyId, key.algorithm(), gotScope, checked);
  }

  private static JWSVerifier verifier(TrustedKey key) throws JOSEException {
    return switch (key.algorithm().keyType()) {
      case "RSA" -> new RSASSAVerifier((RSAPublicKey) key.key());
      case "EC" -> new ECDSAVerifier((ECPublicKey) key.key());
      default ->
          new Ed25519Verifier(
              new OctetKeyPair.Builder(
                      Curve.Ed25519, Base64URL.encode(Keys.rawEd25519Public(key.key())))
                  .build());
    };
  }
}
