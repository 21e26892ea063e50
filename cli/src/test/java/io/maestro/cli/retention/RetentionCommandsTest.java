package io.maestro.cli.retention;

import static io.maestro.cli.InProcess.maestro;
import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.cli.InProcess.Run;
import io.maestro.core.config.ConfigLoader;
import io.maestro.server.MaestroServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maestro retention …} as a user drives it against a real server: a rule below the
 * platform's minimum is a policy refusal in one line, a rule within it is set and listed, a legal
 * hold stops the job until it is released, and a removed rule means "kept for good".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetentionCommandsTest {
  @TempDir static Path dir;
  MaestroServer server;
  String url;
  String token;

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
                        "log.level", "WARN",
                        "retention.minDays", "7")));
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
            "--subject",
            "ana@acme",
            "--role",
            "tenant_admin",
            "--create");
    assertThat(issued.code()).as(issued.err()).isZero();
    token = issued.out().strip();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  Run retention(String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "retention";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--url";
    all[args.length + 2] = url;
    all[args.length + 3] = "--token";
    all[args.length + 4] = token;
    return maestro(all);
  }

  @Test
  void rulesHoldsAndRuns_asAUserDrivesThem() {
    Run low = retention("set", "runs", "--days", "3");
    assertThat(low.code()).isEqualTo(1);
    assertThat(low.err())
        .contains("policy_denied")
        .contains("below the platform's minimum of 7 days")
        .doesNotContain("Exception");
    Run unknown = retention("set", "pictures", "--days", "30");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("unknown data class pictures");

    Run set = retention("set", "runs", "--days", "30");
    assertThat(set.code()).as(set.err()).isZero();
    assertThat(set.out()).contains("runs kept 30 days (decision dec_");
    Run rules = retention("rules");
    assertThat(rules.out()).contains("bounds: 7–∞ days").contains("30d").contains("forever");

    Run hold = retention("hold", "--reason", "litigation 2026-17");
    assertThat(hold.code()).as(hold.err()).isZero();
    Matcher m = Pattern.compile("legal hold (hld_\\w+) placed").matcher(hold.out());
    assertThat(m.find()).as(hold.out()).isTrue();
    assertThat(retention("rules").out()).contains("ON LEGAL HOLD");
    assertThat(retention("run").out()).contains("acme is on legal hold: nothing removed");
    assertThat(retention("holds").out()).contains(m.group(1)).contains("litigation 2026-17");

    Run release = retention("release", m.group(1), "--reason", "case closed");
    assertThat(release.code()).as(release.err()).isZero();
    Run twice = retention("release", m.group(1), "--reason", "again");
    assertThat(twice.code()).isEqualTo(1);
    assertThat(twice.err()).contains("legal_hold_not_active");
    assertThat(retention("run").out()).contains("0 batch(es), nothing expired");

    assertThat(retention("unset", "runs").out()).contains("runs is kept for good");
    Run gone = retention("unset", "runs");
    assertThat(gone.code()).isEqualTo(1);
    assertThat(gone.err()).contains("retention_rule_not_found");
  }
}
