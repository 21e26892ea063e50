package io.maestro.cli.brand;

import static io.maestro.cli.InProcess.maestro;
import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.cli.InProcess.Run;
import io.maestro.core.config.ConfigLoader;
import io.maestro.server.MaestroServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code maestro brand apply|show} against a real dev-mode server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrandCommandTest {
  @TempDir static Path dir;
  MaestroServer server;
  String url;
  String root;

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
    Run tenant =
        maestro(
            "token",
            "issue",
            "--dev",
            "--url",
            url,
            "--tenant",
            "acme",
            "--role",
            "tenant_admin",
            "--create");
    assertThat(tenant.code()).as(tenant.err()).isZero();
    Run issued = maestro("token", "issue", "--dev", "--url", url, "--role", "conductor_admin");
    assertThat(issued.code()).as(issued.err()).isZero();
    root = issued.out().strip();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void applyTheExamplePack_toATenant_thenShowIt() {
    Run applied =
        maestro(
            "brand",
            "apply",
            Path.of("..", "examples", "brand", "northwind.yaml").toString(),
            "--tenant",
            "acme",
            "--url",
            url,
            "--token",
            root);
    assertThat(applied.code()).as(applied.err()).isZero();
    assertThat(applied.out())
        .contains("brand pack northwind saved (version 1, receipt rcp_")
        .contains("tenant acme now shows brand pack northwind (receipt rcp_");
    Run shown = maestro("brand", "show", "northwind", "--url", url, "--token", root);
    assertThat(shown.out())
        .contains("northwind: Northwind Flow")
        .contains("  font_family \"DejaVu Sans\", system-ui, sans-serif")
        .contains("  font_size 16px")
        .contains("banner_fg on banner_bg");
  }

  @Test
  void aPackFailingContrast_isOneLineAndNonZero() throws Exception {
    Path pale = dir.resolve("pale.yaml");
    Files.writeString(
        pale, "name: Pale\nproduct_name: Pale\ncolors: {fg: \"#aaaaaa\", bg: \"#ffffff\"}\n");
    Run r = maestro("brand", "apply", pale.toString(), "--url", url, "--token", root);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains("below WCAG AA (4.5:1)").contains("policy_denied");
  }
}
