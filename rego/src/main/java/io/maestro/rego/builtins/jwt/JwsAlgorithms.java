package io.maestro.rego.builtins.jwt;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/** Signing and verification for the JWS algorithms OPA supports, with JDK primitives. */
final class JwsAlgorithms {
  private JwsAlgorithms() {}

  private static final Set<String> KNOWN =
      Set.of(
          "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256",
          "HS384", "HS512", "EdDSA");

  static boolean known(String alg) {
    return KNOWN.contains(alg);
  }

  private static String bits(String alg) {
    return alg.substring(2);
  }

  /** Signs the JWS signing input; the key must suit the algorithm. */
  static byte[] sign(String alg, Key key, byte[] input) throws GeneralSecurityException {
    if (alg.startsWith("HS")) {
      if (!(key instanceof SecretKey s)) {
        throw new GeneralSecurityException("invalid key type for " + alg);
      }
      return hmac(alg, s.getEncoded(), input);
    }
    if (!(key instanceof PrivateKey pk)) {
      throw new GeneralSecurityException("invalid key type for " + alg);
    }
    Signature sig = signature(alg, key);
    sig.initSign(pk);
    sig.update(input);
    return sig.sign();
  }

  /** Verifies; any mismatch of key type and algorithm is simply "not verified". */
  static boolean verify(String alg, Key key, byte[] input, byte[] signature) {
    try {
      if (alg.startsWith("HS")) {
        if (!(key instanceof SecretKey s)) {
          return false;
        }
        return java.security.MessageDigest.isEqual(hmac(alg, s.getEncoded(), input), signature);
      }
      if (!(key instanceof PublicKey pub)) {
        return false;
      }
      Signature sig = signature(alg, key);
      sig.initVerify(pub);
      sig.update(input);
      return sig.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  static byte[] hmac(String alg, byte[] secret, byte[] input) throws GeneralSecurityException {
    String name = "HmacSHA" + bits(alg);
    Mac mac = Mac.getInstance(name);
    // Java refuses empty HMAC keys; a zero byte is the same key after HMAC's zero padding.
    mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, name));
    return mac.doFinal(input);
  }

  private static Signature signature(String alg, Key key) throws GeneralSecurityException {
    return switch (alg.substring(0, 2)) {
      case "RS" -> {
        requireType(key instanceof RSAKey, alg);
        yield Signature.getInstance("SHA" + bits(alg) + "withRSA");
      }
      case "PS" -> {
        requireType(key instanceof RSAKey, alg);
        int n = Integer.parseInt(bits(alg));
        Signature s = Signature.getInstance("RSASSA-PSS");
        String hash = "SHA-" + n;
        s.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), n / 8, 1));
        yield s;
      }
      case "ES" -> {
        requireType(key instanceof ECKey, alg);
        yield Signature.getInstance("SHA" + bits(alg) + "withECDSAinP1363Format");
      }
      case "Ed" -> {
        requireType(
            key.getAlgorithm().equals("Ed25519") || key.getAlgorithm().equals("EdDSA"), alg);
        yield Signature.getInstance("Ed25519");
      }
      default -> throw new GeneralSecurityException("unknown JWS algorithm: " + alg);
    };
  }

  private static void requireType(boolean ok, String alg) throws GeneralSecurityException {
    if (!ok) {
      throw new GeneralSecurityException("invalid key type for " + alg);
    }
  }
}
