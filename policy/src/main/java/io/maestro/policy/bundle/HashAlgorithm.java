package io.maestro.policy.bundle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The file hash algorithms OPA's bundle signatures may name (SHA-256 is the default). */
public enum HashAlgorithm {
  MD5("MD5", "MD5"),
  SHA1("SHA-1", "SHA-1"),
  SHA224("SHA-224", "SHA-224"),
  SHA256("SHA-256", "SHA-256"),
  SHA384("SHA-384", "SHA-384"),
  SHA512("SHA-512", "SHA-512"),
  SHA512_224("SHA-512-224", "SHA-512/224"),
  SHA512_256("SHA-512-256", "SHA-512/256");

  private final String opaName;
  private final String jcaName;

  HashAlgorithm(String opaName, String jcaName) {
    this.opaName = opaName;
    this.jcaName = jcaName;
  }

  /** The name written in the {@code algorithm} field of a signed file entry. */
  public String opaName() {
    return opaName;
  }

  public MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance(jcaName);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + jcaName, e);
    }
  }

  /** The algorithm OPA calls {@code name}, or null when OPA knows no such algorithm. */
  public static HashAlgorithm fromOpaName(String name) {
    for (HashAlgorithm a : values()) {
      if (a.opaName.equals(name)) {
        return a;
      }
    }
    return null;
  }
}
