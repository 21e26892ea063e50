package io.maestro.provenance.keys;

import io.maestro.provenance.Hash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The public half of a signing key and its life cycle. Its key id is {@code <name>+<key hash>}: the
 * C2SP signed-note key name and the 4-byte key hash (8 hex digits), so a checkpoint's signature
 * line and a JWKS {@code kid} name the same key.
 *
 * @param keyHash {@code SHA-256(name || 0x0A || 0x01 || public key)[:4]}, big-endian
 */
public record PublicKeyInfo(
    String name,
    int keyHash,
    byte[] publicKey,
    Instant created,
    KeyStatus status,
    Optional<Instant> retired) {

  public PublicKeyInfo {
    validateName(name);
    publicKey = publicKey.clone();
    if (publicKey.length != Ed25519.PUBLIC_KEY_LENGTH) {
      throw new IllegalArgumentException("an Ed25519 public key has 32 bytes");
    }
    if (keyHash != keyHash(name, publicKey)) {
      throw new IllegalArgumentException("key hash does not match the key name and public key");
    }
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(retired, "retired");
  }

  public static PublicKeyInfo of(
      String name, byte[] publicKey, Instant created, KeyStatus status, Optional<Instant> retired) {
    return new PublicKeyInfo(name, keyHash(name, publicKey), publicKey, created, status, retired);
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** {@code <name>+<8 hex digits>}. */
  public String keyId() {
    return keyId(name, keyHash);
  }

  public static String keyId(String name, int keyHash) {
    return name + "+" + HexFormat.of().toHexDigits(keyHash);
  }

  public PublicKeyInfo withStatus(KeyStatus newStatus, Optional<Instant> retiredAt) {
    return new PublicKeyInfo(name, keyHash, publicKey, created, newStatus, retiredAt);
  }

  /** The C2SP signed-note key hash for an Ed25519 key (signature type 0x01). */
  public static int keyHash(String name, byte[] publicKey) {
    MessageDigest md = Hash.newDigest();
    md.update(name.getBytes(StandardCharsets.UTF_8));
    md.update((byte) 0x0A);
    md.update((byte) 0x01);
    md.update(publicKey);
    byte[] h = md.digest();
    return ((h[0] & 0xFF) << 24) | ((h[1] & 0xFF) << 16) | ((h[2] & 0xFF) << 8) | (h[3] & 0xFF);
  }

  /** Key names are non-empty and contain no spaces or '+' (C2SP signed-note). */
  public static void validateName(String name) {
    if (name == null
        || name.isEmpty()
        || name.chars()
            .anyMatch(
                c ->
                    Character.isWhitespace(c)
                        || Character.isSpaceChar(c)
                        || c == '+'
                        || c < 0x20)) {
      throw new IllegalArgumentException("a key name is non-empty, without spaces or '+': " + name);
    }
  }

  /** Where a key is in its life. Retired keys still verify old checkpoints; they never sign. */
  public enum KeyStatus {
    /** Written by a rotation whose transaction has not committed yet; never used. */
    PENDING,
    ACTIVE,
    RETIRED
  }
}
