package io.maestro.rego.builtins.crypto;

import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/** Private key parsing (PKCS#1, PKCS#8, SEC 1) and Go's JSON and JWK renderings of keys. */
public final class PrivateKeys {
  private PrivateKeys() {}

  /** Parses every private key PEM block of the text, skipping other blocks (as OPA does). */
  public static List<PrivateKey> fromPem(String text) throws GeneralSecurityException {
    List<PrivateKey> out = new ArrayList<>();
    String rest = text;
    while (!rest.isEmpty()) {
      Pem.Block b = Pem.decode(rest);
      if (b == null) {
        break;
      }
      rest = b.rest();
      PrivateKey k = parse(b.type(), b.bytes());
      if (k != null) {
        out.add(k);
      }
    }
    return out;
  }

  /** Parses one block by PEM type; returns null for types that hold no private key. */
  public static PrivateKey parse(String type, byte[] der) throws GeneralSecurityException {
    try {
      return switch (type) {
        case "RSA PRIVATE KEY" -> {
          RSAPrivateKey k = RSAPrivateKey.getInstance(ASN1Primitive.fromByteArray(der));
          PrivateKeyInfo info =
              new PrivateKeyInfo(
                  new AlgorithmIdentifier(
                      org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.rsaEncryption,
                      org.bouncycastle.asn1.DERNull.INSTANCE),
                  k);
          yield KeyFactory.getInstance("RSA")
              .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        }
        case "PRIVATE KEY" -> pkcs8(der);
        case "EC PRIVATE KEY" -> {
          var ec =
              org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(ASN1Primitive.fromByteArray(der));
          var params = ec.getParametersObject();
          PrivateKeyInfo info =
              new PrivateKeyInfo(
                  new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, params), ec);
          yield KeyFactory.getInstance("EC")
              .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        }
        default -> null;
      };
    } catch (IOException | IllegalArgumentException | ClassCastException e) {
      throw new GeneralSecurityException("x509: failed to parse private key", e);
    }
  }

  static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    for (String alg : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new GeneralSecurityException("x509: failed to parse private key");
  }

  /** Go's encoding/json rendering of a crypto.PrivateKey. */
  public static Value goJson(PrivateKey key) {
    Map<String, Value> m = new LinkedHashMap<>();
    if (key instanceof RSAPrivateCrtKey rsa) {
      m.put("N", NumberValue.of(rsa.getModulus()));
      m.put("E", NumberValue.of(rsa.getPublicExponent()));
      m.put("D", NumberValue.of(rsa.getPrivateExponent()));
      m.put(
          "Primes",
          ArrayValue.of(List.of(NumberValue.of(rsa.getPrimeP()), NumberValue.of(rsa.getPrimeQ()))));
      Map<String, Value> pre = new LinkedHashMap<>();
      pre.put("Dp", NumberValue.of(rsa.getPrimeExponentP()));
      pre.put("Dq", NumberValue.of(rsa.getPrimeExponentQ()));
      pre.put("Qinv", NumberValue.of(rsa.getCrtCoefficient()));
      pre.put("CRTValues", ArrayValue.of(List.of()));
      m.put("Precomputed", GoX509.obj(pre));
      return GoX509.obj(m);
    }
    if (key instanceof ECPrivateKey ec) {
      m.put("Curve", GoX509.obj(Map.of()));
      m.put("X", Value.NULL);
      m.put("Y", Value.NULL);
      m.put("D", NumberValue.of(ec.getS()));
      return GoX509.obj(m);
    }
    if (key.getAlgorithm().equals("Ed25519") || key.getAlgorithm().equals("EdDSA")) {
      return GoX509.bytes(key.getEncoded());
    }
    return Value.NULL;
  }

  /** The JWK of an RSA private key, as {@code crypto.x509.parse_rsa_private_key} returns it. */
  public static Value rsaJwk(RSAPrivateCrtKey k) {
    Map<String, Value> m = new LinkedHashMap<>();
    m.put("kty", StringValue.of("RSA"));
    m.put("n", b64url(k.getModulus()));
    m.put("e", b64url(k.getPublicExponent()));
    m.put("d", b64url(k.getPrivateExponent()));
    m.put("p", b64url(k.getPrimeP()));
    m.put("q", b64url(k.getPrimeQ()));
    m.put("dp", b64url(k.getPrimeExponentP()));
    m.put("dq", b64url(k.getPrimeExponentQ()));
    m.put("qi", b64url(k.getCrtCoefficient()));
    return GoX509.obj(m);
  }

  static Value b64url(BigInteger v) {
    byte[] b = v.toByteArray();
    if (b.length > 1 && b[0] == 0) {
      b = java.util.Arrays.copyOfRange(b, 1, b.length);
    }
    return StringValue.of(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
  }
}
