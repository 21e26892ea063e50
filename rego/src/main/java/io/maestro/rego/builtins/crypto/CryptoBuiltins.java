package io.maestro.rego.builtins.crypto;

import io.maestro.rego.builtins.Args;
import io.maestro.rego.builtins.BuiltinContext;
import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.BuiltinFamily;
import io.maestro.rego.builtins.BuiltinRegistry;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.Certificate;

/**
 * Hashes, HMACs and X.509 parsing/verification ({@code crypto.*}). Results take the JSON shape of
 * Go's {@code crypto/x509} structs, as OPA returns them.
 */
public final class CryptoBuiltins implements BuiltinFamily {

  @Override
  public void register(BuiltinRegistry r) {
    r.register("crypto.md5", "(string) => string", (ctx, a) -> hash("crypto.md5", "MD5", a));
    r.register("crypto.sha1", "(string) => string", (ctx, a) -> hash("crypto.sha1", "SHA-1", a));
    r.register(
        "crypto.sha256", "(string) => string", (ctx, a) -> hash("crypto.sha256", "SHA-256", a));
    r.register(
        "crypto.hmac.md5",
        "(string, string) => string",
        (ctx, a) -> hmac("crypto.hmac.md5", "HmacMD5", a));
    r.register(
        "crypto.hmac.sha1",
        "(string, string) => string",
        (ctx, a) -> hmac("crypto.hmac.sha1", "HmacSHA1", a));
    r.register(
        "crypto.hmac.sha256",
        "(string, string) => string",
        (ctx, a) -> hmac("crypto.hmac.sha256", "HmacSHA256", a));
    r.register(
        "crypto.hmac.sha512",
        "(string, string) => string",
        (ctx, a) -> hmac("crypto.hmac.sha512", "HmacSHA512", a));
    r.register("crypto.hmac.equal", "(string, string) => boolean", (ctx, a) -> hmacEqual(a));
    r.register(
        "crypto.x509.parse_certificates",
        "(string) => array[object[string: any]]",
        (ctx, a) -> parseCertificates(a));
    r.register(
        "crypto.x509.parse_and_verify_certificates",
        "(string) => array<boolean, array[object[string: any]]>",
        (ctx, a) -> parseAndVerify(ctx, "crypto.x509.parse_and_verify_certificates", a, null));
    r.register(
        "crypto.x509.parse_and_verify_certificates_with_options",
        "(string, object[string: any]) => array<boolean, array[object[string: any]]>",
        (ctx, a) -> {
          String b = "crypto.x509.parse_and_verify_certificates_with_options";
          return parseAndVerify(ctx, b, a, Args.object(b, a, 1));
        });
    r.register(
        "crypto.x509.parse_certificate_request",
        "(string) => object[string: any]",
        (ctx, a) -> parseCsr(a));
    r.register(
        "crypto.x509.parse_keypair",
        "(string, string) => object[string: any]",
        (ctx, a) -> parseKeyPair(a));
    r.register(
        "crypto.x509.parse_rsa_private_key",
        "(string) => object[string: any]",
        (ctx, a) -> parseRsaPrivateKey(a));
    r.register(
        "crypto.parse_private_keys",
        "(string) => array[object[string: any]]",
        (ctx, a) -> parsePrivateKeys(a));
  }

  private static Value hash(String builtin, String alg, List<Value> args) {
    String s = Args.string(builtin, args, 0);
    try {
      byte[] d = MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.UTF_8));
      return StringValue.of(HexFormat.of().formatHex(d));
    } catch (GeneralSecurityException e) {
      throw BuiltinException.error(builtin, e.getMessage());
    }
  }

  private static Value hmac(String builtin, String alg, List<Value> args) {
    String message = Args.string(builtin, args, 0);
    String key = Args.string(builtin, args, 1);
    try {
      Mac mac = Mac.getInstance(alg);
      byte[] k = key.getBytes(StandardCharsets.UTF_8);
      // Java refuses an empty HMAC key; HMAC pads keys with zeros, so one zero byte is equal.
      mac.init(new SecretKeySpec(k.length == 0 ? new byte[1] : k, alg));
      return StringValue.of(
          HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8))));
    } catch (GeneralSecurityException e) {
      throw BuiltinException.error(builtin, e.getMessage());
    }
  }

  private static Value hmacEqual(List<Value> args) {
    String a = Args.string("crypto.hmac.equal", args, 0);
    String b = Args.string("crypto.hmac.equal", args, 1);
    return BooleanValue.of(
        MessageDigest.isEqual(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
  }

  /** A parsed certificate: its ASN.1 structure and the JDK object used to verify it. */
  record ParsedCert(Certificate asn1, X509Certificate jdk) {}

  static List<ParsedCert> certsFromString(String input) throws GeneralSecurityException {
    if (input.startsWith("-----BEGIN")) {
      return certsFromPem(input);
    }
    byte[] raw;
    try {
      raw = Pem.base64Std(input);
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException(e.getMessage());
    }
    String text = Pem.latin(raw);
    if (text.startsWith("-----BEGIN")) {
      return certsFromPem(text);
    }
    return parseDer(raw);
  }

  private static List<ParsedCert> certsFromPem(String text) throws GeneralSecurityException {
    java.io.ByteArrayOutputStream der = new java.io.ByteArrayOutputStream();
    String rest = text;
    while (!rest.isEmpty()) {
      Pem.Block b = Pem.decode(rest);
      if (b == null) {
        break;
      }
      if (!b.type().equals("CERTIFICATE")) {
        throw new GeneralSecurityException(
            "PEM block type is '" + b.type() + "', expected CERTIFICATE");
      }
      der.writeBytes(b.bytes());
      rest = b.rest();
    }
    return parseDer(der.toByteArray());
  }

  /** Go's x509.ParseCertificates: a concatenation of DER certificates. */
  static List<ParsedCert> parseDer(byte[] der) throws GeneralSecurityException {
    List<ParsedCert> out = new ArrayList<>();
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    try (ASN1InputStream in = new ASN1InputStream(der)) {
      ASN1Primitive p;
      while ((p = in.readObject()) != null) {
        Certificate c = Certificate.getInstance(p);
        X509Certificate jdk =
            (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(c.getEncoded()));
        out.add(new ParsedCert(c, jdk));
      }
    } catch (IOException | IllegalArgumentException | ClassCastException e) {
      throw new GeneralSecurityException("x509: malformed certificate");
    } catch (java.security.cert.CertificateException e) {
      throw new GeneralSecurityException("x509: malformed certificate");
    }
    return out;
  }

  private static Value render(List<ParsedCert> certs) throws IOException {
    List<Value> out = new ArrayList<>();
    for (ParsedCert c : certs) {
      out.add(GoX509.certificate(c.asn1(), c.jdk().getPublicKey()));
    }
    return ArrayValue.of(out);
  }

  private static Value parseCertificates(List<Value> args) {
    String b = "crypto.x509.parse_certificates";
    String input = Args.string(b, args, 0);
    try {
      return render(certsFromString(input));
    } catch (GeneralSecurityException | IOException e) {
      throw BuiltinException.error(b, e.getMessage());
    }
  }

  private static Value parseAndVerify(
      BuiltinContext ctx, String b, List<Value> args, ObjectValue options) {
    String input = Args.string(b, args, 0);
    Value invalid = ArrayValue.of(List.of(BooleanValue.FALSE, ArrayValue.of(List.of())));
    X509Chains.Options opts = X509Chains.Options.defaults(ctx.now());
    if (options != null) {
      opts = X509Chains.Options.from(b, options, ctx.now());
    }
    List<ParsedCert> certs;
    try {
      certs = certsFromString(input);
    } catch (GeneralSecurityException e) {
      return invalid;
    }
    List<ParsedCert> chain = X509Chains.verify(certs, opts);
    if (chain == null) {
      return invalid;
    }
    try {
      return ArrayValue.of(List.of(BooleanValue.TRUE, render(chain)));
    } catch (IOException e) {
      throw BuiltinException.error(b, e.getMessage());
    }
  }

  private static Value parseCsr(List<Value> args) {
    String b = "crypto.x509.parse_certificate_request";
    String input = Args.string(b, args, 0);
    try {
      String text = input;
      if (!input.startsWith("-----BEGIN CERTIFICATE REQUEST-----")) {
        text = Pem.latin(Pem.base64Std(input));
      }
      byte[] der = text.getBytes(StandardCharsets.ISO_8859_1);
      Pem.Block block = Pem.decode(text);
      if (block != null && !block.type().equals("CERTIFICATE REQUEST")) {
        throw BuiltinException.error(b, "invalid PEM-encoded certificate signing request");
      }
      if (block != null) {
        der = block.bytes();
      }
      org.bouncycastle.asn1.pkcs.CertificationRequest csr;
      try {
        csr =
            org.bouncycastle.asn1.pkcs.CertificationRequest.getInstance(
                ASN1Primitive.fromByteArray(der));
      } catch (IOException | IllegalArgumentException | ClassCastException e) {
        throw BuiltinException.error(b, "asn1: structure error: " + e.getMessage());
      }
      PublicKey key = null;
      try {
        key =
            new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest(csr.getEncoded())
                .getPublicKey();
      } catch (GeneralSecurityException e) {
        // Go leaves PublicKey nil for unknown algorithms.
      }
      return GoX509.certificateRequest(csr, key);
    } catch (IllegalArgumentException | IOException e) {
      throw BuiltinException.error(b, e.getMessage());
    }
  }

  private static Value parseKeyPair(List<Value> args) {
    String b = "crypto.x509.parse_keypair";
    String cert = Args.string(b, args, 0);
    String key = Args.string(b, args, 1);
    try {
      String certText = cert.startsWith("-----BEGIN") ? cert : Pem.latin(Pem.base64Std(cert));
      String keyText = key.startsWith("-----BEGIN") ? key : Pem.latin(Pem.base64Std(key));
      List<ParsedCert> certs;
      if (certText.startsWith("-----BEGIN")) {
        certs = certsFromPem(certText);
      } else {
        certs = parseDer(certText.getBytes(StandardCharsets.ISO_8859_1));
      }
      if (certs.isEmpty()) {
        throw BuiltinException.error(b, "tls: failed to find any PEM data in certificate input");
      }
      PrivateKey pk;
      if (keyText.startsWith("-----BEGIN")) {
        List<PrivateKey> keys = PrivateKeys.fromPem(keyText);
        if (keys.isEmpty()) {
          throw BuiltinException.error(b, "tls: failed to find any PEM data in key input");
        }
        pk = keys.get(0);
      } else {
        pk = PrivateKeys.pkcs8(keyText.getBytes(StandardCharsets.ISO_8859_1));
      }
      if (!X509Chains.matches(certs.get(0).jdk().getPublicKey(), pk)) {
        throw BuiltinException.error(b, "tls: private key does not match public key");
      }
      List<Value> ders = new ArrayList<>();
      for (ParsedCert c : certs) {
        ders.add(GoX509.bytes(c.asn1().getEncoded()));
      }
      Map<String, Value> m = new LinkedHashMap<>();
      m.put("Certificate", ArrayValue.of(ders));
      m.put("PrivateKey", PrivateKeys.goJson(pk));
      m.put("OCSPStaple", Value.NULL);
      m.put("SignedCertificateTimestamps", Value.NULL);
      m.put("SupportedSignatureAlgorithms", Value.NULL);
      m.put("Leaf", GoX509.certificate(certs.get(0).asn1(), certs.get(0).jdk().getPublicKey()));
      return GoX509.obj(m);
    } catch (IllegalArgumentException | GeneralSecurityException | IOException e) {
      throw BuiltinException.error(b, e.getMessage());
    }
  }

  private static Value parseRsaPrivateKey(List<Value> args) {
    String b = "crypto.x509.parse_rsa_private_key";
    String input = Args.string(b, args, 0);
    if (input.isEmpty()) {
      throw BuiltinException.error(b, "input PEM data was empty");
    }
    try {
      String text = input.startsWith("-----BEGIN") ? input : Pem.latin(Pem.base64Std(input));
      List<PrivateKey> keys = PrivateKeys.fromPem(text);
      if (keys.isEmpty()) {
        return Value.NULL;
      }
      if (!(keys.get(0) instanceof RSAPrivateCrtKey rsa)) {
        throw BuiltinException.error(b, "unsupported key type");
      }
      return PrivateKeys.rsaJwk(rsa);
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw BuiltinException.error(b, e.getMessage());
    }
  }

  private static Value parsePrivateKeys(List<Value> args) {
    String b = "crypto.parse_private_keys";
    String input = Args.string(b, args, 0);
    if (input.isEmpty()) {
      return Value.NULL;
    }
    String text = input;
    try {
      text = Pem.latin(Pem.base64Std(input));
    } catch (IllegalArgumentException e) {
      // not base64: use the text as it is
    }
    try {
      List<Value> out = new ArrayList<>();
      for (PrivateKey k : PrivateKeys.fromPem(text)) {
        out.add(PrivateKeys.goJson(k));
      }
      return ArrayValue.of(out);
    } catch (GeneralSecurityException e) {
      throw BuiltinException.error(b, e.getMessage());
    }
  }
}
