package io.maestro.server.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.provenance.Provenance;
import io.maestro.provenance.ProvenanceSettings;
import io.maestro.provenance.keys.FileKeyStore;
import io.maestro.store.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignerReadinessTest {
  @TempDir Path dir;

  @Test
  void signerCheck_failsWithTheReasonWhileNoKeyIsUsable() throws Exception {
    try (TestDatabase tdb = TestDatabase.h2()) {
      SecureRandom random = new SecureRandom();
      Provenance p =
          Provenance.open(
              tdb.database(),
              ProvenanceSettings.defaults(),
              new FileKeyStore(dir.resolve("keys")),
              Clock.systemUTC(),
              random,
              random);
      var check = new ProvenanceService(tdb.database(), p).signerCheck();
      assertThat(check.name()).isEqualTo("signer");
      assertThat(check.problem()).isEmpty();

      try (var files = Files.list(dir.resolve("keys"))) {
        for (Path f : files.toList()) {
          Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-rw-"));
        }
      }
      p.keys().reload();
      assertThat(check.problem())
          .hasValueSatisfying(
              why -> assertThat(why).contains("signer_unavailable").contains("rw-rw-rw-"));
    }
  }
}
