package io.maestro.rego.builtins.crypto;

import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.crypto.CryptoBuiltins.ParsedCert;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.SetValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Chain verification with OPA's conventions: the first certificate is the root, the last the leaf,
 * the others intermediates; like Go's {@code x509.Verify}, the leaf must be valid for the requested
 * extended key usages (server authentication by default) and, if given, the DNS name.
 */
final class X509Chains {
  private X509Chains() {}

  private static final Map<String, Integer> KEY_USAGE_NAMES =
      Map.ofEntries(
          Map.entry("KeyUsageAny", 0),
          Map.entry("KeyUsageServerAuth", 1),
          Map.entry("KeyUsageClientAuth", 2),
          Map.entry("KeyUsageCodeSigning", 3),
          Map.entry("KeyUsageEmailProtection", 4),
          Map.entry("KeyUsageIPSECEndSystem", 5),
          Map.entry("KeyUsageIPSECTunnel", 6),
          Map.entry("KeyUsageIPSECUser", 7),
          Map.entry("KeyUsageTimeStamping", 8),
          Map.entry("KeyUsageOCSPSigning", 9),
          Map.entry("KeyUsageMicrosoftServerGatedCrypto", 10),
          Map.entry("KeyUsageNetscapeServerGatedCrypto", 11),
          Map.entry("KeyUsageMicrosoftCommercialCodeSigning", 12),
          Map.entry("KeyUsageMicrosoftKernelCodeSigning", 13));

  record Options(Instant time, String dnsName, Set<Integer> keyUsages) {
    static Options defaults(Instant now) {
      return new Options(now, "", Set.of(1));
    }

    static Options from(String builtin, ObjectValue o, Instant now) {
      Instant time = now;
      String dns = "";
      Set<Integer> usages = new HashSet<>();
      for (Map.Entry<Value, Value> e : o.entries().entrySet()) {
        if (!(e.getKey() instanceof StringValue k)) {
          continue;
        }
        Value v = e.getValue();
        switch (k.value()) {
          case "DNSName" -> {
            if (!(v instanceof StringValue s)) {
              throw BuiltinException.error(builtin, "'DNSName' should be a string");
            }
            dns = s.value();
          }
          case "CurrentTime" -> {
            if (!(v instanceof NumberValue n)) {
              throw BuiltinException.error(builtin, "'CurrentTime' should be a number");
            }
            if (!n.isInteger()) {
              throw BuiltinException.error(builtin, "'CurrentTime' should be a valid int64 number");
            }
            BigInteger ns = n.bigInteger();
            BigInteger[] parts = ns.divideAndRemainder(BigInteger.valueOf(1_000_000_000L));
            time = Instant.ofEpochSecond(parts[0].longValue(), parts[1].longValue());
          }
          case "MaxConstraintComparisons" -> {
            if (!(v instanceof NumberValue)) {
              throw BuiltinException.error(
                  builtin, "'MaxConstraintComparisons' should be a number");
            }
          }
          case "KeyUsages" -> {
            Collection<Value> items;
            if (v instanceof ArrayValue a) {
              items = a.elements();
            } else if (v instanceof SetValue s) {
              items = s.elements();
            } else {
              throw BuiltinException.error(builtin, "'KeyUsages' should be an Array or Set");
            }
            List<String> invalid = new ArrayList<>();
            for (Value item : items) {
              if (item instanceof StringValue s) {
                Integer u = KEY_USAGE_NAMES.get(s.value());
                if (u == null) {
                  invalid.add(s.value());
                } else {
                  usages.add(u);
                }
              }
            }
            if (!invalid.isEmpty()) {
              throw BuiltinException.error(
                  builtin,
                  "invalid entries for 'KeyUsages' found: [" + String.join(" ", invalid) + "]");
            }
          }
          default -> throw BuiltinException.error(builtin, "invalid key option");
        }
      }
      return new Options(time, dns, usages.isEmpty() ? Set.of(1) : Set.copyOf(usages));
    }
  }

  /** Returns the verified chain (leaf first, root last), or null when verification fails. */
  static List<ParsedCert> verify(List<ParsedCert> certs, Options opts) {
    if (certs.size() < 2) {
      return null;
    }
    ParsedCert root = certs.get(0);
    ParsedCert leaf = certs.get(certs.size() - 1);
    List<ParsedCert> pool = new ArrayList<>(certs.subList(1, certs.size() - 1));
    // Build the path from the leaf up to the root by issuer/subject names.
    List<ParsedCert> path = new ArrayList<>();
    path.add(leaf);
    ParsedCert cur = leaf;
    while (!issuedBy(cur, root)) {
      ParsedCert next = null;
      for (ParsedCert c : pool) {
        if (issuedBy(cur, c)) {
          next = c;
          break;
        }
      }
      if (next == null) {
        return null;
      }
      pool.remove(next);
      path.add(next);
      cur = next;
    }
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      List<X509Certificate> jdkPath = new ArrayList<>();
      for (ParsedCert c : path) {
        jdkPath.add(c.jdk());
      }
      PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root.jdk(), null)));
      params.setRevocationEnabled(false);
      params.setDate(Date.from(opts.time()));
      root.jdk().checkValidity(Date.from(opts.time()));
      CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(jdkPath), params);
    } catch (Exception e) {
      return null;
    }
    for (ParsedCert c : path) {
      if (!allowsUsage(c.jdk(), opts.keyUsages())) {
        return null;
      }
    }
    if (!opts.dnsName().isEmpty() && !matchesHost(leaf.jdk(), opts.dnsName())) {
      return null;
    }
    List<ParsedCert> chain = new ArrayList<>(path);
    chain.add(root);
    return chain;
  }

  private static boolean issuedBy(ParsedCert child, ParsedCert parent) {
    return child.jdk().getIssuerX500Principal().equals(parent.jdk().getSubjectX500Principal());
  }

  private static boolean allowsUsage(X509Certificate c, Set<Integer> wanted) {
    if (wanted.contains(0)) {
      return true;
    }
    List<String> eku;
    try {
      eku = c.getExtendedKeyUsage();
    } catch (java.security.cert.CertificateParsingException e) {
      return false;
    }
    if (eku == null) {
      return true;
    }
    for (String oid : eku) {
      int u = GoX509.extKeyUsage(oid);
      if (u == 0 || wanted.contains(u)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matchesHost(X509Certificate c, String host) {
    String h = host.toLowerCase(Locale.ROOT);
    try {
      Collection<List<?>> sans = c.getSubjectAlternativeNames();
      if (sans == null) {
        return false;
      }
      for (List<?> san : sans) {
        int type = (Integer) san.get(0);
        String name = String.valueOf(san.get(1)).toLowerCase(Locale.ROOT);
        if ((type == 2 && matchDns(name, h)) || (type == 7 && name.equals(h))) {
          return true;
        }
      }
    } catch (java.security.cert.CertificateParsingException e) {
      return false;
    }
    return false;
  }

  private static boolean matchDns(String pattern, String host) {
    if (pattern.startsWith("*.")) {
      int dot = host.indexOf('.');
      return dot > 0 && host.substring(dot).equals(pattern.substring(1));
    }
    return pattern.equals(host);
  }

  /** Whether the private key belongs to the public key (Go's tls.X509KeyPair check). */
  static boolean matches(PublicKey pub, PrivateKey priv) {
    if (pub instanceof RSAPublicKey r && priv instanceof RSAPrivateCrtKey k) {
      return r.getModulus().equals(k.getModulus());
    }
    if (pub instanceof ECPublicKey && priv instanceof ECPrivateKey) {
      return true;
    }
    return pub.getAlgorithm().equals(priv.getAlgorithm())
        || (pub.getAlgorithm().startsWith("Ed") && priv.getAlgorithm().startsWith("Ed"));
  }
}
