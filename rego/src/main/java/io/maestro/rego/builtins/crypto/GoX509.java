package io.maestro.rego.builtins.crypto;

import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Renders certificates and certificate requests in the JSON shape of Go's {@code x509} structs
 * (field names, enum numbers, base64 byte slices, nil slices as null), which is what OPA returns.
 */
final class GoX509 {
  private GoX509() {}

  private static final Map<String, Integer> SIGNATURE_ALGORITHMS =
      Map.ofEntries(
          Map.entry("1.2.840.113549.1.1.2", 1),
          Map.entry("1.2.840.113549.1.1.4", 2),
          Map.entry("1.2.840.113549.1.1.5", 3),
          Map.entry("1.2.840.113549.1.1.11", 4),
          Map.entry("1.2.840.113549.1.1.12", 5),
          Map.entry("1.2.840.113549.1.1.13", 6),
          Map.entry("1.2.840.10040.4.3", 7),
          Map.entry("2.16.840.1.101.3.4.3.2", 8),
          Map.entry("1.2.840.10045.4.1", 9),
          Map.entry("1.2.840.10045.4.3.2", 10),
          Map.entry("1.2.840.10045.4.3.3", 11),
          Map.entry("1.2.840.10045.4.3.4", 12),
          Map.entry("1.3.101.112", 16));

  private static final Map<String, Integer> EXT_KEY_USAGES =
      Map.ofEntries(
          Map.entry("2.5.29.37.0", 0),
          Map.entry("1.3.6.1.5.5.7.3.1", 1),
          Map.entry("1.3.6.1.5.5.7.3.2", 2),
          Map.entry("1.3.6.1.5.5.7.3.3", 3),
          Map.entry("1.3.6.1.5.5.7.3.4", 4),
          Map.entry("1.3.6.1.5.5.7.3.5", 5),
          Map.entry("1.3.6.1.5.5.7.3.6", 6),
          Map.entry("1.3.6.1.5.5.7.3.7", 7),
          Map.entry("1.3.6.1.5.5.7.3.8", 8),
          Map.entry("1.3.6.1.5.5.7.3.9", 9),
          Map.entry("1.3.6.1.4.1.311.10.3.3", 10),
          Map.entry("2.16.840.1.113730.4.1", 11),
          Map.entry("1.3.6.1.4.1.311.2.1.22", 12),
          Map.entry("1.3.6.1.4.1.311.61.1.1", 13));

  /** Go's ExtKeyUsage number for an OID, or -1 when Go does not know it. */
  static int extKeyUsage(String oid) {
    return EXT_KEY_USAGES.getOrDefault(oid, -1);
  }

  static Value certificate(Certificate c, PublicKey key) throws IOException {
    Map<String, Value> m = new LinkedHashMap<>();
    m.put("Raw", bytes(c.getEncoded(ASN1Encoding.DER)));
    m.put("RawTBSCertificate", bytes(c.getTBSCertificate().getEncoded(ASN1Encoding.DER)));
    m.put(
        "RawSubjectPublicKeyInfo", bytes(c.getSubjectPublicKeyInfo().getEncoded(ASN1Encoding.DER)));
    m.put("RawSubject", bytes(c.getSubject().getEncoded(ASN1Encoding.DER)));
    m.put("RawIssuer", bytes(c.getIssuer().getEncoded(ASN1Encoding.DER)));
    m.put("Signature", bytes(c.getSignature().getOctets()));
    m.put("SignatureAlgorithm", signatureAlgorithm(c.getSignatureAlgorithm().getAlgorithm(), c));
    m.put("PublicKeyAlgorithm", NumberValue.of(publicKeyAlgorithm(c.getSubjectPublicKeyInfo())));
    m.put("PublicKey", publicKey(key));
    m.put("Version", NumberValue.of(c.getVersionNumber()));
    m.put("SerialNumber", NumberValue.of(c.getSerialNumber().getValue()));
    m.put("Issuer", name(c.getIssuer()));
    m.put("Subject", name(c.getSubject()));
    m.put("NotBefore", time(c.getStartDate().getDate().toInstant()));
    m.put("NotAfter", time(c.getEndDate().getDate().toInstant()));
    Extensions exts = c.getTBSCertificate().getExtensions();
    addExtensionFields(m, exts);
    return obj(m);
  }

  static Value certificateRequest(
      org.bouncycastle.asn1.pkcs.CertificationRequest csr, PublicKey key) throws IOException {
    var info = csr.getCertificationRequestInfo();
    Map<String, Value> m = new LinkedHashMap<>();
    m.put("Raw", bytes(csr.getEncoded(ASN1Encoding.DER)));
    m.put("RawTBSCertificateRequest", bytes(info.getEncoded(ASN1Encoding.DER)));
    m.put(
        "RawSubjectPublicKeyInfo",
        bytes(info.getSubjectPublicKeyInfo().getEncoded(ASN1Encoding.DER)));
    m.put("RawSubject", bytes(info.getSubject().getEncoded(ASN1Encoding.DER)));
    m.put("Version", NumberValue.of(info.getVersion().getValue()));
    m.put("Signature", bytes(csr.getSignature().getOctets()));
    m.put(
        "SignatureAlgorithm",
        NumberValue.of(
            SIGNATURE_ALGORITHMS.getOrDefault(
                csr.getSignatureAlgorithm().getAlgorithm().getId(), 0)));
    m.put("PublicKeyAlgorithm", NumberValue.of(publicKeyAlgorithm(info.getSubjectPublicKeyInfo())));
    m.put("PublicKey", publicKey(key));
    m.put("Subject", name(info.getSubject()));
    Extensions exts = null;
    List<Value> attributes = new ArrayList<>();
    if (info.getAttributes() != null) {
      for (ASN1Encodable a : info.getAttributes()) {
        var attr = org.bouncycastle.asn1.pkcs.Attribute.getInstance(a);
        if (attr.getAttrType()
                .equals(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)
            && attr.getAttrValues().size() > 0) {
          exts = Extensions.getInstance(attr.getAttrValues().getObjectAt(0));
        }
      }
    }
    m.put("Attributes", attributes.isEmpty() ? Value.NULL : ArrayValue.of(attributes));
    m.put("Extensions", extensions(exts));
    m.put("ExtraExtensions", Value.NULL);
    GeneralNames san =
        exts == null ? null : GeneralNames.fromExtensions(exts, Extension.subjectAlternativeName);
    addSans(m, san);
    return obj(m);
  }

  private static void addExtensionFields(Map<String, Value> m, Extensions exts) {
    int keyUsage = 0;
    List<Value> extKeyUsage = new ArrayList<>();
    List<Value> unknownExtKeyUsage = new ArrayList<>();
    boolean bcValid = false;
    boolean isCa = false;
    long maxPathLen = 0;
    boolean maxPathLenZero = false;
    Value subjectKeyId = Value.NULL;
    Value authorityKeyId = Value.NULL;
    List<Value> ocsp = new ArrayList<>();
    List<Value> issuingUrls = new ArrayList<>();
    List<Value> crl = new ArrayList<>();
    List<Value> policies = new ArrayList<>();
    List<Value> policyStrings = new ArrayList<>();
    if (exts != null) {
      Extension ku = exts.getExtension(Extension.keyUsage);
      if (ku != null) {
        var bits = org.bouncycastle.asn1.ASN1BitString.getInstance(ku.getParsedValue());
        byte[] b = bits.getBytes();
        // Go numbers key usage bits from the most significant bit of the first byte.
        for (int i = 0; i < b.length * 8 && i < 9; i++) {
          if ((b[i / 8] & (0x80 >> (i % 8))) != 0) {
            keyUsage |= 1 << i;
          }
        }
      }
      Extension eku = exts.getExtension(Extension.extendedKeyUsage);
      if (eku != null) {
        var seq = org.bouncycastle.asn1.ASN1Sequence.getInstance(eku.getParsedValue());
        for (ASN1Encodable e : seq) {
          String oid = ASN1ObjectIdentifier.getInstance(e).getId();
          int n = extKeyUsage(oid);
          if (n >= 0) {
            extKeyUsage.add(NumberValue.of(n));
          } else {
            unknownExtKeyUsage.add(oid(oid));
          }
        }
      }
      Extension bcExt = exts.getExtension(Extension.basicConstraints);
      if (bcExt != null) {
        BasicConstraints bc = BasicConstraints.getInstance(bcExt.getParsedValue());
        bcValid = true;
        isCa = bc.isCA();
        BigInteger len = bc.getPathLenConstraint();
        maxPathLen = len == null ? -1 : len.longValue();
        maxPathLenZero = maxPathLen == 0;
      }
      Extension ski = exts.getExtension(Extension.subjectKeyIdentifier);
      if (ski != null) {
        subjectKeyId =
            bytes(SubjectKeyIdentifier.getInstance(ski.getParsedValue()).getKeyIdentifier());
      }
      Extension aki = exts.getExtension(Extension.authorityKeyIdentifier);
      if (aki != null) {
        var id = AuthorityKeyIdentifier.getInstance(aki.getParsedValue()).getKeyIdentifierObject();
        if (id != null) {
          authorityKeyId = bytes(id.getOctets());
        }
      }
      Extension aia = exts.getExtension(Extension.authorityInfoAccess);
      if (aia != null) {
        for (AccessDescription d :
            AuthorityInformationAccess.getInstance(aia.getParsedValue()).getAccessDescriptions()) {
          if (d.getAccessLocation().getTagNo() != GeneralName.uniformResourceIdentifier) {
            continue;
          }
          Value url = StringValue.of(text(d.getAccessLocation().getName()));
          if (d.getAccessMethod().equals(AccessDescription.id_ad_ocsp)) {
            ocsp.add(url);
          } else if (d.getAccessMethod().equals(AccessDescription.id_ad_caIssuers)) {
            issuingUrls.add(url);
          }
        }
      }
      Extension crlExt = exts.getExtension(Extension.cRLDistributionPoints);
      if (crlExt != null) {
        for (DistributionPoint p :
            CRLDistPoint.getInstance(crlExt.getParsedValue()).getDistributionPoints()) {
          DistributionPointName n = p.getDistributionPoint();
          if (n == null || n.getType() != DistributionPointName.FULL_NAME) {
            continue;
          }
          for (GeneralName g : GeneralNames.getInstance(n.getName()).getNames()) {
            if (g.getTagNo() == GeneralName.uniformResourceIdentifier) {
              crl.add(StringValue.of(text(g.getName())));
            }
          }
        }
      }
      Extension cp = exts.getExtension(Extension.certificatePolicies);
      if (cp != null) {
        for (PolicyInformation p :
            CertificatePolicies.getInstance(cp.getParsedValue()).getPolicyInformation()) {
          policies.add(oid(p.getPolicyIdentifier().getId()));
          policyStrings.add(StringValue.of(p.getPolicyIdentifier().getId()));
        }
      }
    }
    m.put("KeyUsage", NumberValue.of(keyUsage));
    m.put("Extensions", extensions(exts));
    m.put("ExtraExtensions", Value.NULL);
    m.put("UnhandledCriticalExtensions", Value.NULL);
    m.put("ExtKeyUsage", list(extKeyUsage));
    m.put("UnknownExtKeyUsage", list(unknownExtKeyUsage));
    m.put("BasicConstraintsValid", BooleanValue.of(bcValid));
    m.put("IsCA", BooleanValue.of(isCa));
    m.put("MaxPathLen", NumberValue.of(maxPathLen));
    m.put("MaxPathLenZero", BooleanValue.of(maxPathLenZero));
    m.put("SubjectKeyId", subjectKeyId);
    m.put("AuthorityKeyId", authorityKeyId);
    m.put("OCSPServer", list(ocsp));
    m.put("IssuingCertificateURL", list(issuingUrls));
    GeneralNames san =
        exts == null ? null : GeneralNames.fromExtensions(exts, Extension.subjectAlternativeName);
    addSans(m, san);
    m.put("PermittedDNSDomainsCritical", BooleanValue.FALSE);
    for (String k :
        List.of(
            "PermittedDNSDomains",
            "ExcludedDNSDomains",
            "PermittedIPRanges",
            "ExcludedIPRanges",
            "PermittedEmailAddresses",
            "ExcludedEmailAddresses",
            "PermittedURIDomains",
            "ExcludedURIDomains")) {
      m.put(k, Value.NULL);
    }
    m.put("CRLDistributionPoints", list(crl));
    m.put("PolicyIdentifiers", list(policies));
    m.put("Policies", list(policyStrings));
    m.put("InhibitAnyPolicy", NumberValue.of(0));
    m.put("InhibitAnyPolicyZero", BooleanValue.FALSE);
    m.put("InhibitPolicyMapping", NumberValue.of(0));
    m.put("InhibitPolicyMappingZero", BooleanValue.FALSE);
    m.put("RequireExplicitPolicy", NumberValue.of(0));
    m.put("RequireExplicitPolicyZero", BooleanValue.FALSE);
    m.put("PolicyMappings", Value.NULL);
  }

  private static void addSans(Map<String, Value> m, GeneralNames san) {
    List<Value> dns = new ArrayList<>();
    List<Value> emails = new ArrayList<>();
    List<Value> ips = new ArrayList<>();
    List<Value> uris = new ArrayList<>();
    List<Value> uriStrings = new ArrayList<>();
    if (san != null) {
      for (GeneralName g : san.getNames()) {
        switch (g.getTagNo()) {
          case GeneralName.dNSName -> dns.add(StringValue.of(text(g.getName())));
          case GeneralName.rfc822Name -> emails.add(StringValue.of(text(g.getName())));
          case GeneralName.iPAddress -> {
            byte[] ip = ASN1OctetString.getInstance(g.getName()).getOctets();
            ips.add(StringValue.of(formatIp(ip)));
          }
          case GeneralName.uniformResourceIdentifier -> {
            String s = text(g.getName());
            uris.add(url(s));
            uriStrings.add(StringValue.of(s));
          }
          default -> {}
        }
      }
    }
    m.put("DNSNames", list(dns));
    m.put("EmailAddresses", list(emails));
    m.put("IPAddresses", list(ips));
    m.put("URIs", list(uris));
    m.put("URIStrings", list(uriStrings));
  }

  private static String formatIp(byte[] ip) {
    try {
      return java.net.InetAddress.getByAddress(ip).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      return "?";
    }
  }

  /** Go's url.URL struct. */
  private static Value url(String s) {
    Map<String, Value> m = new LinkedHashMap<>();
    String scheme = "";
    String opaque = "";
    String host = "";
    String path = "";
    String query = "";
    String fragment = "";
    try {
      URI u = new URI(s);
      scheme = u.getScheme() == null ? "" : u.getScheme();
      if (u.isOpaque()) {
        opaque = u.getRawSchemeSpecificPart();
      } else {
        host = u.getRawAuthority() == null ? "" : u.getRawAuthority();
        path = u.getPath() == null ? "" : u.getPath();
      }
      query = u.getRawQuery() == null ? "" : u.getRawQuery();
      fragment = u.getFragment() == null ? "" : u.getFragment();
    } catch (java.net.URISyntaxException e) {
      opaque = s;
    }
    m.put("Scheme", StringValue.of(scheme));
    m.put("Opaque", StringValue.of(opaque));
    m.put("User", Value.NULL);
    m.put("Host", StringValue.of(host));
    m.put("Path", StringValue.of(path));
    m.put("RawPath", StringValue.of(""));
    m.put("OmitHost", BooleanValue.FALSE);
    m.put("ForceQuery", BooleanValue.FALSE);
    m.put("RawQuery", StringValue.of(query));
    m.put("Fragment", StringValue.of(fragment));
    m.put("RawFragment", StringValue.of(""));
    return obj(m);
  }

  private static Value extensions(Extensions exts) {
    if (exts == null) {
      return Value.NULL;
    }
    List<Value> out = new ArrayList<>();
    for (ASN1ObjectIdentifier id : exts.getExtensionOIDs()) {
      Extension e = exts.getExtension(id);
      Map<String, Value> m = new LinkedHashMap<>();
      m.put("Id", oid(id.getId()));
      m.put("Critical", BooleanValue.of(e.isCritical()));
      m.put("Value", bytes(e.getExtnValue().getOctets()));
      out.add(obj(m));
    }
    return list(out);
  }

  /** Go's pkix.Name. */
  static Value name(X500Name name) {
    Map<String, List<Value>> multi = new LinkedHashMap<>();
    for (String k :
        List.of(
            "Country",
            "Organization",
            "OrganizationalUnit",
            "Locality",
            "Province",
            "StreetAddress",
            "PostalCode")) {
      multi.put(k, new ArrayList<>());
    }
    String serial = "";
    String cn = "";
    List<Value> names = new ArrayList<>();
    for (RDN rdn : name.getRDNs()) {
      for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
        String oid = atv.getType().getId();
        Value value =
            atv.getValue() instanceof ASN1String s
                ? StringValue.of(s.getString())
                : StringValue.of(atv.getValue().toString());
        Map<String, Value> n = new LinkedHashMap<>();
        n.put("Type", oid(oid));
        n.put("Value", value);
        names.add(obj(n));
        if (!(value instanceof StringValue sv)) {
          continue;
        }
        switch (oid) {
          case "2.5.4.3" -> cn = sv.value();
          case "2.5.4.5" -> serial = sv.value();
          case "2.5.4.6" -> multi.get("Country").add(sv);
          case "2.5.4.7" -> multi.get("Locality").add(sv);
          case "2.5.4.8" -> multi.get("Province").add(sv);
          case "2.5.4.9" -> multi.get("StreetAddress").add(sv);
          case "2.5.4.10" -> multi.get("Organization").add(sv);
          case "2.5.4.11" -> multi.get("OrganizationalUnit").add(sv);
          case "2.5.4.17" -> multi.get("PostalCode").add(sv);
          default -> {}
        }
      }
    }
    Map<String, Value> m = new LinkedHashMap<>();
    multi.forEach((k, v) -> m.put(k, list(v)));
    m.put("SerialNumber", StringValue.of(serial));
    m.put("CommonName", StringValue.of(cn));
    m.put("Names", list(names));
    m.put("ExtraNames", Value.NULL);
    return obj(m);
  }

  private static Value signatureAlgorithm(ASN1ObjectIdentifier alg, Certificate c) {
    String id = alg.getId();
    if (id.equals("1.2.840.113549.1.1.10")) {
      // RSASSA-PSS: Go distinguishes by the hash in the parameters.
      String params = String.valueOf(c.getSignatureAlgorithm().getParameters());
      if (params.contains("2.16.840.1.101.3.4.2.2")) {
        return NumberValue.of(14);
      }
      if (params.contains("2.16.840.1.101.3.4.2.3")) {
        return NumberValue.of(15);
      }
      return NumberValue.of(13);
    }
    return NumberValue.of(SIGNATURE_ALGORITHMS.getOrDefault(id, 0));
  }

  private static int publicKeyAlgorithm(SubjectPublicKeyInfo spki) {
    return switch (spki.getAlgorithm().getAlgorithm().getId()) {
      case "1.2.840.113549.1.1.1" -> 1;
      case "1.2.840.10040.4.1" -> 2;
      case "1.2.840.10045.2.1" -> 3;
      case "1.3.101.112" -> 4;
      default -> 0;
    };
  }

  /** Go's JSON for a public key: RSA {N, E}; ECDSA {Curve, X, Y}; Ed25519 bytes. */
  static Value publicKey(PublicKey key) {
    Map<String, Value> m = new LinkedHashMap<>();
    if (key instanceof RSAPublicKey rsa) {
      m.put("N", NumberValue.of(rsa.getModulus()));
      m.put("E", NumberValue.of(rsa.getPublicExponent()));
      return obj(m);
    }
    if (key instanceof ECPublicKey ec) {
      m.put("Curve", obj(Map.of()));
      m.put("X", NumberValue.of(ec.getW().getAffineX()));
      m.put("Y", NumberValue.of(ec.getW().getAffineY()));
      return obj(m);
    }
    if (key != null && key.getAlgorithm().equals("Ed25519")) {
      byte[] enc = key.getEncoded();
      return bytes(java.util.Arrays.copyOfRange(enc, enc.length - 32, enc.length));
    }
    return Value.NULL;
  }

  private static String text(ASN1Encodable e) {
    return e instanceof ASN1String s ? s.getString() : e.toString();
  }

  static Value oid(String dotted) {
    List<Value> parts = new ArrayList<>();
    for (String p : dotted.split("\\.")) {
      parts.add(NumberValue.of(new BigInteger(p)));
    }
    return ArrayValue.of(parts);
  }

  static Value bytes(byte[] b) {
    return StringValue.of(Base64.getEncoder().encodeToString(b));
  }

  static Value time(Instant t) {
    return StringValue.of(DateTimeFormatter.ISO_INSTANT.format(t));
  }

  static Value list(List<Value> v) {
    return v.isEmpty() ? Value.NULL : ArrayValue.of(v);
  }

  static Value obj(Map<String, Value> m) {
    Map<Value, Value> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(StringValue.of(k), v));
    return ObjectValue.of(out);
  }
}
