package io.maestro.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.cli.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code maestro run} and {@code maestro status} as a user runs them, against a real server. */
class RunCommandIT {
  static final Pattern RUN_ID = Pattern.compile("run (run_[0-9a-f]+) started");

  @TempDir Path dir;

  @Test
  void run_helloExample_publishesRunsAndFollowsToSuccess() throws Exception {
    try (CliRunner.Running server = CliRunner.server(dir, Map.of())) {
      String url = server.url();
      CliRunner.run(dir, Map.of(), "status", "run_x", "--url", url).expect(1);
      assertThat(CliRunner.run(dir, Map.of(), "status", "run_x", "--url", url).stderr().strip())
          .isEqualTo("maestro: not logged in — run maestro login");
      CliRunner.run(
              dir,
              Map.of(),
              "login",
              "--dev",
              "--url",
              url,
              "--tenant",
              "acme",
              "--role",
              "tenant_admin",
              "--create")
          .expect(0);
      Path hello = CliRunner.root().resolve("examples/hello.yaml");

      CliRunner.Result run =
          CliRunner.run(dir, Map.of(), "run", hello.toString(), "--url", url, "--follow");
      assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
      assertThat(run.stdout())
          .contains("Hello, world!")
          .contains("hello from the sandbox")
          .contains("SUCCEEDED");
      assertThat(run.stderr()).contains("published hello@1");

      CliRunner.Result named =
          CliRunner.run(
              dir,
              Map.of(),
              "run",
              hello.toString(),
              "--url",
              url,
              "--input",
              "name=Ada",
              "--follow");
      assertThat(named.exitCode()).isZero();
      assertThat(named.stdout()).contains("Hello, Ada!");
      assertThat(named.stderr()).doesNotContain("published");

      Matcher id = RUN_ID.matcher(named.stdout());
      assertThat(id.find()).isTrue();
      CliRunner.Result status = CliRunner.run(dir, Map.of(), "status", id.group(1), "--url", url);
      assertThat(status.exitCode()).isZero();
      assertThat(status.stdout()).contains("hello@1").contains("SUCCEEDED");
      assertThat(status.stdout()).doesNotContain("admitted by decision");

      CliRunner.Result explained =
          CliRunner.run(dir, Map.of(), "status", id.group(1), "--url", url, "--explain");
      assertThat(explained.exitCode()).as(explained.stderr()).isZero();
      assertThat(explained.stdout())
          .contains("SUCCEEDED")
          .containsPattern("admitted by decision \\S+  allow  bundle \\S+  profile \\S+")
          .contains("quota", "maxConcurrent=", "usage", "concurrentRuns=")
          .containsPattern("receipt +seq [0-9]+ rcp_");

      Path failing = dir.resolve("failing.yaml");
      Files.writeString(
          failing,
          """
          apiVersion: maestro/v1
          kind: Workflow
          metadata: {name: failing, version: "1"}
          spec:
            tasks:
              - {id: boom, uses: core/fail, with: {message: on purpose}}
          """);
      CliRunner.Result failed =
          CliRunner.run(dir, Map.of(), "run", failing.toString(), "--url", url, "--follow");
      assertThat(failed.exitCode()).isEqualTo(1);
      assertThat(failed.stdout()).contains("FAILED").contains("on purpose");

      Path invalid = dir.resolve("invalid.yaml");
      Files.writeString(
          invalid,
          """
          apiVersion: maestro/v1
          kind: Workflow
          metadata: {name: invalid, version: "1"}
          spec:
            tasks:
              - {id: a, uses: core/nope}
          """);
      CliRunner.Result rejected =
          CliRunner.run(dir, Map.of(), "run", invalid.toString(), "--url", url);
      assertThat(rejected.exitCode()).isEqualTo(1);
      assertThat(rejected.stderr()).contains("spec.tasks[0].uses (6:").contains("core/nope");
    }
  }
}
