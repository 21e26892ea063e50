package io.maestro.rego.builtins.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.net.BuiltinHarness;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CryptoBuiltinsTest {
  private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
  private final BuiltinHarness crypto = new BuiltinHarness(new CryptoBuiltins(), NOW);

  private static KeyPair rootKey;
  private static KeyPair leafKey;
  private static X509Certificate root;
  private static X509Certificate leaf;

  @BeforeAll
  static void makeChain() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    rootKey = ec.generateKeyPair();
    leafKey = ec.generateKeyPair();
    X500Name rootName = new X500Name("O=Maestro Test,CN=Test Root CA");
    var rb =
        new JcaX509v3CertificateBuilder(
            rootName,
            BigInteger.ONE,
            Date.from(NOW.minus(1, ChronoUnit.DAYS)),
            Date.from(NOW.plus(365, ChronoUnit.DAYS)),
            rootName,
            rootKey.getPublic());
    rb.addExtension(Extension.basicConstraints, true, new BasicConstraints(1));
    rb.addExtension(
        Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(rootKey.getPrivate());
    root = new JcaX509CertificateConverter().getCertificate(rb.build(signer));
    var lb =
        new JcaX509v3CertificateBuilder(
            rootName,
            BigInteger.TWO,
            Date.from(NOW.minus(1, ChronoUnit.DAYS)),
            Date.from(NOW.plus(30, ChronoUnit.DAYS)),
            new X500Name("CN=service.maestro.test"),
            leafKey.getPublic());
    lb.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.dNSName, "service.maestro.test"),
              new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://maestro.test/svc")
            }));
    lb.addExtension(
        Extension.extendedKeyUsage,
        false,
        new ExtendedKeyUsage(
            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
    lb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    leaf = new JcaX509CertificateConverter().getCertificate(lb.build(signer));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static Value field(Value v, String... path) {
    for (String p : path) {
      v = ((ObjectValue) v).get(p);
    }
    return v;
  }

  @Test
  void hashes_areLowercaseHex() {
    assertThat(crypto.call("crypto.md5", "lorem ipsum"))
        .isEqualTo(StringValue.of("80a751fde577028640c419000e33eba6"));
    assertThat(crypto.call("crypto.sha1", "lorem ipsum"))
        .isEqualTo(StringValue.of("bfb7759a67daeb65410490b4d98bb9da7d1ea2ce"));
    assertThat(crypto.call("crypto.sha256", "lorem ipsum"))
        .isEqualTo(
            StringValue.of("5e2bf57d3f40c4b6df69daf1936cb766f832374b4fc0259a7cbff06e2f70f269"));
  }

  @Test
  void hmac_matchesRfc4231AndComparesInConstantTime() {
    // RFC 4231 test case 2.
    assertThat(crypto.call("crypto.hmac.sha256", "what do ya want for nothing?", "Jefe"))
        .isEqualTo(
            StringValue.of("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
    assertThat(crypto.call("crypto.hmac.equal", "abc", "abc")).isEqualTo(BooleanValue.TRUE);
    assertThat(crypto.call("crypto.hmac.equal", "abc", "abd")).isEqualTo(BooleanValue.FALSE);
  }

  @Test
  void parseCertificates_returnsGoShapeForPemAndBase64Der() throws Exception {
    Value certs =
        crypto.call("crypto.x509.parse_certificates", pem("CERTIFICATE", leaf.getEncoded()));
    Value c = ((ArrayValue) certs).get(0);
    assertThat(field(c, "Subject", "CommonName")).isEqualTo(StringValue.of("service.maestro.test"));
    assertThat(field(c, "Issuer", "Organization"))
        .isEqualTo(ArrayValue.of(java.util.List.of(StringValue.of("Maestro Test"))));
    assertThat(field(c, "DNSNames").toJson().toString()).isEqualTo("[\"service.maestro.test\"]");
    assertThat(field(c, "URIStrings").toJson().toString())
        .isEqualTo("[\"spiffe://maestro.test/svc\"]");
    assertThat(field(c, "ExtKeyUsage").toJson().toString()).isEqualTo("[1,2]");
    assertThat(field(c, "KeyUsage").toJson().asInt()).isEqualTo(1);
    assertThat(field(c, "SignatureAlgorithm").toJson().asInt()).isEqualTo(10);
    assertThat(field(c, "PublicKeyAlgorithm").toJson().asInt()).isEqualTo(3);
    assertThat(field(c, "SerialNumber").toJson().asInt()).isEqualTo(2);
    assertThat(field(c, "IsCA")).isEqualTo(BooleanValue.FALSE);

    String b64 = Base64.getEncoder().encodeToString(root.getEncoded());
    Value r = ((ArrayValue) crypto.call("crypto.x509.parse_certificates", b64)).get(0);
    assertThat(field(r, "IsCA")).isEqualTo(BooleanValue.TRUE);
    assertThat(field(r, "MaxPathLen").toJson().asInt()).isEqualTo(1);
    assertThat(field(r, "DNSNames")).isEqualTo(Value.NULL);
  }

  @Test
  void parseCertificates_reportsGoErrors() {
    assertThatThrownBy(() -> crypto.call("crypto.x509.parse_certificates", "YmFkc3RyaW5n"))
        .hasMessageContaining("x509: malformed certificate");
    assertThatThrownBy(() -> crypto.call("crypto.x509.parse_certificates", "foobar"))
        .hasMessageContaining("illegal base64")
        .extracting(e -> ((BuiltinException) e).code())
        .isEqualTo("eval_builtin_error");
  }

  @Test
  void parseAndVerify_acceptsRootFirstChainAndReturnsLeafFirst() throws Exception {
    String chain = pem("CERTIFICATE", root.getEncoded()) + pem("CERTIFICATE", leaf.getEncoded());
    ArrayValue out = (ArrayValue) crypto.call("crypto.x509.parse_and_verify_certificates", chain);
    assertThat(out.get(0)).isEqualTo(BooleanValue.TRUE);
    ArrayValue certs = (ArrayValue) out.get(1);
    assertThat(field(certs.get(0), "Subject", "CommonName"))
        .isEqualTo(StringValue.of("service.maestro.test"));
    assertThat(field(certs.get(1), "Subject", "CommonName"))
        .isEqualTo(StringValue.of("Test Root CA"));
  }

  @Test
  void parseAndVerify_rejectsWrongOrderExpiredAndForeignUsage() throws Exception {
    String reversed = pem("CERTIFICATE", leaf.getEncoded()) + pem("CERTIFICATE", root.getEncoded());
    assertThat(
            ((ArrayValue) crypto.call("crypto.x509.parse_and_verify_certificates", reversed))
                .get(0))
        .isEqualTo(BooleanValue.FALSE);
    String chain = pem("CERTIFICATE", root.getEncoded()) + pem("CERTIFICATE", leaf.getEncoded());
    long later = NOW.plus(100, ChronoUnit.DAYS).getEpochSecond() * 1_000_000_000L;
    Value expired =
        crypto.call(
            "crypto.x509.parse_and_verify_certificates_with_options",
            chain,
            Map.of("CurrentTime", later));
    assertThat(((ArrayValue) expired).get(0)).isEqualTo(BooleanValue.FALSE);
    Value codeSigning =
        crypto.call(
            "crypto.x509.parse_and_verify_certificates_with_options",
            chain,
            Map.of("KeyUsages", java.util.List.of("KeyUsageCodeSigning")));
    assertThat(((ArrayValue) codeSigning).get(0)).isEqualTo(BooleanValue.FALSE);
    Value dns =
        crypto.call(
            "crypto.x509.parse_and_verify_certificates_with_options",
            chain,
            Map.of("DNSName", "service.maestro.test"));
    assertThat(((ArrayValue) dns).get(0)).isEqualTo(BooleanValue.TRUE);
  }

  @Test
  void parseCertificateRequest_readsSubject() throws Exception {
    var csr =
        new JcaPKCS10CertificationRequestBuilder(
                new X500Name("CN=example.com"), leafKey.getPublic())
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(leafKey.getPrivate()));
    String pem = pem("CERTIFICATE REQUEST", csr.getEncoded()).trim();
    Value parsed = crypto.call("crypto.x509.parse_certificate_request", pem);
    assertThat(field(parsed, "Subject", "CommonName")).isEqualTo(StringValue.of("example.com"));
    String b64 = Base64.getEncoder().encodeToString(csr.getEncoded());
    assertThat(
            field(
                crypto.call("crypto.x509.parse_certificate_request", b64), "Subject", "CommonName"))
        .isEqualTo(StringValue.of("example.com"));
    assertThatThrownBy(() -> crypto.call("crypto.x509.parse_certificate_request", "YmFkc3RyaW5n"))
        .hasMessageContaining("asn1: structure error");
  }

  @Test
  void privateKeys_parseToJwkAndGoShapes() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    KeyPair kp = rsa.generateKeyPair();
    String pkcs8 = pem("PRIVATE KEY", kp.getPrivate().getEncoded());
    Value jwk = crypto.call("crypto.x509.parse_rsa_private_key", pkcs8);
    assertThat(field(jwk, "kty")).isEqualTo(StringValue.of("RSA"));
    assertThat(field(jwk, "e")).isEqualTo(StringValue.of("AQAB"));
    ArrayValue keys = (ArrayValue) crypto.call("crypto.parse_private_keys", pkcs8 + pkcs8);
    assertThat(keys.size()).isEqualTo(2);
    assertThat(field(keys.get(0), "E").toJson().asInt()).isEqualTo(65537);
    assertThat(crypto.call("crypto.parse_private_keys", "nope"))
        .isEqualTo(ArrayValue.of(java.util.List.of()));
    assertThat(crypto.call("crypto.parse_private_keys", "")).isEqualTo(Value.NULL);
    assertThatThrownBy(() -> crypto.call("crypto.x509.parse_rsa_private_key", "invalid"))
        .hasMessageContaining("illegal base64");
  }

  @Test
  void parseKeypair_pairsCertificateWithMatchingKey() throws Exception {
    String cert = pem("CERTIFICATE", leaf.getEncoded());
    String key = pem("PRIVATE KEY", leafKey.getPrivate().getEncoded());
    Value pair = crypto.call("crypto.x509.parse_keypair", cert, key);
    assertThat(((ArrayValue) field(pair, "Certificate")).get(0))
        .isEqualTo(StringValue.of(Base64.getEncoder().encodeToString(leaf.getEncoded())));
  }
}
