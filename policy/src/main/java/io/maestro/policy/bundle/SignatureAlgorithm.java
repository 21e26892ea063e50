package io.maestro.policy.bundle;

import com.nimbusds.jose.JWSAlgorithm;

/** The JWS algorithms bundle signatures may use (OPA's asymmetric set). */
public enum SignatureAlgorithm {
  RS256(JWSAlgorithm.RS256, "RSA"),
  RS384(JWSAlgorithm.RS384, "RSA"),
  RS512(JWSAlgorithm.RS512, "RSA"),
  PS256(JWSAlgorithm.PS256, "RSA"),
  PS384(JWSAlgorithm.PS384, "RSA"),
  PS512(JWSAlgorithm.PS512, "RSA"),
  ES256(JWSAlgorithm.ES256, "EC"),
  ES384(JWSAlgorithm.ES384, "EC"),
  ES512(JWSAlgorithm.ES512, "EC"),
  EdDSA(JWSAlgorithm.EdDSA, "Ed25519");

  private final JWSAlgorithm jws;
  private final String keyType;

  SignatureAlgorithm(JWSAlgorithm jws, String keyType) {
    this.jws = jws;
    this.keyType = keyType;
  }

  public JWSAlgorithm jws() {
    return jws;
  }

  /** "RSA", "EC" or "Ed25519". */
  public String keyType() {
    return keyType;
  }

  /** The algorithm named {@code name} in a JWS header or on a command line. */
  public static SignatureAlgorithm parse(String name) {
    for (SignatureAlgorithm a : values()) {
      if (a.name().equalsIgnoreCase(name)) {
        return a;
      }
    }
    if ("Ed25519".equalsIgnoreCase(name)) {
      return EdDSA;
    }
    throw new BundleException(
        "unsupported signing algorithm '"
            + name
            + "': use RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512 or EdDSA");
  }
}
