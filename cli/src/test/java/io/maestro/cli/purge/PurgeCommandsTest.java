package io.maestro.cli.purge;

import static io.maestro.cli.InProcess.maestro;
import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.cli.InProcess.Run;
import io.maestro.core.config.ConfigLoader;
import io.maestro.server.MaestroServer;
import java.nio.file.Files;
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
 * {@code maestro purge …} as a user drives it against a real server: the requester's own approval
 * is refused, two others approve, the purge runs after its delay, and the manifest it leaves
 * verifies offline — and fails to once altered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PurgeCommandsTest {
  @TempDir static Path dir;
  MaestroServer server;
  String url;

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
                        "log.level", "WARN")));
    url = "http://127.0.0.1:" + server.port();
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
    Run run =
        maestro("run", manifest.toString(), "--follow", "--url", url, "--token", token("ana"));
    assertThat(run.code()).as(run.out() + run.err()).isZero();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  String token(String who) {
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
            who + "@acme",
            "--role",
            "tenant_admin",
            "--role",
            "operator",
            "--create");
    assertThat(issued.code()).as(issued.err()).isZero();
    return issued.out().strip();
  }

  Run as(String who, String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--url";
    all[args.length + 1] = url;
    all[args.length + 2] = "--token";
    all[args.length + 3] = token(who);
    return maestro(all);
  }

  @Test
  void requestRefusedSelfApprovalTwoApprovalsExecutionAndOfflineVerification() throws Exception {
    Run req =
        as(
            "ana",
            "purge",
            "request",
            "--tenant",
            "acme",
            "--scope",
            "runs",
            "--before",
            "2999-01-01",
            "--reason",
            "DSR-42 erasure",
            "--delay",
            "1s");
    assertThat(req.code()).as(req.err()).isZero();
    Matcher m = Pattern.compile("purge (prg_\\w+) awaiting_approval").matcher(req.out());
    assertThat(m.find()).as(req.out()).isTrue();
    String id = m.group(1);

    Run self = as("ana", "purge", "approve", id, "--tenant", "acme");
    assertThat(self.code()).isEqualTo(1);
    assertThat(self.err())
        .contains("ana@acme requested this purge")
        .contains("policy_denied")
        .doesNotContain("Exception");

    assertThat(as("bo", "purge", "approve", id, "--tenant", "acme").out())
        .contains("approvals 1/2");
    assertThat(as("cy", "purge", "approve", id, "--tenant", "acme").out()).contains("scheduled");

    String shown = "";
    for (int i = 0; i < 100 && !shown.contains(" executed "); i++) {
      Thread.sleep(200);
      shown = as("ana", "purge", "show", id, "--tenant", "acme").out();
    }
    assertThat(shown).contains(" executed ").contains("manifest sha256:");
    assertThat(as("ana", "purge", "list", "--tenant", "acme").out()).contains(id);

    Path file = dir.resolve("manifest.json");
    Path keys = dir.resolve("keys.json");
    assertThat(
            as("ana", "purge", "manifest", "get", id, "--tenant", "acme", "-o", file.toString())
                .code())
        .isZero();
    assertThat(maestro("keys", "export", "-o", keys.toString(), "--url", url).code()).isZero();

    Run ok = maestro("purge", "manifest", "verify", file.toString(), "--keys", keys.toString());
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out())
        .contains("OK purge manifest " + id)
        .contains("runs=1")
        .contains("ana@acme");

    // An altered manifest does not verify: re-sign nothing, just change the payload.
    String text = Files.readString(file);
    Path forged = dir.resolve("forged.json");
    Files.writeString(forged, text.replaceFirst("\"payload\" *: *\"(.)", "\"payload\":\"A$1"));
    Run bad = maestro("purge", "manifest", "verify", forged.toString(), "--keys", keys.toString());
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).startsWith("maestro: the purge manifest does not verify");
  }
}
