package io.maestro.engine.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.problem.MaestroException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The default-deny seccomp filter in the real sandbox: the measured workload runs under it, a call
 * outside the allowlist is refused, and an operator's extra call is allowed.
 */
class SeccompSandboxTest {
  /** Calls msgget (on no list) and mount (always refused) and reports each errno. */
  private static final String PROBE =
      """
      #include <errno.h>
      #include <stdio.h>
      #include <string.h>
      #include <sys/ipc.h>
      #include <sys/syscall.h>
      #include <unistd.h>
      static void report(const char *name, long r) {
        printf("%s %s\\n", name, r >= 0 ? "ok" : strerror(errno));
      }
      int main(void) {
        report("msgget", syscall(SYS_msgget, IPC_PRIVATE, 0600));
        report("mount", syscall(SYS_mount, "none", "/tmp", "tmpfs", 0, 0));
        return 0;
      }
      """;

  @RegisterExtension static final SandboxFixture.PerClass SANDBOX = new SandboxFixture.PerClass();

  private static Sandbox sandbox;

  @BeforeAll
  static void start() {
    sandbox = SANDBOX.get();
  }

  @Test
  void measuredWorkload_runsUnderTheFilter() throws Exception {
    try (SandboxWorkspace ws = sandbox.newWorkspace()) {
      ws.write("workload.sh", Files.readString(Path.of("seccomp/workload.sh")));
      SandboxFixture.Lines lines = new SandboxFixture.Lines();
      SandboxResult result =
          sandbox.run(
              SandboxRequest.of(List.of("/bin/bash", "/workspace/workload.sh"))
                  .withWorkspace(ws.path())
                  .withLimits(SandboxLimits.defaults().withTimeout(Duration.ofMinutes(3)))
                  .withOutput(lines));
      assertThat(result.succeeded()).as(result.describe() + "\n" + lines.all()).isTrue();
      assertThat(lines.stdout()).last().isEqualTo("workload ok");
      assertThat(lines.stdout()).contains("ok bash", "ok coreutils", "ok sed-awk-grep");
      assertThat(lines.stdout()).contains("ok tar-gzip");
      // The tools installed on this host must have run, not been skipped.
      for (String tool : List.of("jq", "curl", "python3")) {
        if (Files.isExecutable(Path.of("/usr/bin", tool))) {
          assertThat(lines.stdout()).as(lines.all()).contains("ok " + tool);
        }
      }
    }
  }

  @Test
  void syscallOutsideTheAllowlist_isRefusedWithEnosys_refusedCallWithEperm() throws Exception {
    assertThat(probe(sandbox))
        .containsExactly("msgget Function not implemented", "mount Operation not permitted");
  }

  @Test
  void operatorExtraSyscall_isAllowed() throws Exception {
    try (Sandbox extended =
        Sandbox.create(SandboxFixture.config().withExtraSyscalls(List.of("msgget")))) {
      assertThat(extended.diagnostics()).contains("1 from sandbox.seccomp.allow");
      assertThat(probe(extended)).containsExactly("msgget ok", "mount Operation not permitted");
    }
  }

  @Test
  void operatorCannotAllowARefusedSyscall() {
    assertThatThrownBy(
            () -> Sandbox.create(SandboxFixture.config().withExtraSyscalls(List.of("ptrace"))))
        .isInstanceOf(MaestroException.class)
        .hasMessageContaining("sandbox.seccomp.allow: 'ptrace' is always refused");
  }

  @Test
  void diagnostics_nameTheFilterAndAppArmor() {
    assertThat(sandbox.diagnostics())
        .startsWith("bubblewrap ")
        .containsPattern("seccomp allowlist of [0-9]+ syscalls \\((x86_64|aarch64)\\)")
        .contains("AppArmor");
  }

  private static List<String> probe(Sandbox box) throws Exception {
    try (SandboxWorkspace ws = box.newWorkspace()) {
      SandboxFixture.compileC(ws, "probe", PROBE);
      SandboxFixture.Lines lines = new SandboxFixture.Lines();
      SandboxResult result =
          box.run(
              SandboxRequest.of(List.of("/workspace/probe"))
                  .withWorkspace(ws.path())
                  .withOutput(lines));
      assertThat(result.succeeded()).as(result.describe() + "\n" + lines.all()).isTrue();
      return lines.stdout();
    }
  }
}
