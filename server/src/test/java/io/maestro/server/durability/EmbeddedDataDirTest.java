package io.maestro.server.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.problem.MaestroException;
import io.maestro.provenance.ProvenanceErrors;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded database's files on disk: who may read them, and a rolled-back copy of them. */
class EmbeddedDataDirTest {
  @TempDir Path dir;

  /** Regression test: the H2 files were world-readable in a world-readable directory. */
  @Test
  void embeddedDatabase_dataDirIsOwnerOnly_andSoIsEveryFileInIt() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data, PosixFilePermissions.asFileAttribute(perms("rwxr-xr-x")));
    try (MaestroServer server = TestServers.start(data)) {
      Api api = new Api(server.port());
      String admin = api.token("acme", "admin@acme", "tenant_admin");
      checkpointCovering(api, admin, 1);
    }
    assertThat(mode(data)).isEqualTo("rwx------");
    assertThat(mode(data.resolve("db"))).isEqualTo("rwx------");
    List<Path> dbFiles;
    try (Stream<Path> s = Files.list(data.resolve("db"))) {
      dbFiles = s.toList();
    }
    assertThat(dbFiles).isNotEmpty();
    for (Path f : dbFiles) {
      assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
    }
    assertThat(mode(data.resolve("provenance").resolve("checkpoints.json"))).isEqualTo("rw-------");
  }

  /**
   * Regression test: after losing writes the log grew again from an earlier point, and a second
   * root was signed for a size whose checkpoint had already been served. The server now refuses to
   * start on a database that is behind a checkpoint it signed.
   */
  @Test
  void restart_onADatabaseBehindASignedCheckpoint_refusesWithLogRollbackDetected()
      throws Exception {
    Path data = dir.resolve("data");
    Path backup = dir.resolve("backup.mv.db");
    Path dbFile = data.resolve("db").resolve("maestro.mv.db");
    try (MaestroServer server = TestServers.start(data)) {
      Api api = new Api(server.port());
      api.token("acme", "admin@acme", "tenant_admin");
    }
    Files.copy(dbFile, backup); // an old, consistent copy of the database
    long signed;
    try (MaestroServer server = TestServers.start(data)) {
      Api api = new Api(server.port());
      String admin = api.token("acme", "admin@acme", "tenant_admin");
      for (int i = 0; i < 3; i++) {
        api.call(
            "PUT", "/api/tenants/acme/members/m" + i + "@acme", admin, Map.of("role", "operator"));
      }
      signed = checkpointCovering(api, admin, 4);
    }
    Files.copy(backup, dbFile, StandardCopyOption.REPLACE_EXISTING);
    long served = signed;

    assertThatThrownBy(() -> TestServers.start(data))
        .isInstanceOfSatisfying(
            MaestroException.class,
            e -> assertThat(e.code()).isEqualTo(ProvenanceErrors.ROLLBACK_DETECTED))
        .hasMessageContaining("log_rollback_detected")
        .satisfies(
            e -> {
              // The checkpointer may sign again before the server stops: the witness names the
              // latest checkpoint, at least the one served above.
              Matcher m =
                  Pattern.compile("checkpoint (\\d+) of tenant acme").matcher(e.getMessage());
              assertThat(m.find()).as(e.getMessage()).isTrue();
              assertThat(Long.parseLong(m.group(1))).isGreaterThanOrEqualTo(served);
            });
  }

  static long checkpointCovering(Api api, String token, long size) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      Api.Reply r = api.call("GET", "/api/checkpoints/latest", token, null);
      if (r.status() == 200 && r.body().path("size").asLong() >= size) {
        return r.body().path("size").asLong();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no checkpoint covered " + size + " receipts");
  }

  private static java.util.Set<java.nio.file.attribute.PosixFilePermission> perms(String s) {
    return PosixFilePermissions.fromString(s);
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
