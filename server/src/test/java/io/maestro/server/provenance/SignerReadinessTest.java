package io.maestro.server.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.provenance.Provenance;
import io.maestro.provenance.ProvenanceSettings;
import io.maestro.provenance.keys.FileKeyStore;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import io.maestro.store.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
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
      assertThat(check.critical()).as("an outage pauses checkpoints, not the API").isFalse();
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

  /**
   * Issue 5: during a signer outage checkpoints stop and {@code /readyz} says why, while ordinary
   * actions continue; only a critical dependency (the database) makes the server not ready.
   */
  @Test
  void signerOutage_leavesTheServerDegradedButServing_aDatabaseOutageMakesItNotReady()
      throws Exception {
    Path data = dir.resolve("data");
    TestServers.start(data).close(); // the first start creates the signing key
    // Break only the checkpoint signing keys; the dev token issuer's key lives beside them.
    try (var files = Files.list(data.resolve("keys"))) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith("key-")).toList()) {
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-rw-"));
      }
    }
    MaestroServer server = TestServers.start(data);
    try {
      Api api = new Api(server.port());
      Api.Reply ready = api.call("GET", "/readyz", null, null);
      assertThat(ready.status()).isEqualTo(200);
      assertThat(ready.body().path("status").asText()).isEqualTo("degraded");
      assertThat(ready.body().path("checks").path("database").asText()).isEqualTo("ok");
      assertThat(ready.body().path("checks").path("signer").asText())
          .startsWith("signer_unavailable")
          .contains("rw-rw-rw-");

      // Ordinary actions go on, receipted, awaiting the next checkpoint.
      String admin = api.token("acme", "admin@acme", "tenant_admin");
      Api.Reply put =
          api.call("PUT", "/api/tenants/acme/members/bob@acme", admin, Map.of("role", "operator"));
      assertThat(put.status()).isEqualTo(200);
      assertThat(api.call("GET", "/api/receipts", admin, null).body().path("receipts").size())
          .isGreaterThanOrEqualTo(2);
      assertThat(api.call("GET", "/api/checkpoints/latest", admin, null).code())
          .isEqualTo("checkpoint_not_found");

      server.database().close();
      Api.Reply down = api.call("GET", "/readyz", null, null);
      assertThat(down.status()).isEqualTo(503);
      assertThat(down.body().path("status").asText()).isEqualTo("not_ready");
      assertThat(down.body().path("checks").path("database").asText()).isNotEqualTo("ok");
    } finally {
      server.close();
    }
  }
}
