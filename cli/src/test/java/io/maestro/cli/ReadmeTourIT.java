package io.maestro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first tour, read from README.md itself and run line by line through bin/maestro
 * against a real dev-mode server, with the CLI alone: if a line of the tour stops working (or the
 * README names a command that does not exist), this test fails. {@code <run-id>} is the run the
 * tour started. The tour needs nothing but a JDK (the README promises it), so this test needs no
 * bubblewrap; the server it runs against is told bubblewrap is missing even where it is installed.
 * The sandboxed example the README names after the tour runs where bubblewrap is (skipped with one
 * line without it, failed under {@code CI=true}).
 */
class ReadmeTourIT {
  static final Pattern RUN_ID = Pattern.compile("run (run_[0-9a-f]+) started");

  @TempDir Path dir;

  /** The {@code ./maestro …} lines of the README's "A first tour" code block, comments removed. */
  static List<List<String>> tour() throws Exception {
    String readme = Files.readString(CliRunner.root().resolve("README.md"));
    int section = readme.indexOf("\n## A first tour");
    assertThat(section).as("README.md has a section '## A first tour'").isPositive();
    int open = readme.indexOf("```sh\n", section);
    int close = readme.indexOf("\n```", open + 6);
    assertThat(open).as("the tour has a ```sh block").isPositive();
    List<List<String>> commands = new ArrayList<>();
    for (String line : readme.substring(open + 6, close).split("\n")) {
      int comment = line.indexOf(" #");
      String command = (comment >= 0 ? line.substring(0, comment) : line).strip();
      if (command.startsWith("./maestro ")) {
        commands.add(Arrays.asList(command.substring("./maestro ".length()).split("\\s+")));
      }
    }
    return commands;
  }

  @Test
  void everyTourCommand_runsAsWritten() throws Exception {
    List<List<String>> tour = tour();
    assertThat(tour).hasSizeGreaterThanOrEqualTo(10);
    assertThat(tour.getFirst()).as("the tour starts by logging in").startsWith("login", "--dev");
    // The tour's relative paths (examples/…, acme.ndjson) resolve in the working directory.
    Files.createSymbolicLink(dir.resolve("examples"), CliRunner.root().resolve("examples"));
    // As on a machine with only a JDK: this server finds no bubblewrap.
    Map<String, String> noSandbox =
        Map.of("MAESTRO_SANDBOX_BWRAP", dir.resolve("no-bwrap-here").toString());
    try (CliRunner.Running server = CliRunner.server(dir, noSandbox)) {
      String runId = null;
      for (List<String> words : tour) {
        List<String> args = new ArrayList<>();
        for (String w : words) {
          if (w.equals("<run-id>")) {
            assertThat(runId).as("a run was started before %s", words).isNotNull();
            w = runId;
          }
          args.add(w);
        }
        if (args.getFirst().equals("login")) {
          args.addAll(List.of("--url", server.url()));
        }
        CliRunner.Result result = CliRunner.run(dir, Map.of(), args.toArray(String[]::new));
        assertThat(result.exitCode())
            .as("maestro %s%n%s%s", String.join(" ", words), result.stdout(), result.stderr())
            .isZero();
        Matcher started = RUN_ID.matcher(result.stdout() + result.stderr());
        if (started.find()) {
          runId = started.group(1);
          assertThat(result.stdout()).as("the tour's run succeeds").contains("SUCCEEDED");
        }
      }
      assertThat(dir.resolve("acme.ndjson")).isNotEmptyFile();
      assertThat(dir.resolve("keys.json")).isNotEmptyFile();
    }
  }

  @Test
  void sandboxExampleNamedAfterTheTour_runs() throws Exception {
    String readme = Files.readString(CliRunner.root().resolve("README.md"));
    assertThat(readme).contains("`./maestro run examples/sandbox.yaml");
    try (CliRunner.Running server = CliRunner.server(dir, Map.of())) {
      server.requireExec();
      Map<String, String> env = Map.of();
      CliRunner.Result login =
          CliRunner.run(
              dir,
              env,
              "login",
              "--dev",
              "--tenant",
              "acme",
              "--role",
              "tenant_admin",
              "--create",
              "--url",
              server.url());
      assertThat(login.exitCode()).as(login.stderr()).isZero();
      CliRunner.Result run =
          CliRunner.run(
              dir,
              env,
              "run",
              CliRunner.root().resolve("examples/sandbox.yaml").toString(),
              "--follow");
      assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
      assertThat(run.stdout()).contains("hello from the sandbox").contains("SUCCEEDED");
    }
  }
}
