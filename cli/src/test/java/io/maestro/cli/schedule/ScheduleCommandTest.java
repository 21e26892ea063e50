package io.maestro.cli.schedule;

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

/**
 * {@code maestro schedule list|show|pause|resume} and the schedules in {@code maestro status},
 * against a real server whose workflow declares a schedule in its manifest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScheduleCommandTest {
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
                        "schedules.pollSeconds", "0")));
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
    Path manifest = dir.resolve("nightly.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: maestro/v1
        kind: Workflow
        metadata: {name: nightly, version: "1"}
        spec:
          schedules:
            - {id: nightly-report, cron: "0 2 * * *", timeZone: Europe/Berlin}
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
  void listShowPauseResume_andStatusShowsTheSchedules() {
    Run list = m("schedule", "list");
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.out()).contains("nightly-report", "0 2 * * *", "Europe/Berlin", "manifest");

    Run show = m("schedule", "show", "nightly-report");
    assertThat(show.code()).as(show.err()).isZero();
    assertThat(show.out()).contains("next tick", "no firings yet");

    Run paused = m("schedule", "pause", "nightly-report");
    assertThat(paused.code()).as(paused.err()).isZero();
    assertThat(paused.out()).contains("schedule nightly-report paused");
    assertThat(m("status").out()).contains("nightly-report", "paused");

    Run resumed = m("schedule", "resume", "nightly-report");
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("active, next tick");
    Run status = m("status");
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.out()).contains("schedules: 1", "nightly-report", "next 20");
  }

  @Test
  void unknownSchedule_isOneLineAndExitOne() {
    Run r = m("schedule", "pause", "nope");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains("schedule_not_found");
  }
}
