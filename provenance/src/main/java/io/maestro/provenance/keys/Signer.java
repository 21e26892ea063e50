package io.maestro.provenance.keys;

/**
 * Something that signs with one Ed25519 key: checkpoints (signed notes) and DSSE envelopes.
 * Implementations are thread-safe.
 */
public interface Signer {
  PublicKeyInfo key();

  /** The Ed25519 signature of {@code message} (64 bytes). */
  byte[] sign(byte[] message);
}
