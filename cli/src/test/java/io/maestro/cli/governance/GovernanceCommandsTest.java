package io.maestro.cli.governance;

import static io.maestro.cli.InProcess.maestro;
import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.cli.InProcess.Run;
import io.maestro.core.config.ConfigLoader;
import io.maestro.server.MaestroServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code maestro ramp|kill|unkill|freeze|break-glass|incidents} against a real server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GovernanceCommandsTest {
  @TempDir static Path dir;
  MaestroServer server;
  String url;
  String token;

  @BeforeAll
  void start() throws Exception {
    server =
        MaestroServer.start(
            new ConfigLoader(Map.of(), dir)
                .load(
                    Optional.empty(),
                    Map.of(
                        "server.port", "0",
                        "server.host", "127.0.0.1",
                        "dataDir", dir.resolve("data").toString(),
                        "log.level", "WARN",
                        "governance.rollback.intervalSeconds", "1",
                        "governance.rollback.minRuns", "1")));
    url = "http://127.0.0.1:" + server.port();
    Run issued =
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
    assertThat(issued.code()).as(issued.err()).isZero();
    token = issued.out().strip();
    Path manifest = dir.resolve("greet.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: maestro/v1
        kind: Workflow
        metadata: {name: greet, version: "1"}
        spec:
          tasks:
            - {id: hi, uses: core/log, with: {message: "hi"}}
        """);
    Run run = maestro("run", manifest.toString(), "--follow", "--url", url, "--token", token);
    assertThat(run.code()).as(run.out() + run.err()).isZero();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  Run m(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--url";
    all[args.length + 1] = url;
    all[args.length + 2] = "--token";
    all[args.length + 3] = token;
    return maestro(all);
  }

  @Test
  void ramp_setShowAndHistory() {
    Run set = m("ramp", "set", "greet", "--percent", "25");
    assertThat(set.code()).as(set.err()).isZero();
    assertThat(set.out()).contains("ramp greet at 25% (step 1)");
    assertThat(m("ramp", "show").out()).contains("greet").contains("25");
    assertThat(m("ramp", "set", "greet", "--percent", "100").code()).isZero();
    Run history = m("ramp", "history", "greet");
    assertThat(history.out()).contains("\"from\":25").contains("\"to\":100");
  }

  @Test
  void ramp_badPercentIsOneLineAndNonZero() {
    Run r = m("ramp", "set", "greet", "--percent", "101");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("ramp_percent_invalid").doesNotContain("Exception");
    assertThat(r.err().strip().lines().count()).isEqualTo(1);
    Run unknown = m("ramp", "set", "nope", "--percent", "5");
    assertThat(unknown.err()).contains("governance_workflow_unknown");
  }

  @Test
  void killAndUnkill() {
    Run kill = m("kill", "greet", "--reason", "bad deploy");
    assertThat(kill.code()).as(kill.err()).isZero();
    assertThat(kill.out()).contains("pulled (workflow)");
    Run refused = m("run", dir.resolve("greet.yaml").toString());
    assertThat(refused.code()).isEqualTo(1);
    // The refusal line leads with the policy's reason code.
    assertThat(refused.err())
        .contains("refused: kill_switch_active — ")
        .contains("kill switch")
        .contains("stops this start");
    Run unkill = m("unkill", "greet");
    assertThat(unkill.code()).as(unkill.err()).isZero();
    assertThat(unkill.out()).contains("released");
    assertThat(m("unkill", "greet").err()).contains("no active kill switch matches");
    assertThat(m("kill").code()).isEqualTo(1);
  }

  @Test
  void throttles_listAndReleaseUnknownIsOneLineAndNonZero() {
    Run list = m("throttles");
    assertThat(list.code()).as(list.err()).isZero();
    Run release = m("throttles", "release", "th_nope");
    assertThat(release.code()).isEqualTo(1);
    assertThat(release.err()).contains("no active throttle th_nope").doesNotContain("Exception");
    assertThat(release.err().strip().lines().count()).isEqualTo(1);
  }

  @Test
  void killInPauseMode_holdsStartsWithItsOwnCodeUntilUnkill() {
    Run pause = m("kill", "greet", "--mode", "pause", "--reason", "maintenance");
    assertThat(pause.code()).as(pause.err()).isZero();
    Run held = m("run", dir.resolve("greet.yaml").toString());
    assertThat(held.code()).isEqualTo(1);
    assertThat(held.err()).contains("refused: workflow_paused — ").contains("pauses this workflow");
    assertThat(m("unkill", "greet").code()).isZero();
    Run bad = m("kill", "greet", "--mode", "nap");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("drain, cancel or pause");
  }

  /**
   * End to end as an operator would: a run waiting on a timer is paused by {@code kill --mode
   * pause} (listed as paused, its due timer not handled), and {@code unkill} resumes it to success.
   */
  @Test
  void killInPauseMode_pausesTheRunningRunAndUnkillResumesIt() throws Exception {
    Path napper = dir.resolve("napper.yaml");
    Files.writeString(
        napper,
        """
        apiVersion: maestro/v1
        kind: Workflow
        metadata: {name: napper, version: "1"}
        spec:
          tasks:
            - {id: nap, uses: core/wait, with: {duration: 2s}}
            - {id: after, uses: core/log, needs: [nap], with: {message: "awake"}}
        """);
    Run started = m("run", napper.toString());
    assertThat(started.code()).as(started.err()).isZero();
    String runId = started.out().replaceAll("(?s).*run (run_[A-Za-z0-9_-]+) started.*", "$1");
    assertThat(runId).startsWith("run_");

    Run pause = m("kill", "napper", "--mode", "pause", "--reason", "downstream outage");
    assertThat(pause.code()).as(pause.err()).isZero();
    assertThat(pause.out()).contains(runId + ": paused");
    Thread.sleep(2500); // the timer comes due meanwhile; a paused run's wake-up is held
    Run status = m("status", runId);
    assertThat(status.out()).contains(runId).contains("PAUSED");
    assertThat(m("runs", "list", "--status", "paused").out()).contains(runId);
    assertThat(m("run", napper.toString()).err()).contains("pauses this workflow");

    Run unkill = m("unkill", "napper");
    assertThat(unkill.code()).as(unkill.err()).isZero();
    assertThat(unkill.out()).contains("released").contains(runId + ": resumed");
    long deadline = System.nanoTime() + 20_000_000_000L;
    String now;
    do {
      Thread.sleep(100);
      now = m("status", runId).out();
    } while (!now.contains("SUCCEEDED") && System.nanoTime() < deadline);
    assertThat(now).contains("SUCCEEDED");
  }

  @Test
  void freezeAndBreakGlass() {
    Instant now = Instant.now();
    Run add =
        m(
            "freeze",
            "add",
            "--from",
            now.plusSeconds(86_400 * 30).toString(),
            "--to",
            now.plusSeconds(86_400 * 31).toString(),
            "--reason",
            "month end");
    assertThat(add.code()).as(add.err()).isZero();
    assertThat(m("freeze", "list").out()).contains("month end");
    Run inverted =
        m(
            "freeze",
            "add",
            "--from",
            now.plusSeconds(7200).toString(),
            "--to",
            now.plusSeconds(3600).toString());
    assertThat(inverted.err()).contains("freeze_window_invalid");
    Run open = m("break-glass", "open", "--reason", "INC-42", "--for", "30m");
    assertThat(open.code()).as(open.err()).isZero();
    assertThat(open.out()).contains("open until");
    assertThat(m("break-glass", "list").out()).contains("INC-42");
    String grant = open.out().replaceAll("(?s).*grant (bg_[0-9a-f]+) .*", "$1");
    Run closed = m("break-glass", "close", grant);
    assertThat(closed.out()).contains(grant + " closed for").doesNotContain("until");
    assertThat(m("break-glass", "open", "--reason", "x", "--for", "3d").err())
        .contains("break_glass_invalid");
  }

  @Test
  void incidents_listShowAndClose() throws Exception {
    Path boom = dir.resolve("boom.yaml");
    Files.writeString(
        boom,
        """
        apiVersion: maestro/v1
        kind: Workflow
        metadata: {name: boom, version: "1"}
        spec:
          tasks:
            - {id: pay, uses: core/fail, with: {message: "card service down"}}
        """);
    assertThat(m("workflows", "publish", boom.toString()).code()).isZero();
    assertThat(m("ramp", "set", "boom", "--version", "1", "--percent", "100").code()).isZero();
    Run failed = m("run", boom.toString(), "--follow");
    assertThat(failed.code()).as(failed.out() + failed.err()).isNotZero();

    Run list = null;
    for (int i = 0; i < 100; i++) {
      list = m("incidents", "--output", "json");
      if (list.out().contains("boom")) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(list.out()).contains("\"workflow\" : \"boom\"");
    String id = list.out().replaceAll("(?s).*\"id\" : \"(inc_[^\"]+)\".*", "$1");
    assertThat(m("incidents").out()).contains(id).contains("boom@1").contains("open");
    Run show = null;
    for (int i = 0; i < 100; i++) {
      show = m("incidents", "show", id);
      if (show.out().contains("mitigation_applied")) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(show.out()).contains("breach_detected").contains("mitigation_applied");
    assertThat(m("ramp", "show").out()).contains("boom@1");
    Run close = m("incidents", "close", id, "--comment", "card service restored");
    assertThat(close.code()).as(close.err()).isZero();
    assertThat(close.out()).contains("closed").contains("card service restored");
    Run again = m("incidents", "close", id);
    assertThat(again.code()).isNotZero();
    assertThat(again.err()).contains("incident_closed").doesNotContain("Exception");
    Run missing = m("incidents", "show", "inc_nope");
    assertThat(missing.code()).isNotZero();
    assertThat(missing.err().lines()).hasSize(1);
    assertThat(missing.err()).contains("incident_not_found");
  }

  @Test
  void slo_showAndRules() {
    Run show = m("slo", "show");
    assertThat(show.code()).as(show.err()).isZero();
    assertThat(show.out())
        .contains("workflow-success")
        .contains("run-latency")
        .contains("(prometheus)");
    Run rules = maestro("slo", "rules", "--edition", "saas");
    assertThat(rules.code()).as(rules.err()).isZero();
    assertThat(rules.out())
        .contains("MaestroSloBurnPage")
        .contains("maestro_slo:error_ratio:rate5m");
    Run bad = maestro("slo", "rules", "--edition", "gold");
    assertThat(bad.code()).isNotZero();
    assertThat(bad.err().lines()).hasSize(1);
    assertThat(bad.err()).contains("gold").doesNotContain("Exception");
    Run dashboard = maestro("slo", "dashboard", "--edition", "saas");
    assertThat(dashboard.code()).as(dashboard.err()).isZero();
    assertThat(dashboard.out())
        .contains("\"uid\" : \"maestro-slo-saas\"")
        .contains("mc_slo_burn_rate{tenant=\\\"$tenant\\\"");
    Run badDashboard = maestro("slo", "dashboard", "--file", "/nonexistent/slos.yaml");
    assertThat(badDashboard.code()).isNotZero();
    assertThat(badDashboard.err().lines()).hasSize(1);
  }
}
