package io.maestro.cli.backup;

import static io.maestro.cli.InProcess.maestro;
import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.cli.InProcess.Run;
import io.maestro.core.config.ConfigLoader;
import io.maestro.server.MaestroServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code maestro drill chaos} end to end, as a user runs it against a dev server. */
class ChaosDrillCommandTest {
  @TempDir Path dir;

  MaestroServer start(boolean chaos) {
    Path data = dir.resolve(chaos ? "chaos" : "plain");
    return MaestroServer.start(
        new ConfigLoader(Map.of(), data)
            .load(
                Optional.empty(),
                Map.of(
                    "server.port", "0",
                    "server.host", "127.0.0.1",
                    "dataDir", data.toString(),
                    "log.level", "WARN",
                    "chaos.enabled", Boolean.toString(chaos))));
  }

  static String adminToken(String url) {
    Run issued = maestro("token", "issue", "--dev", "--url", url, "--role", "conductor_admin");
    assertThat(issued.code()).as(issued.err()).isZero();
    return issued.out().strip();
  }

  @Test
  void drillChaos_pdpOutage_passesAndWritesItsReport() throws Exception {
    try (MaestroServer server = start(true)) {
      String url = "http://127.0.0.1:" + server.port();
      Path out = dir.resolve("report");
      Run r =
          maestro(
              "drill",
              "chaos",
              "--scenario",
              "pdp-outage",
              "--seconds",
              "3",
              "--url",
              url,
              "--token",
              adminToken(url),
              "-o",
              out.toString());
      assertThat(r.code()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).contains("Result: PASSED").contains("recovery seconds");
      assertThat(Files.readString(out.resolve("chaos.md"))).contains("503 policy_unavailable");
      assertThat(Files.exists(out.resolve("chaos.json"))).isTrue();
    }
  }

  @Test
  void drillChaos_onAServerNotConfiguredForDrills_failsWithThePolicyReason() {
    try (MaestroServer server = start(false)) {
      String url = "http://127.0.0.1:" + server.port();
      Run r =
          maestro(
              "drill",
              "chaos",
              "--scenario",
              "signer-outage",
              "--url",
              url,
              "--token",
              adminToken(url),
              "-o",
              dir.resolve("refused").toString());
      assertThat(r.code()).isNotZero();
      assertThat(r.err().strip()).contains("fault_injection_disabled").doesNotContain("\tat ");
      assertThat(r.err().strip().lines().count()).isEqualTo(1);
    }
  }

  @Test
  void drillChaos_unknownScenario_isAOneLineError() {
    Run r =
        maestro(
            "drill",
            "chaos",
            "--scenario",
            "meteor",
            "--url",
            "http://127.0.0.1:1",
            "--token",
            "t",
            "-o",
            dir.resolve("x").toString());
    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains("unknown scenario meteor").contains("pdp-outage");
  }
}
