package io.maestro.engine.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.problem.MaestroException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What a command sees and gets back from the real sandbox, apart from escapes. */
class SandboxTest {
  @RegisterExtension static final SandboxFixture.PerClass SANDBOX = new SandboxFixture.PerClass();

  private static Sandbox sandbox;

  @BeforeAll
  static void start() {
    sandbox = SANDBOX.get();
  }

  private static SandboxFixture.Lines lines;

  private static SandboxResult sh(String script) {
    return sh(script, SandboxLimits.defaults());
  }

  private static SandboxResult sh(String script, SandboxLimits limits) {
    lines = new SandboxFixture.Lines();
    return sandbox.run(
        SandboxRequest.of(List.of("/bin/bash", "-c", script)).withLimits(limits).withOutput(lines));
  }

  @Test
  void create_reportsBwrapVersion() {
    assertThat(sandbox.bwrapVersion()).startsWith("bubblewrap");
  }

  @Test
  void run_streamsStdoutAndStderrLineByLine() {
    SandboxResult result = sh("echo one; echo two >&2; printf 'three\\nno-newline'");
    assertThat(result.succeeded()).isTrue();
    assertThat(lines.stdout()).containsExactly("one", "three", "no-newline");
    assertThat(lines.stderr()).containsExactly("two");
    assertThat(result.outputBytes()).isEqualTo("one\ntwo\nthree\nno-newline".length());
    assertThat(result.outputTruncated()).isFalse();
  }

  @Test
  void run_reportsExitCode() {
    SandboxResult result = sh("exit 7");
    assertThat(result.reason()).isEqualTo(SandboxResult.Reason.EXITED);
    assertThat(result.exitCode()).isEqualTo(7);
    assertThat(result.signal()).isEmpty();
    assertThat(result.succeeded()).isFalse();
  }

  @Test
  void run_reportsTerminatingSignal() {
    SandboxResult result = sh("kill -SEGV $$");
    assertThat(result.reason()).isEqualTo(SandboxResult.Reason.SIGNALED);
    assertThat(result.signal()).hasValue(Signals.SIGSEGV);
    assertThat(result.exitCode()).isEqualTo(128 + Signals.SIGSEGV);
    assertThat(result.describe()).contains("SIGSEGV");
  }

  @Test
  void env_isExactlyTheAllowlist() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/bin:/bin");
    env.put("GREETING", "hello world; $(not expanded)");
    lines = new SandboxFixture.Lines();
    SandboxResult result =
        sandbox.run(SandboxRequest.of(List.of("/usr/bin/env")).withEnv(env).withOutput(lines));
    assertThat(result.succeeded()).isTrue();
    assertThat(lines.stdout())
        .containsExactly(
            "PATH=/usr/bin:/bin", "GREETING=hello world; $(not expanded)", "PWD=/workspace");
  }

  @Test
  void env_mayBeEmpty() {
    lines = new SandboxFixture.Lines();
    SandboxResult result =
        sandbox.run(SandboxRequest.of(List.of("/usr/bin/env")).withEnv(Map.of()).withOutput(lines));
    assertThat(result.succeeded()).isTrue();
    assertThat(lines.stdout()).containsExactly("PWD=/workspace");
  }

  @Test
  void workspace_isReadableAtWorkspaceAndIsTheWorkingDirectory() {
    try (SandboxWorkspace ws = sandbox.newWorkspace()) {
      ws.write("inputs/name.txt", "maestro\n");
      lines = new SandboxFixture.Lines();
      SandboxResult result =
          sandbox.run(
              SandboxRequest.of(List.of("/bin/bash", "-c", "pwd; cat inputs/name.txt"))
                  .withWorkspace(ws.path())
                  .withOutput(lines));
      assertThat(result.succeeded()).isTrue();
      assertThat(lines.stdout()).containsExactly("/workspace", "maestro");
    }
  }

  @Test
  void workspace_rejectsPathsLeavingIt() {
    try (SandboxWorkspace ws = sandbox.newWorkspace()) {
      assertThatThrownBy(() -> ws.write("../escape.txt", "x"))
          .isInstanceOf(MaestroException.class)
          .extracting(e -> ((MaestroException) e).code())
          .isEqualTo(SandboxErrors.INVALID_REQUEST);
    }
  }

  @Test
  void run_rejectsMissingWorkspace(@TempDir Path dir) {
    SandboxRequest request =
        SandboxRequest.of(List.of("/bin/true")).withWorkspace(dir.resolve("missing"));
    assertThatThrownBy(() -> sandbox.run(request))
        .isInstanceOf(MaestroException.class)
        .extracting(e -> ((MaestroException) e).code())
        .isEqualTo(SandboxErrors.INVALID_REQUEST);
  }

  @Test
  void run_failsWithSetupFailedWhenWorkspaceIsUnreachable(@TempDir Path dir) throws Exception {
    Path locked = Files.createDirectory(dir.resolve("locked"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    SandboxRequest request = SandboxRequest.of(List.of("/bin/true")).withWorkspace(locked);
    assertThatThrownBy(() -> sandbox.run(request))
        .isInstanceOf(MaestroException.class)
        .satisfies(
            e -> {
              MaestroException m = (MaestroException) e;
              assertThat(m.code()).isEqualTo(SandboxErrors.SETUP_FAILED);
              assertThat(m.detail()).contains("bubblewrap could not build the sandbox");
            });
  }

  @Test
  void request_rejectsEmptyCommandAndBadEnvNames() {
    assertThatThrownBy(() -> SandboxRequest.of(List.of()))
        .isInstanceOf(MaestroException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> SandboxRequest.of(List.of("true")).withEnv(Map.of("A=B", "x")))
        .isInstanceOf(MaestroException.class)
        .hasMessageContaining("A=B");
    assertThatThrownBy(() -> SandboxLimits.defaults().withMaxProcesses(1))
        .isInstanceOf(MaestroException.class);
  }

  @Test
  void create_withoutBwrap_failsWithSandboxUnavailable() {
    SandboxConfig config = SandboxConfig.defaults().withBwrap(Path.of("/nonexistent/bwrap"));
    assertThatThrownBy(() -> Sandbox.create(config))
        .isInstanceOf(MaestroException.class)
        .satisfies(
            e -> {
              MaestroException m = (MaestroException) e;
              assertThat(m.code()).isEqualTo(SandboxErrors.UNAVAILABLE);
              assertThat(m.code().code()).isEqualTo("sandbox_unavailable");
              assertThat(m.detail()).contains("bubblewrap");
            });
  }

  @Test
  void create_withBrokenBwrap_failsInsteadOfRunningUnsandboxed(@TempDir Path dir) throws Exception {
    // Answers --version like bubblewrap but cannot build a sandbox: the self-test must catch it.
    Path fake = dir.resolve("bwrap");
    Files.writeString(
        fake,
        "#!/bin/sh\n"
            + "if [ \"$1\" = --version ]; then echo 'bubblewrap 0.0.0'; exit 0; fi\n"
            + "echo 'bwrap: creating new namespace failed' >&2; exit 1\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    SandboxConfig config = SandboxConfig.defaults().withBwrap(fake).withStateDir(dir);
    assertThatThrownBy(() -> Sandbox.create(config))
        .isInstanceOf(MaestroException.class)
        .satisfies(
            e -> {
              MaestroException m = (MaestroException) e;
              assertThat(m.code()).isEqualTo(SandboxErrors.UNAVAILABLE);
              assertThat(m.detail()).contains("creating new namespace failed");
            });
  }

  @Test
  void cancel_killsTheTreeAndReportsCancelled() {
    Thread caller = Thread.currentThread();
    SandboxOutput interruptWhenReady =
        (channel, line) -> {
          if (line.equals("ready")) {
            caller.interrupt();
          }
        };
    SandboxResult result =
        sandbox.run(
            SandboxRequest.of(List.of("/bin/bash", "-c", "echo ready; exec sleep 311"))
                .withOutput(interruptWhenReady));
    assertThat(Thread.interrupted()).as("interrupt flag stays set").isTrue();
    assertThat(result.reason()).isEqualTo(SandboxResult.Reason.CANCELLED);
    assertThat(result.reason().killedBySandbox()).isTrue();
  }

  @Test
  void sinkFailure_isRethrownAfterTeardown() {
    SandboxOutput failing =
        (channel, line) -> {
          throw new IllegalStateException("log store down");
        };
    assertThatThrownBy(
            () -> sandbox.run(SandboxRequest.of(List.of("/bin/echo", "hi")).withOutput(failing)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("log store down");
  }

  @Test
  void inside_runsAsUnprivilegedUserInPrivateNamespaces() {
    SandboxResult result =
        sh(
            "id -u; hostname; ls /proc | grep -c '^[0-9]'; ls /sys 2>&1 | head -1;"
                + " cat /proc/self/status | grep -E '^(CapEff|NoNewPrivs|Seccomp):'");
    assertThat(result.succeeded()).isTrue();
    List<String> out = lines.stdout();
    assertThat(out.get(0)).isNotEqualTo("0");
    assertThat(out.get(1)).isEqualTo("maestro-sandbox");
    // Only the sandbox's own processes are visible: bubblewrap's reaper, bash, ls, grep, ...
    assertThat(Integer.parseInt(out.get(2))).isLessThan(10);
    assertThat(out).contains("CapEff:\t0000000000000000", "NoNewPrivs:\t1", "Seccomp:\t2");
  }

  @Test
  void concurrentRuns_keepTheirOutputApart() throws Exception {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<List<String>>> runs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String id = "run-" + i;
        runs.add(
            pool.submit(
                () -> {
                  SandboxFixture.Lines out = new SandboxFixture.Lines();
                  SandboxResult r =
                      sandbox.run(
                          SandboxRequest.of(
                                  List.of(
                                      "/bin/bash",
                                      "-c",
                                      "for n in 1 2 3; do echo " + id + "; done"))
                              .withOutput(out));
                  assertThat(r.succeeded()).isTrue();
                  return out.stdout();
                }));
      }
      for (int i = 0; i < 4; i++) {
        assertThat(runs.get(i).get()).containsExactly("run-" + i, "run-" + i, "run-" + i);
      }
    }
  }

  @Test
  void hostNetwork_reachesHostLoopbackWhenGranted() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      lines = new SandboxFixture.Lines();
      SandboxResult result =
          sandbox.run(
              SandboxRequest.of(
                      List.of(
                          "/bin/bash",
                          "-c",
                          "(exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort() + ") && echo OK"))
                  .withNetwork(Network.HOST)
                  .withOutput(lines));
      assertThat(result.succeeded()).as(lines.all()).isTrue();
      assertThat(lines.stdout()).containsExactly("OK");
    }
  }

  @Test
  void readOnlyPaths_areBoundReadOnlyAtTheSamePlace() throws Exception {
    Path tools = Files.createTempDirectory("maestro-tools-");
    try {
      Files.setPosixFilePermissions(tools, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path tool = Files.writeString(tools.resolve("tool.sh"), "echo tool ran\n");
      Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
      try (Sandbox withTools =
          Sandbox.create(SandboxConfig.defaults().withReadOnlyPaths(List.of(tools)))) {
        lines = new SandboxFixture.Lines();
        SandboxResult result =
            withTools.run(
                SandboxRequest.of(
                        List.of(
                            "/bin/bash", "-c", tool + "; echo x > " + tools + "/new || echo RO"))
                    .withOutput(lines));
        assertThat(result.succeeded()).as(lines.all()).isTrue();
        assertThat(lines.stdout()).containsExactly("tool ran", "RO");
      }
    } finally {
      SandboxWorkspace.deleteTree(tools);
    }
  }

  @Test
  void limits_withersKeepOtherValues() {
    SandboxLimits limits =
        SandboxLimits.defaults().withTimeout(Duration.ofSeconds(3)).withOutputBytes(10);
    assertThat(limits.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(limits.outputBytes()).isEqualTo(10);
    assertThat(limits.cpuSeconds()).isEqualTo(SandboxLimits.defaults().cpuSeconds());
  }
}
