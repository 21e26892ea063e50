package io.maestro.provenance.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.provenance.KeyRing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRingTest {
  @TempDir Path dir;

  @Test
  void open_onAnEmptyStore_createsAnActiveKeyThatSigns() {
    KeyRing ring =
        KeyRing.open(
            new FileKeyStore(dir.resolve("keys")),
            "maestro.test",
            Clock.systemUTC(),
            new SecureRandom());
    assertThat(ring.status().available()).isTrue();
    assertThat(ring.publicKeys().keys()).hasSize(1);
    assertThat(ring.requireSigner().sign(new byte[] {1})).hasSize(64);
  }

  @Test
  void open_whereNoKeyCanBeWritten_reportsASignerOutageInsteadOfFailing() throws Exception {
    // A regular file where the key directory should be: nobody, not even root, can create it.
    Path blocked = dir.resolve("blocked");
    Files.writeString(blocked, "not a directory");
    KeyRing ring =
        KeyRing.open(
            new FileKeyStore(blocked.resolve("keys")),
            "maestro.test",
            Clock.systemUTC(),
            new SecureRandom());
    assertThat(ring.status().available()).isFalse();
    assertThat(ring.status().problem()).contains("cannot create the first signing key");
    assertThat(ring.signer()).isEmpty();
  }
}
