package io.maestro.cli.login;

import static io.maestro.cli.InProcess.maestro;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.cli.InProcess.Run;
import io.maestro.core.config.ConfigLoader;
import io.maestro.server.MaestroServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code maestro login}, {@code token issue} and {@code whoami} against a real dev-mode server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthCommandsTest {
  @TempDir static Path dir;
  MaestroServer server;
  String url;
  String savedHome;

  @BeforeAll
  void start() {
    server =
        MaestroServer.start(
            new ConfigLoader(Map.of(), dir)
                .load(
                    Optional.empty(),
                    Map.of(
                        "server.port", "0",
                        "server.host", "127.0.0.1",
                        "dataDir", dir.resolve("data").toString(),
                        "log.level", "WARN")));
    url = "http://127.0.0.1:" + server.port();
    savedHome = System.getProperty("user.home");
    System.setProperty("user.home", dir.resolve("user").toString());
  }

  @AfterAll
  void stop() {
    System.setProperty("user.home", savedHome);
    server.close();
  }

  @Test
  void tokenIssue_printsABareTokenForScripts() {
    Run r =
        maestro(
            "token",
            "issue",
            "--dev",
            "--url",
            url,
            "--tenant",
            "acme",
            "--create",
            "--role",
            "operator",
            "--attr",
            "region=EU");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().strip()).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    assertThat(r.out().lines()).hasSize(1);
  }

  @Test
  void login_storesPrivateCredentials_andWhoamiSendsThem() throws Exception {
    Run login =
        maestro(
            "login",
            "--dev",
            "--url",
            url,
            "--tenant",
            "globex",
            "--role",
            "tenant_admin",
            "--create");
    assertThat(login.code()).as(login.err()).isZero();
    assertThat(login.out()).contains("Provisioned tenant globex").contains("Logged in");
    Path creds = dir.resolve("user").resolve(".maestro").resolve("credentials");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(creds)))
        .isEqualTo("rw-------");

    Run who = maestro("whoami", "--url", url);
    assertThat(who.code()).as(who.err()).isZero();
    JsonNode me = new ObjectMapper().readTree(who.out());
    assertThat(me.path("tenant").asText()).isEqualTo("globex");
    assertThat(me.path("roles").toString()).contains("tenant_admin");
    assertThat(me.path("quotas").path("maxConcurrent").asInt()).isEqualTo(25);
  }

  @Test
  void whoami_withATenantlessToken_isRefusedWithTheReason() {
    String token =
        maestro("token", "issue", "--dev", "--url", url, "--role", "operator").out().strip();
    Run who = maestro("whoami", "--url", url, "--token", token);
    assertThat(who.code()).isEqualTo(1);
    assertThat(who.err()).contains("tenant_missing").contains("decision dec_");
  }

  @Test
  void login_unknownTenantWithoutCreate_isRefusedAndProvisionsNothing() {
    Run typo =
        maestro("login", "--dev", "--url", url, "--tenant", "acmee", "--role", "tenant_admin");
    assertThat(typo.code()).isEqualTo(1);
    assertThat(typo.err().strip())
        .isEqualTo("maestro: tenant acmee does not exist; add --create to provision it");
    Run again =
        maestro("token", "issue", "--dev", "--url", url, "--tenant", "acmee", "--role", "operator");
    assertThat(again.err()).contains("tenant acmee does not exist");
  }

  @Test
  void login_needsARole_andOneWayToSignIn() {
    assertThat(maestro("login", "--url", url).code()).isEqualTo(2);
    assertThat(maestro("login", "--dev", "--url", url, "--tenant", "acme").err())
        .contains("--role");
  }
}
