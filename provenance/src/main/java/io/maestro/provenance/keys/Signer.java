package io.maestro.provenance.keys;

/**
 * Something that signs with one Ed25519 key: checkpoints (signed notes) and DSSE envelopes.
 * Implementations are thread-safe.
 */
public interface Signer {
  PublicKeyInfo key();

  /** The Ed25519 signature of {@code message} (64 bytes). */
  byte[] sign(byte[] message);

  /** A signer over a key held in a {@link KeyStore}, e.g. a release key outside any key ring. */
  static Signer of(KeyStore.StoredKey key) {
    org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters secret =
        new org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters(key.seed(), 0);
    PublicKeyInfo info = key.info();
    return new Signer() {
      @Override
      public PublicKeyInfo key() {
        return info;
      }

      @Override
      public byte[] sign(byte[] message) {
        return Ed25519.sign(secret, message);
      }

      @Override
      public String toString() {
        return "Signer[" + info.keyId() + "]";
      }
    };
  }
}
