package io.maestro.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code bin/maestro} launcher on the packaged app jar, as a user would, in its own
 * process. Used by the end-to-end tests ({@code *IT}), which Failsafe runs after packaging.
 */
public final class CliRunner {
  /**
   * How long a test waits for a server to say it listens. A healthy start takes seconds; the margin
   * is for a build machine loaded by parallel jobs, where starts have been seen to take over 60 s.
   */
  public static final Duration SERVER_START = Duration.ofSeconds(180);

  /** How the server's start-up line says that {@code core/exec} is off, and why. */
  public static final String EXEC_DISABLED = "core/exec disabled: ";

  public static Path root() {
    return Path.of(System.getProperty("maestro.root", "..")).toAbsolutePath().normalize();
  }

  public static Path jar() {
    return Path.of(System.getProperty("maestro.jar", "target/maestro.jar")).toAbsolutePath();
  }

  public static ProcessBuilder builder(Path workDir, Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(root().resolve("bin/maestro").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    pb.environment().put("MAESTRO_JAR", jar().toString());
    pb.environment().put("MAESTRO_HOME", workDir.resolve("home").toString());
    pb.environment().remove("MAESTRO_URL");
    pb.environment().putAll(env);
    return pb;
  }

  /** Runs to completion and returns exit code, stdout and stderr. */
  public static Result run(Path workDir, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(workDir, "out", ".txt");
    Path err = Files.createTempFile(workDir, "err", ".txt");
    Process p =
        builder(workDir, env, args)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("maestro " + String.join(" ", args) + " did not finish");
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /**
   * Starts a long-running command and waits for the first stdout line that contains {@code marker}.
   */
  public static Running start(
      Path workDir, Map<String, String> env, String marker, Duration timeout, String... args)
      throws IOException, InterruptedException {
    return start(builder(workDir, env, args), workDir, marker, timeout);
  }

  /**
   * Starts {@code pb} (any long-running program) and waits for the first stdout line that contains
   * {@code marker}.
   */
  public static Running start(ProcessBuilder pb, Path workDir, String marker, Duration timeout)
      throws IOException, InterruptedException {
    List<String> args = pb.command();
    Path err = Files.createTempFile(workDir, "err", ".txt");
    Process p = pb.redirectError(err.toFile()).start();
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> seen = new ArrayList<>();
    Thread readerThread =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    String line;
                    while ((line = reader.readLine()) != null) {
                      synchronized (seen) {
                        seen.add(line);
                        seen.notifyAll();
                      }
                    }
                  } catch (IOException ignored) {
                    // the process ended
                  }
                });
    synchronized (seen) {
      while (seen.stream().noneMatch(l -> l.contains(marker))) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || (!p.isAlive() && !readerThread.isAlive())) {
          p.destroyForcibly();
          throw new AssertionError(
              "no line containing '"
                  + marker
                  + "' from maestro "
                  + String.join(" ", args)
                  + "; stdout: "
                  + seen
                  + "; stderr: "
                  + Files.readString(err));
        }
        seen.wait(Math.max(1, Math.min(200, left / 1_000_000)));
      }
    }
    return new Running(p, seen, err);
  }

  /**
   * Starts {@code maestro server} in dev mode on a free loopback port with its data under {@code
   * workDir/data}, waiting until it listens; {@link Running#url()} is its base URL.
   */
  public static Running server(Path workDir, Map<String, String> env, String... extraArgs)
      throws IOException, InterruptedException {
    return start(workDir, env, "listening on", SERVER_START, serverArgs(workDir, extraArgs));
  }

  /**
   * {@code server} in dev mode on a free loopback port with its data under {@code workDir/data}.
   */
  public static String[] serverArgs(Path workDir, String... extraArgs) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "server",
                "--port",
                "0",
                "--host",
                "127.0.0.1",
                "--data-dir",
                workDir.resolve("data").toString()));
    args.addAll(List.of(extraArgs));
    return args.toArray(String[]::new);
  }

  /** {@code maestro login --dev} as tenant_admin of a new tenant {@code acme} on {@code url}. */
  public static void loginDev(Path workDir, String url) throws IOException, InterruptedException {
    run(
            workDir,
            Map.of(),
            "login",
            "--dev",
            "--tenant",
            "acme",
            "--role",
            "tenant_admin",
            "--create",
            "--url",
            url)
        .expect(0);
  }

  /**
   * Skips the calling test with one line ({@code SKIPPED: what, but why}) when a tool is missing;
   * under {@code CI=true} fails instead, since CI installs every tool.
   */
  public static void requireTool(boolean present, String what, String why) {
    if (present) {
      return;
    }
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI=true but " + why);
    }
    System.err.println("SKIPPED: " + what + ", but " + why);
    org.junit.jupiter.api.Assumptions.abort(why);
  }

  public record Result(int exitCode, String stdout, String stderr) {
    /** Fails with both streams in the message unless the command exited with {@code code}. */
    public Result expect(int code) {
      if (exitCode != code) {
        throw new AssertionError(
            "exit "
                + exitCode
                + " (wanted "
                + code
                + ")\nstdout: "
                + stdout
                + "\nstderr: "
                + stderr);
      }
      return this;
    }
  }

  public record Running(Process process, List<String> stdout, Path stderr)
      implements AutoCloseable {
    /** The base URL from the server's "listening on" line. */
    public String url() {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("listening on (http://[^ ]+)")
              .matcher(firstLine("listening on"));
      if (!m.find()) {
        throw new AssertionError("no URL in " + stdout);
      }
      return m.group(1);
    }

    /**
     * Skips the calling test with one line when this server disabled {@code core/exec} (no usable
     * bubblewrap); under {@code CI=true} fails instead, since CI installs the sandbox.
     */
    public void requireExec() throws IOException {
      for (String line : Files.readAllLines(stderr)) {
        int at = line.indexOf(EXEC_DISABLED);
        if (at >= 0) {
          String why = line.substring(at);
          if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true but " + why);
          }
          System.err.println("SKIPPED: this test needs core/exec, but " + why);
          org.junit.jupiter.api.Assumptions.abort(why);
        }
      }
    }

    public String firstLine(String marker) {
      synchronized (stdout) {
        return stdout.stream().filter(l -> l.contains(marker)).findFirst().orElseThrow();
      }
    }

    /** Sends SIGTERM and waits for the process to end; returns its exit code. */
    public int terminate() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the process did not stop within 30 s of SIGTERM");
      }
      return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) {
        terminate();
      }
    }
  }
}
