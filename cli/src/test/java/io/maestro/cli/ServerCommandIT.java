package io.maestro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.store.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code maestro server} as a user runs it: through bin/maestro, on H2 and on PostgreSQL. */
class ServerCommandIT {
  static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");
  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  int port(CliRunner.Running server) {
    Matcher m = LISTENING.matcher(server.firstLine("listening on"));
    assertThat(m.find()).isTrue();
    return Integer.parseInt(m.group(1));
  }

  HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void server_onEmbeddedH2_isReadyAndStopsOnSigterm() throws Exception {
    try (CliRunner.Running server =
        CliRunner.start(
            dir,
            Map.of(),
            "listening on",
            CliRunner.SERVER_START,
            "server",
            "--port",
            "0",
            "--host",
            "127.0.0.1",
            "--data-dir",
            dir.resolve("data").toString())) {
      String line = server.firstLine("listening on");
      assertThat(line).contains("database h2").contains("dev mode");
      HttpResponse<String> ready = get(port(server), "/readyz");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(Files.exists(dir.resolve("data/db/maestro.mv.db"))).isTrue();
      int exit = server.terminate();
      assertThat(exit).as("SIGTERM ends the server (128 + 15)").isIn(0, 143);
    }
  }

  @Test
  void server_onPostgres_isReady() throws Exception {
    TestDatabase.requirePostgres();
    String schema = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (CliRunner.Running server =
        CliRunner.start(
            dir,
            Map.of("MAESTRO_DB_SCHEMA", schema, "MAESTRO_DB_USER", TestDatabase.postgresUser()),
            "listening on",
            CliRunner.SERVER_START,
            "server",
            "--port",
            "0",
            "--host",
            "127.0.0.1",
            "--data-dir",
            dir.toString(),
            "--db-url",
            TestDatabase.postgresUrl())) {
      assertThat(server.firstLine("listening on")).contains("database postgresql");
      assertThat(get(port(server), "/readyz").statusCode()).isEqualTo(200);
    } finally {
      try (Connection c =
          DriverManager.getConnection(
              TestDatabase.postgresUrl(), TestDatabase.postgresUser(), "")) {
        c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  @Test
  void server_onPostgresWithoutUser_connectsAsPostgresIntoItsSchemaAndListens() throws Exception {
    TestDatabase.requirePostgres();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        "postgres".equals(TestDatabase.postgresUser()), "the test server's user is not postgres");
    String schema = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (CliRunner.Running server =
        CliRunner.start(
            dir,
            Map.of(),
            "listening on",
            CliRunner.SERVER_START,
            "server",
            "--port",
            "0",
            "--host",
            "127.0.0.1",
            "--data-dir",
            dir.toString(),
            "--db-url",
            TestDatabase.postgresUrl(),
            "--db-schema",
            schema)) {
      assertThat(get(port(server), "/readyz").statusCode()).isEqualTo(200);
      try (Connection c =
          DriverManager.getConnection(
              TestDatabase.postgresUrl(), TestDatabase.postgresUser(), "")) {
        // The wake-up listener connects outside the pool; it used to send an empty user name and
        // log a stack trace every second instead.
        boolean listening = false;
        for (int i = 0; i < 100 && !listening; i++) {
          var rs =
              c.createStatement()
                  .executeQuery(
                      "SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN"
                          + " maestro_engine_work' AND usename = 'postgres'"
                          + " AND application_name NOT LIKE 'psql%'");
          rs.next();
          listening = rs.getInt(1) > 0;
          if (!listening) {
            Thread.sleep(100);
          }
        }
        assertThat(listening).isTrue();
        var tables =
            c.createStatement()
                .executeQuery(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
                        + schema
                        + "' AND table_name = 'flyway_schema_history'");
        tables.next();
        assertThat(tables.getInt(1)).isEqualTo(1);
      }
      assertThat(Files.readString(server.stderr()))
          .doesNotContain("user name")
          .doesNotContain("LISTEN connection failed");
    } finally {
      try (Connection c =
          DriverManager.getConnection(
              TestDatabase.postgresUrl(), TestDatabase.postgresUser(), "")) {
        c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  @Test
  void server_badConfigValue_exitsWithOneLineNamingTheKey() throws Exception {
    CliRunner.Result r = CliRunner.run(dir, Map.of("MAESTRO_SERVER_PORT", "eighty"), "server");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr().strip())
        .isEqualTo(
            "maestro: configuration error: server.port: must be an integer between 0 and 65535"
                + " (got 'eighty' from MAESTRO_SERVER_PORT)");
    assertThat(r.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void server_check_reportsTheSchemaVersion() throws Exception {
    CliRunner.Result fresh =
        CliRunner.run(
            dir, Map.of(), "server", "--check", "--data-dir", dir.resolve("d").toString());
    assertThat(fresh.exitCode()).as(fresh.stderr()).isEqualTo(1);
    assertThat(fresh.stdout()).contains("schema version: none").contains("pending migrations:");
  }

  @Test
  void version_printsVersionAndCommit() throws Exception {
    CliRunner.Result r = CliRunner.run(dir, Map.of(), "--version");
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).containsPattern("maestro \\S+ \\(commit [0-9a-f]{7,}|unknown\\)");
  }

  @Test
  void help_listsCommandsAndEachCommandHasHelp() throws Exception {
    CliRunner.Result r = CliRunner.run(dir, Map.of(), "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).contains("server");
    CliRunner.Result s = CliRunner.run(dir, Map.of(), "server", "--help");
    assertThat(s.exitCode()).isZero();
    assertThat(s.stdout()).contains("--db-url").contains("--data-dir").contains("--port");
  }

  @Test
  void unknownOption_isAUsageErrorWithoutStackTrace() throws Exception {
    CliRunner.Result r = CliRunner.run(dir, Map.of(), "server", "--nope");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("maestro: unknown option '--nope'").doesNotContain("\tat ");
  }
}
