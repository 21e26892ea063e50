package io.maestro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.store.Database;
import io.maestro.store.Migrations;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up failures an operator can fix end {@code maestro server} with a non-zero exit and one
 * line saying what is wrong — never a half-started server or a stack trace.
 */
public class ServerStartupIT {
  @TempDir Path dir;

  public static void assertOneLine(CliRunner.Result r, String expected) {
    assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(1);
    assertThat(r.stderr().strip()).as(r.stderr()).contains(expected);
    assertThat(r.stderr().strip().lines()).as(r.stderr()).hasSize(1);
    assertThat(r.stdout()).doesNotContain("listening on");
  }

  @Test
  void server_portInUse_exitsWithOneLineNamingThePort() throws Exception {
    try (ServerSocket busy = new ServerSocket()) {
      busy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = busy.getLocalPort();
      CliRunner.Result r =
          CliRunner.run(
              dir,
              Map.of(),
              "server",
              "--port",
              Integer.toString(port),
              "--host",
              "127.0.0.1",
              "--data-dir",
              dir.resolve("data").toString());
      assertOneLine(r, "maestro: port " + port + " is in use; use --port");
    }
  }

  @Test
  void server_dataDirUnusable_exitsWithOneLineNamingTheDirectory() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    CliRunner.Result r =
        CliRunner.run(dir, Map.of(), "server", "--port", "0", "--data-dir", file.toString());
    assertOneLine(r, "maestro: data directory " + file + " is not a directory; use --data-dir");
  }

  @Test
  void server_databaseUnreachable_exitsWithOneLineAndTheUrlWithoutPassword() throws Exception {
    CliRunner.Result r =
        CliRunner.run(
            dir,
            Map.of("MAESTRO_DB_PASSWORD", "s3cret"),
            "server",
            "--port",
            "0",
            "--data-dir",
            dir.resolve("data").toString(),
            "--db-url",
            "jdbc:postgresql://127.0.0.1:1/test?password=hunter2");
    assertOneLine(
        r,
        "maestro: cannot connect to the database jdbc:postgresql://127.0.0.1:1/test?password=***");
    assertThat(r.stderr()).doesNotContain("hunter2").doesNotContain("s3cret");
  }

  @Test
  void server_schemaNewerThanBinary_exitsWithOneLine() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve("db"));
    try (Database db = Database.open(Database.embeddedUrl(data), "", "", 2, "")) {
      Migrations.migrate(db);
      try (Connection c = db.dataSource().getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\","
                      + " \"description\", \"type\", \"script\", \"checksum\", \"installed_by\","
                      + " \"execution_time\", \"success\") VALUES"
                      + " (100000, '299912312359', 'from the future', 'SQL',"
                      + " 'V299912312359__future.sql', 0, 'test', 1, TRUE)")) {
        ps.executeUpdate();
        c.commit();
      }
    }
    CliRunner.Result r =
        CliRunner.run(dir, Map.of(), "server", "--port", "0", "--data-dir", data.toString());
    assertOneLine(
        r, "maestro: the database schema (version 299912312359) is newer than this maestro binary");
    CliRunner.Result check =
        CliRunner.run(dir, Map.of(), "server", "--check", "--data-dir", data.toString());
    assertOneLine(check, "is newer than this maestro binary");
  }
}
