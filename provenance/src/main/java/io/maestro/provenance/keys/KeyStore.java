package io.maestro.provenance.keys;

import java.util.List;

/**
 * Where signing keys are kept. {@link FileKeyStore} is the default; a KMS-backed store can replace
 * it later.
 *
 * <p>Contract: {@link #load()} returns every key it can read, including retired ones, and reports
 * each key it cannot use (unreadable, wrong permissions) as a {@link KeyProblem} instead of
 * failing, so the key ring can report a signer outage precisely. {@link #save} is atomic per key (a
 * crash leaves either the old or the new file) and overwrites a key with the same id.
 * Implementations are thread-safe.
 */
public interface KeyStore {
  Loaded load();

  void save(StoredKey key);

  /** A human description of where keys live, for status messages. */
  String describe();

  /** A key with its private seed. Never logged, never serialized outside the store. */
  record StoredKey(PublicKeyInfo info, byte[] seed) {
    public StoredKey {
      seed = seed.clone();
    }

    @Override
    public byte[] seed() {
      return seed.clone();
    }

    @Override
    public String toString() {
      return "StoredKey[" + info.keyId() + ", " + info.status() + "]";
    }
  }

  /** A key the store holds but cannot use, and why. */
  record KeyProblem(String where, String reason) {}

  record Loaded(List<StoredKey> keys, List<KeyProblem> problems) {
    public Loaded {
      keys = List.copyOf(keys);
      problems = List.copyOf(problems);
    }
  }
}
