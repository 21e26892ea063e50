package io.maestro.provenance;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A SHA-256 value: a receipt digest, a Merkle node or a tree root. Immutable; the bytes are copied
 * in and out. Its text form is {@code sha256:<64 lower-case hex digits>}; proofs and checkpoints
 * carry the standard base64 form instead, as RFC 9162 tooling and C2SP checkpoints do.
 */
public final class Hash {
  public static final int LENGTH = 32;
  private static final String PREFIX = "sha256:";
  private static final HexFormat HEX = HexFormat.of();

  /** The genesis {@code prev} of every log: 32 zero bytes. */
  public static final Hash ZERO = new Hash(new byte[LENGTH]);

  private final byte[] bytes;

  private Hash(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps 32 bytes (copied). */
  public static Hash of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a SHA-256 value has 32 bytes, not " + bytes.length);
    }
    return new Hash(bytes.clone());
  }

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Hash::newDigest);

  /** The SHA-256 of {@code data}. */
  public static Hash sha256(byte[] data) {
    return new Hash(SHA256.get().digest(data));
  }

  /** Parses {@code sha256:<hex>}. */
  public static Hash parse(String text) {
    if (text == null || !text.startsWith(PREFIX) || text.length() != PREFIX.length() + 64) {
      throw new IllegalArgumentException("not a sha256:<64 hex> digest: " + text);
    }
    try {
      return new Hash(HEX.parseHex(text, PREFIX.length(), text.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a sha256:<64 hex> digest: " + text, e);
    }
  }

  /** Parses the standard base64 form used in proofs and checkpoints. */
  public static Hash fromBase64(String text) {
    byte[] b;
    try {
      b = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a base64 SHA-256 value: " + text, e);
    }
    return of(b);
  }

  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** A copy of the 32 bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Feeds the bytes to {@code digest} without copying them. */
  public void updateDigest(MessageDigest digest) {
    digest.update(bytes);
  }

  public String hex() {
    return HEX.formatHex(bytes);
  }

  public String base64() {
    return Base64.getEncoder().encodeToString(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hash h && MessageDigest.isEqual(bytes, h.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** {@code sha256:<hex>}. */
  @Override
  public String toString() {
    return PREFIX + hex();
  }
}
