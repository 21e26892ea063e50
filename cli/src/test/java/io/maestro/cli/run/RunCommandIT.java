package io.maestro.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.cli.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maestro run} and {@code maestro status} as a user runs them, against a real server. Only
 * {@link #run_sandboxExample_runsItsSandboxedStep} needs bubblewrap; without it that test is
 * skipped with one line (failed under {@code CI=true}), and the server's refusal of {@code
 * core/exec} is tested by pointing a server at a bubblewrap that does not exist.
 */
class RunCommandIT {
  static final Pattern LISTENING = Pattern.compile("listening on (http://[^ ]+)");
  static final Pattern RUN_ID = Pattern.compile("run (run_[0-9a-f]+) started");
  static final String EXEC_DISABLED = CliRunner.EXEC_DISABLED;

  /** hello.yaml without its sandboxed step: what every machine with a JDK can run. */
  static final String GREET =
      """
      apiVersion: maestro/v1
      kind: Workflow
      metadata: {name: greet, version: "1"}
      spec:
        inputs:
          type: object
          properties:
            name: {type: string, default: world}
        tasks:
          - {id: greet, uses: core/log, with: {message: "Hello, ${{ inputs.name }}!"}}
          - {id: pause, uses: core/wait, needs: [greet], with: {duration: 1s}}
          - {id: done, uses: core/log, needs: [pause], with: {message: "Goodbye, ${{ inputs.name }}"}}
      """;

  @TempDir static Path dir;
  static CliRunner.Running server;
  static String url;

  @BeforeAll
  static void startServer() throws Exception {
    server = server(dir.resolve("data"), Map.of());
    url = url(server);
    CliRunner.Result anonymous = CliRunner.run(dir, Map.of(), "status", "run_x", "--url", url);
    assertThat(anonymous.exitCode()).isEqualTo(1);
    assertThat(anonymous.stderr().strip()).isEqualTo("maestro: not logged in — run maestro login");
    login(url, Map.of());
  }

  /** Signs in as a tenant admin of a new tenant acme; the CLI's later commands use that login. */
  static void login(String serverUrl, Map<String, String> env) throws Exception {
    CliRunner.run(
            dir,
            env,
            "login",
            "--dev",
            "--url",
            serverUrl,
            "--tenant",
            "acme",
            "--role",
            "tenant_admin",
            "--create")
        .expect(0);
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    if (server != null) {
      server.close();
    }
  }

  static CliRunner.Running server(Path data, Map<String, String> env) throws Exception {
    return CliRunner.start(
        dir,
        env,
        "listening on",
        CliRunner.SERVER_START,
        "server",
        "--port",
        "0",
        "--host",
        "127.0.0.1",
        "--data-dir",
        data.toString());
  }

  static String url(CliRunner.Running s) {
    Matcher m = LISTENING.matcher(s.firstLine("listening on"));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  @Test
  void run_publishesRunsAndFollowsToSuccess() throws Exception {
    Path greet = dir.resolve("greet.yaml");
    Files.writeString(greet, GREET);
    CliRunner.Result run =
        CliRunner.run(dir, Map.of(), "run", greet.toString(), "--url", url, "--follow");
    assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
    assertThat(run.stdout()).contains("Hello, world!").contains("SUCCEEDED");
    assertThat(run.stderr()).contains("published greet@1");

    CliRunner.Result named =
        CliRunner.run(
            dir,
            Map.of(),
            "run",
            greet.toString(),
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
    assertThat(status.stdout()).contains("greet@1").contains("SUCCEEDED");
    assertThat(status.stdout()).doesNotContain("admitted by decision");

    CliRunner.Result explained =
        CliRunner.run(dir, Map.of(), "status", id.group(1), "--url", url, "--explain");
    assertThat(explained.exitCode()).as(explained.stderr()).isZero();
    assertThat(explained.stdout())
        .contains("SUCCEEDED")
        .containsPattern("admitted by decision \\S+  allow  bundle \\S+  profile \\S+")
        .contains("quota", "maxConcurrent=", "usage", "concurrentRuns=")
        .containsPattern("decided at +20[0-9]{2}-");

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

  @Test
  void run_sandboxExample_runsItsSandboxedStep() throws Exception {
    server.requireExec();
    Path sandbox = CliRunner.root().resolve("examples/sandbox.yaml");
    CliRunner.Result run =
        CliRunner.run(dir, Map.of(), "run", sandbox.toString(), "--url", url, "--follow");
    assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
    assertThat(run.stdout()).contains("hello from the sandbox").contains("SUCCEEDED");
    assertThat(run.stderr()).contains("published sandbox@1");
  }

  @Test
  void serverWithoutBubblewrap_saysWhyInOneLine_runsHello_andRefusesSandboxWithTaskTypeUnavailable()
      throws Exception {
    Path missing = dir.resolve("no-such-bwrap");
    try (CliRunner.Running noExec =
        server(dir.resolve("data-no-exec"), Map.of("MAESTRO_SANDBOX_BWRAP", missing.toString()))) {
      String why =
          "bubblewrap not found at "
              + missing
              + " (sandbox.bwrap) — apt-get install bubblewrap or point sandbox.bwrap at it";
      assertThat(Files.readAllLines(noExec.stderr()))
          .filteredOn(l -> l.contains(EXEC_DISABLED))
          .singleElement()
          .satisfies(l -> assertThat(l).endsWith(EXEC_DISABLED + why));

      // The README's first workflow runs on a machine without bubblewrap.
      Path hello = CliRunner.root().resolve("examples/hello.yaml");
      Map<String, String> home = Map.of("MAESTRO_HOME", dir.resolve("home-no-exec").toString());
      login(url(noExec), home);
      CliRunner.Result greeted =
          CliRunner.run(dir, home, "run", hello.toString(), "--url", url(noExec), "--follow");
      assertThat(greeted.exitCode()).as(greeted.stdout() + greeted.stderr()).isZero();
      assertThat(greeted.stdout()).contains("Hello, world!").contains("SUCCEEDED");

      Path sandbox = CliRunner.root().resolve("examples/sandbox.yaml");
      CliRunner.Result run =
          CliRunner.run(dir, home, "run", sandbox.toString(), "--url", url(noExec));
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.stderr())
          .contains("(task_type_unavailable)")
          .contains("task type 'core/exec' is unavailable on this server: " + why)
          .doesNotContain("unknown task type");
    }
  }
}
