package io.maestro.policy.bundle;

import io.maestro.core.problem.MaestroException;
import io.maestro.policy.PolicyErrors;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads, writes and generates the keys that sign and verify bundles: RSA, EC (P-256/384/521) and
 * Ed25519, in PEM (PKCS#8, PKCS#1, SEC 1, SubjectPublicKeyInfo or an X.509 certificate).
 */
public final class Keys {
  private Keys() {}

  /** A private key and, where it can be derived, its public key. */
  public record SigningKey(
      SignatureAlgorithm algorithm, PrivateKey privateKey, Optional<PublicKey> publicKey) {}

  public static SigningKey readSigningKey(Path pem, Optional<SignatureAlgorithm> algorithm) {
    return parseSigningKey(readFile(pem), algorithm, pem.toString());
  }

  public static PublicKey readPublicKey(Path pem) {
    return parsePublicKey(readFile(pem), pem.toString());
  }

  public static SigningKey parseSigningKey(
      String pem, Optional<SignatureAlgorithm> algorithm, String source) {
    Object o = parsePem(pem, source);
    JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
    try {
      PrivateKey priv;
      PublicKey pub = null;
      if (o instanceof PEMKeyPair pair && pair.getPublicKeyInfo() != null) {
        KeyPair kp = conv.getKeyPair(pair);
        priv = kp.getPrivate();
        pub = kp.getPublic();
      } else if (o instanceof PEMKeyPair pair) {
        // SEC 1 keys may omit the public point (derived below) and keep the curve inside the key,
        // which the JDK cannot read: let Bouncy Castle read it, then hand the JDK a PKCS#8 form.
        PrivateKey bc =
            new JcaPEMKeyConverter()
                .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                .getPrivateKey(pair.getPrivateKeyInfo());
        priv =
            KeyFactory.getInstance(bc.getAlgorithm().equals("ECDSA") ? "EC" : bc.getAlgorithm())
                .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(bc.getEncoded()));
      } else if (o instanceof PrivateKeyInfo info) {
        priv = conv.getPrivateKey(info);
      } else {
        throw invalid(source + ": not a private key (expected a PEM PRIVATE KEY block)");
      }
      if (pub == null) {
        pub = derivePublic(priv);
      }
      SignatureAlgorithm alg = algorithm.orElseGet(() -> defaultAlgorithm(keyType(priv), priv));
      if (!alg.keyType().equals(keyType(priv))) {
        throw invalid(source + ": a " + keyType(priv) + " key cannot sign with " + alg);
      }
      return new SigningKey(alg, priv, Optional.ofNullable(pub));
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw invalid(source + ": unreadable key: " + e.getMessage());
    }
  }

  public static PublicKey parsePublicKey(String pem, String source) {
    Object o = parsePem(pem, source);
    JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
    try {
      if (o instanceof SubjectPublicKeyInfo spki) {
        return conv.getPublicKey(spki);
      }
      if (o instanceof X509CertificateHolder cert) {
        return conv.getPublicKey(cert.getSubjectPublicKeyInfo());
      }
      if (o instanceof org.bouncycastle.asn1.pkcs.RSAPublicKey rsa) {
        return KeyFactory.getInstance("RSA")
            .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
      }
      if (o instanceof PEMKeyPair pair) {
        return conv.getPublicKey(pair.getPublicKeyInfo());
      }
      throw invalid(source + ": not a public key (expected a PEM PUBLIC KEY block)");
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw invalid(source + ": unreadable key: " + e.getMessage());
    }
  }

  /** "RSA", "EC" or "Ed25519". */
  public static String keyType(java.security.Key key) {
    String a = key.getAlgorithm();
    if (a.equals("RSA")) {
      return "RSA";
    }
    if (a.equals("EC") || a.equals("ECDSA")) {
      return "EC";
    }
    if (a.equalsIgnoreCase("Ed25519") || a.equalsIgnoreCase("EdDSA")) {
      return "Ed25519";
    }
    throw invalid("unsupported key type " + a + ": use RSA, EC or Ed25519");
  }

  /** The default algorithm for a key: RS256, ES256/384/512 by curve size, or EdDSA. */
  private static SignatureAlgorithm defaultAlgorithm(String type, PrivateKey key) {
    return switch (type) {
      case "RSA" -> SignatureAlgorithm.RS256;
      case "EC" -> {
        int bits = ((ECKey) key).getParams().getCurve().getField().getFieldSize();
        yield bits <= 256
            ? SignatureAlgorithm.ES256
            : bits <= 384 ? SignatureAlgorithm.ES384 : SignatureAlgorithm.ES512;
      }
      default -> SignatureAlgorithm.EdDSA;
    };
  }

  /** A fresh key pair for {@code algorithm}. */
  public static SigningKey generate(SignatureAlgorithm algorithm) {
    try {
      KeyPairGenerator g;
      switch (algorithm.keyType()) {
        case "RSA" -> {
          g = KeyPairGenerator.getInstance("RSA");
          g.initialize(2048);
        }
        case "EC" -> {
          g = KeyPairGenerator.getInstance("EC");
          String curve =
              switch (algorithm) {
                case ES384 -> "secp384r1";
                case ES512 -> "secp521r1";
                default -> "secp256r1";
              };
          g.initialize(new ECGenParameterSpec(curve));
        }
        default -> g = KeyPairGenerator.getInstance("Ed25519");
      }
      KeyPair kp = g.generateKeyPair();
      return new SigningKey(algorithm, kp.getPrivate(), Optional.of(kp.getPublic()));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot generate " + algorithm + " keys", e);
    }
  }

  public static String toPem(PrivateKey key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  public static String toPem(PublicKey key) {
    return pem("PUBLIC KEY", key.getEncoded());
  }

  /** The 32 raw bytes of an Ed25519 private key. */
  static byte[] rawEd25519Private(PrivateKey key) {
    try {
      return ASN1OctetString.getInstance(
              PrivateKeyInfo.getInstance(key.getEncoded()).parsePrivateKey())
          .getOctets();
    } catch (IOException e) {
      throw invalid("unreadable Ed25519 private key");
    }
  }

  /** The 32 raw bytes of an Ed25519 public key. */
  static byte[] rawEd25519Public(PublicKey key) {
    return SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes();
  }

  private static PublicKey derivePublic(PrivateKey priv) {
    try {
      if (priv instanceof RSAPrivateCrtKey rsa) {
        return KeyFactory.getInstance("RSA")
            .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
      }
      if (keyType(priv).equals("Ed25519")) {
        byte[] raw =
            new Ed25519PrivateKeyParameters(rawEd25519Private(priv), 0)
                .generatePublicKey()
                .getEncoded();
        byte[] spki =
            new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), raw)
                .getEncoded();
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
      }
      if (priv instanceof java.security.interfaces.ECPrivateKey ec) {
        // Q = d·G on the key's curve.
        java.security.spec.ECParameterSpec params = ec.getParams();
        org.bouncycastle.math.ec.ECPoint q =
            org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util.convertPoint(
                    params, params.getGenerator())
                .multiply(ec.getS())
                .normalize();
        return KeyFactory.getInstance("EC")
            .generatePublic(
                new java.security.spec.ECPublicKeySpec(
                    new java.security.spec.ECPoint(
                        q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()),
                    params));
      }
      return null;
    } catch (IOException | java.security.GeneralSecurityException e) {
      return null;
    }
  }

  private static Object parsePem(String pem, String source) {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      if (o == null) {
        throw invalid(source + ": no PEM block found");
      }
      return o;
    } catch (IOException e) {
      throw invalid(source + ": not PEM: " + e.getMessage());
    }
  }

  private static String readFile(Path pem) {
    try {
      return Files.readString(pem, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw invalid(pem + ": cannot read key file: " + e.getMessage());
    }
  }

  private static String pem(String type, byte[] der) {
    String b64 =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
  }

  static MaestroException invalid(String detail) {
    return new MaestroException(PolicyErrors.KEY_INVALID, detail);
  }
}
