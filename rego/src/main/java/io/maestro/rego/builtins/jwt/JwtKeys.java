package io.maestro.rego.builtins.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import io.maestro.rego.builtins.crypto.Pem;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Verification and signing keys from PEM certificates, PEM public keys, JWKs and JWK sets. */
final class JwtKeys {
  private JwtKeys() {}

  /** A key with the algorithm and key id a JWK may declare (empty when absent). */
  record KeyEntry(Key key, String alg, String kid) {}

  private static final byte[] ED25519_SPKI_PREFIX =
      HexFormat.of().parseHex("302a300506032b6570032100");
  private static final byte[] ED25519_PKCS8_PREFIX =
      HexFormat.of().parseHex("302e020100300506032b657004220420");

  /** OPA's getKeysFromCertOrJWK: one PEM block (certificate or public key) or JWK(S) JSON. */
  static List<KeyEntry> verificationKeys(String text) throws GeneralSecurityException {
    Pem.Block block = Pem.decode(text);
    if (block != null) {
      if (!block.rest().isEmpty()) {
        throw new GeneralSecurityException("extra data after a PEM certificate block");
      }
      if (block.type().equals("CERTIFICATE")) {
        try {
          var cert =
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(block.bytes()));
          return List.of(new KeyEntry(cert.getPublicKey(), "", ""));
        } catch (GeneralSecurityException | RuntimeException e) {
          throw new GeneralSecurityException(
              "failed to parse a PEM certificate: x509: malformed certificate");
        }
      }
      if (block.type().equals("PUBLIC KEY")) {
        for (String alg : List.of("RSA", "EC", "Ed25519")) {
          try {
            return List.of(
                new KeyEntry(
                    KeyFactory.getInstance(alg)
                        .generatePublic(new X509EncodedKeySpec(block.bytes())),
                    "",
                    ""));
          } catch (GeneralSecurityException e) {
            // try the next key type
          }
        }
        throw new GeneralSecurityException("failed to parse a PEM public key");
      }
      throw new GeneralSecurityException("failed to extract a Key from the PEM certificate");
    }
    List<JWK> jwks;
    try {
      jwks = parseJwks(text);
    } catch (ParseException e) {
      throw new GeneralSecurityException("failed to parse a JWK key (set): " + e.getMessage());
    }
    List<KeyEntry> out = new ArrayList<>();
    for (JWK k : jwks) {
      String alg = k.getAlgorithm() == null ? "" : k.getAlgorithm().getName();
      if (!alg.isEmpty() && !JwsAlgorithms.known(alg)) {
        continue;
      }
      out.add(new KeyEntry(publicKey(k), alg, k.getKeyID() == null ? "" : k.getKeyID()));
    }
    return out;
  }

  static List<JWK> parseJwks(String text) throws ParseException {
    String t = text.trim();
    if (t.startsWith("{") && t.contains("\"keys\"")) {
      return JWKSet.parse(t).getKeys();
    }
    return List.of(JWK.parse(t));
  }

  /** The public half of a JWK (or the secret bytes of an "oct" key, as a SecretKey). */
  static Key publicKey(JWK k) throws GeneralSecurityException {
    try {
      return switch (k) {
        case RSAKey r -> r.toRSAPublicKey();
        case ECKey e -> e.toECPublicKey();
        case OctetKeyPair o -> ed25519Public(o.getX().decode());
        case OctetSequenceKey s -> s.toSecretKey("HMAC");
        default -> throw new GeneralSecurityException("unsupported JWK type " + k.getKeyType());
      };
    } catch (JOSEException e) {
      throw new GeneralSecurityException(e.getMessage(), e);
    }
  }

  /** The signing key of a JWK: private key, or the secret of an "oct" key. */
  static Key signingKey(JWK k) throws GeneralSecurityException {
    try {
      return switch (k) {
        case RSAKey r -> r.toRSAPrivateKey();
        case ECKey e -> e.toECPrivateKey();
        case OctetKeyPair o -> {
          if (o.getD() == null) {
            throw new GeneralSecurityException("the JWK has no private part");
          }
          yield ed25519Private(o.getD().decode());
        }
        case OctetSequenceKey s -> s.toSecretKey("HMAC");
        default -> throw new GeneralSecurityException("unsupported JWK type " + k.getKeyType());
      };
    } catch (JOSEException e) {
      throw new GeneralSecurityException(e.getMessage(), e);
    }
  }

  private static Key ed25519Public(byte[] x) throws GeneralSecurityException {
    byte[] der = concat(ED25519_SPKI_PREFIX, x);
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
  }

  private static Key ed25519Private(byte[] d) throws GeneralSecurityException {
    byte[] der = concat(ED25519_PKCS8_PREFIX, d);
    return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
