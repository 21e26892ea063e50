package io.maestro.policy.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import io.maestro.core.json.Json;
import java.security.interfaces.ECPrivateKey;
import java.util.Map;
import java.util.Optional;

/**
 * Signs bundles the way {@code opa sign} does: one compact JWS in {@code .signatures.json} whose
 * payload lists every other file with its hash ({@code files}), plus an optional {@code scope} and
 * extra claims; the key id goes in the JWS header ({@code kid}).
 */
public final class BundleSigner {
  private static final ObjectMapper JSON = Json.MAPPER;

  private BundleSigner() {}

  /**
   * @param keyId written as the header's {@code kid}; verifiers look the key up by it
   * @param scope written as the {@code scope} claim when present
   * @param claims further claims, e.g. {@code iss} or {@code iat} (caller supplies the time)
   */
  public record Options(
      Optional<String> keyId, Optional<String> scope, Map<String, Object> claims) {
    public Options {
      claims = Map.copyOf(claims);
    }

    public static Options keyId(String keyId) {
      return new Options(Optional.of(keyId), Optional.empty(), Map.of());
    }

    public Options withScope(String s) {
      return new Options(keyId, Optional.of(s), claims);
    }
  }

  /** Returns {@code bundle} with a fresh signature over all its files. */
  public static Bundle sign(Bundle bundle, Keys.SigningKey key, Options options) {
    ObjectNode payload = JSON.createObjectNode();
    ArrayNode files = payload.putArray("files");
    for (String path : bundle.paths()) {
      ObjectNode f = files.addObject();
      f.put("name", path);
      f.put("hash", FileHasher.hash(path, bundle.file(path).orElseThrow(), HashAlgorithm.SHA256));
      f.put("algorithm", HashAlgorithm.SHA256.opaName());
    }
    options.scope().ifPresent(s -> payload.put("scope", s));
    options.claims().forEach((k, v) -> payload.set(k, JSON.valueToTree(v)));
    JWSHeader.Builder header = new JWSHeader.Builder(key.algorithm().jws());
    options.keyId().ifPresent(header::keyID);
    JWSObject jws = new JWSObject(header.build(), new Payload(payload.toString()));
    try {
      jws.sign(signer(key));
    } catch (JOSEException e) {
      throw Keys.invalid("cannot sign with the " + key.algorithm() + " key: " + e.getMessage());
    }
    return bundle.withSignatures(Signatures.of(jws.serialize()));
  }

  private static JWSSigner signer(Keys.SigningKey key) throws JOSEException {
    return switch (key.algorithm().keyType()) {
      case "RSA" -> new RSASSASigner(key.privateKey());
      case "EC" -> new ECDSASigner((ECPrivateKey) key.privateKey());
      default -> {
        byte[] pub =
            Keys.rawEd25519Public(
                key.publicKey()
                    .orElseThrow(() -> Keys.invalid("the Ed25519 key has no public part")));
        OctetKeyPair okp =
            new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(pub))
                .d(Base64URL.encode(Keys.rawEd25519Private(key.privateKey())))
                .build();
        yield new Ed25519Signer(okp);
      }
    };
  }
}
