package io.maestro.engine.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attempts to get out of the real sandbox on this machine. Each attempt must fail, and where a
 * limit ends the command, the result must say which.
 */
class SandboxEscapeTest {
  @RegisterExtension static final SandboxFixture.PerClass SANDBOX = new SandboxFixture.PerClass();

  private static Sandbox sandbox;

  @BeforeAll
  static void start() {
    sandbox = SANDBOX.get();
  }

  private SandboxFixture.Lines lines;

  private SandboxResult sh(String script, SandboxLimits limits) {
    lines = new SandboxFixture.Lines();
    return sandbox.run(
        SandboxRequest.of(List.of("/bin/bash", "-c", script)).withLimits(limits).withOutput(lines));
  }

  private SandboxResult sh(String script) {
    return sh(script, SandboxLimits.defaults());
  }

  @Test
  void writingOutsideTmp_fails() {
    SandboxResult result =
        sh(
            "for d in / /usr /usr/bin /etc /workspace /dev /dev/shm /proc /home /root /var; do"
                + "  (echo x > $d/maestro-probe) 2>/dev/null && echo WROTE $d;"
                + "  mkdir $d/maestro-dir 2>/dev/null && echo MKDIR $d;"
                + " done;"
                + " echo x > /tmp/ok && echo TMP_OK");
    assertThat(result.succeeded()).isTrue();
    assertThat(lines.stdout()).containsExactly("TMP_OK");
    assertThat(Path.of("/maestro-probe")).doesNotExist();
    assertThat(Path.of("/usr/maestro-probe")).doesNotExist();
  }

  @Test
  void tmp_isCappedBySize() {
    SandboxResult result =
        sh(
            "head -c 3000000 /dev/zero > /tmp/big; echo status=$?",
            SandboxLimits.defaults().withTmpBytes(1_000_000));
    assertThat(result.succeeded()).isTrue();
    assertThat(lines.stdout()).containsExactly("status=1");
    assertThat(lines.stderr()).anyMatch(l -> l.contains("No space left on device"));
  }

  @Test
  void network_isUnreachable_evenOnHostLoopback() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = server.getLocalPort();
      // The host itself can connect: the sandbox failing below is the sandbox's doing.
      try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
        assertThat(probe.isConnected()).isTrue();
      }
      SandboxResult result =
          sh(
              "for p in "
                  + port
                  + " 5432; do (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null"
                  + " && echo CONNECTED $p || echo REFUSED $p; done;"
                  + " (exec 3<>/dev/tcp/1.1.1.1/53) 2>/dev/null && echo CONNECTED out || echo"
                  + " UNREACHABLE out; cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d ' '");
      assertThat(result.succeeded()).isTrue();
      assertThat(lines.stdout())
          .containsExactly("REFUSED " + port, "REFUSED 5432", "UNREACHABLE out", "lo");
    }
  }

  @Test
  void hostFiles_areNotReadable(@TempDir Path dataDir) throws IOException {
    Path secret = Files.writeString(dataDir.resolve("secret.txt"), "s3cr3t");
    SandboxResult result =
        sh(
            "cat /etc/shadow; ls /root; ls /home; cat "
                + secret
                + "; ls "
                + dataDir
                + "; cat /etc/hostname; ls /work; cat /etc/passwd; ls /etc");
    String all = lines.all();
    assertThat(all).doesNotContain("s3cr3t").doesNotContain("root:$").doesNotContain("postgres");
    assertThat(lines.stderr())
        .anyMatch(l -> l.contains("/etc/shadow: No such file or directory"))
        .anyMatch(l -> l.contains("/root") && l.contains("No such file or directory"))
        .anyMatch(l -> l.contains(secret.toString()) && l.contains("No such file or directory"));
    // The sandbox's /etc holds only the loader cache, alternatives, time zone and its own files.
    assertThat(lines.stdout())
        .contains("passwd", "group", "hosts", "ld.so.cache")
        .doesNotContain("shadow", "hostname", "ssh", "postgresql");
  }

  @Test
  void environmentValues_doNotAppearInHostProcessList() {
    String secret = "tok-" + Long.toHexString(System.nanoTime()) + "-secret";
    Map<String, String> env = new LinkedHashMap<>(SandboxRequest.baseEnv());
    env.put("API_TOKEN", secret);
    List<String> leaks = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    SandboxOutput scanWhileRunning =
        (channel, line) -> {
          seen.add(line);
          if (line.equals("ready")) {
            for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
              if (readQuietly("/proc/" + p.pid() + "/cmdline").contains(secret)) {
                leaks.add(p.pid() + " " + p.info());
              }
            }
          }
        };
    SandboxResult result =
        sandbox.run(
            SandboxRequest.of(
                    List.of(
                        "/bin/bash",
                        "-c",
                        // The script names the variable, not its value.
                        "echo ${#API_TOKEN}; echo ready; sleep 0.2"))
                .withEnv(env)
                .withOutput(scanWhileRunning));
    assertThat(result.succeeded()).isTrue();
    assertThat(seen).containsExactly(Integer.toString(secret.length()), "ready");
    assertThat(leaks).isEmpty();
  }

  @Test
  void onlyStdioDescriptorsAreInherited() {
    SandboxResult result = sh("ls /proc/self/fd");
    assertThat(result.succeeded()).isTrue();
    // 0, 1, 2 and the directory ls is reading; not the seccomp program or the status file.
    assertThat(lines.stdout()).containsExactly("0", "1", "2", "3");
  }

  @Test
  void forkBomb_isContainedAndCleanedUp() {
    SandboxResult result =
        sh(
            "bomb() { bomb | bomb & }; bomb; sleep 2; echo survived",
            SandboxLimits.defaults().withMaxProcesses(32).withTimeout(Duration.ofSeconds(4)));
    assertThat(lines.stderr()).anyMatch(l -> l.contains("Resource temporarily unavailable"));
    assertThat(result.reason()).isIn(SandboxResult.Reason.EXITED, SandboxResult.Reason.TIMEOUT);
    assertThat(sandboxProcesses())
        .as(
            () ->
                sandboxProcesses().stream()
                    .map(
                        p ->
                            p.pid()
                                + " parent "
                                + p.parent().map(ProcessHandle::pid).orElse(-1L)
                                + " "
                                + p.info()
                                + " "
                                + readQuietly("/proc/" + p.pid() + "/status"))
                    .toList()
                    .toString())
        .isEmpty();
  }

  @Test
  void memoryOverLimit_isKilledAndReported() {
    String grow =
        "import time\n"
            + "held = []\n"
            + "for _ in range(48):\n"
            + "    held.append(b'\\x01' * (16 << 20))\n"
            + "    time.sleep(0.02)\n"
            + "print('allocated', flush=True)\n"
            + "time.sleep(60)\n";
    lines = new SandboxFixture.Lines();
    SandboxResult result =
        sandbox.run(
            SandboxRequest.of(List.of("/usr/bin/python3", "-c", grow))
                .withLimits(
                    SandboxLimits.defaults()
                        .withMemoryBytes(128L << 20)
                        .withAddressSpaceBytes(2L << 30)
                        .withTimeout(Duration.ofSeconds(60)))
                .withOutput(lines));
    assertThat(result.reason()).isEqualTo(SandboxResult.Reason.MEMORY_LIMIT);
    assertThat(result.peakMemoryBytes()).isGreaterThan(128L << 20);
    assertThat(result.signal()).hasValue(Signals.SIGKILL);
    assertThat(result.describe()).startsWith("killed: memory limit");
    assertThat(lines.stdout()).doesNotContain("allocated");
  }

  @Test
  void allocationBeyondAddressSpace_failsInsideTheProgram() {
    lines = new SandboxFixture.Lines();
    SandboxResult result =
        sandbox.run(
            SandboxRequest.of(
                    List.of(
                        "/usr/bin/python3",
                        "-c",
                        "try:\n    b = bytearray(1 << 30)\nexcept MemoryError:\n"
                            + "    print('MemoryError'); raise SystemExit(3)\n"))
                .withLimits(SandboxLimits.defaults().withAddressSpaceBytes(256L << 20))
                .withOutput(lines));
    assertThat(result.reason()).isEqualTo(SandboxResult.Reason.EXITED);
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(lines.stdout()).containsExactly("MemoryError");
  }

  @Test
  void timeout_killsTheWholeProcessTree() {
    SandboxResult result =
        sh(
            "sleep 313 & setsid sleep 313 & (sleep 313 &); nohup sleep 313 >/dev/null 2>&1 &"
                + " echo started; wait",
            SandboxLimits.defaults().withTimeout(Duration.ofSeconds(3)));
    assertThat(lines.stdout()).containsExactly("started");
    assertThat(result.reason()).isEqualTo(SandboxResult.Reason.TIMEOUT);
    assertThat(result.reason().killedBySandbox()).isTrue();
    assertThat(result.describe()).startsWith("killed: wall-clock timeout");
    assertThat(processesNamed("sleep", "313")).isEmpty();
  }

  @Test
  void cpuLimit_endsBusyLoopWithSigxcpu() {
    SandboxResult result = sh("while :; do :; done", SandboxLimits.defaults().withCpuSeconds(1));
    assertThat(result.reason()).isEqualTo(SandboxResult.Reason.CPU_LIMIT);
    assertThat(result.signal()).hasValue(Signals.SIGXCPU);
  }

  @Test
  void fileSizeLimit_endsWriterWithSigxfsz() {
    SandboxResult result =
        sh(
            "exec head -c 2000000 /dev/zero > /tmp/f",
            SandboxLimits.defaults().withFileSizeBytes(1_000_000));
    assertThat(result.reason()).isEqualTo(SandboxResult.Reason.FILE_SIZE_LIMIT);
    assertThat(result.signal()).hasValue(Signals.SIGXFSZ);
  }

  @Test
  void outputCap_truncatesAndSaysSo() {
    SandboxResult result =
        sh("seq 1 100000; echo done >&2", SandboxLimits.defaults().withOutputBytes(1000));
    assertThat(result.succeeded()).isTrue();
    assertThat(result.outputTruncated()).isTrue();
    assertThat(result.outputBytes()).isLessThanOrEqualTo(1000);
    assertThat(result.droppedBytes()).isPositive();
    // Every byte the command wrote is accounted for: delivered plus dropped.
    long written = 0;
    for (int i = 1; i <= 100000; i++) {
      written += Integer.toString(i).length() + 1;
    }
    assertThat(result.outputBytes() + result.droppedBytes()).isEqualTo(written + "done\n".length());
    assertThat(lines.truncatedAt).isEqualTo(1000);
    assertThat(lines.stdout()).startsWith("1", "2", "3").doesNotContain("100000");
    assertThat(result.describe()).contains("output truncated");
  }

  @Test
  void deniedSyscalls_failWithEperm() throws Exception {
    try (SandboxWorkspace ws = sandbox.newWorkspace()) {
      SandboxFixture.compileC(
          ws,
          "escape",
          """
          #define _GNU_SOURCE
          #include <errno.h>
          #include <sched.h>
          #include <stdio.h>
          #include <string.h>
          #include <sys/mount.h>
          #include <sys/ptrace.h>
          #include <sys/syscall.h>
          #include <unistd.h>

          static void report(const char *name, long rc) {
            printf("%s %s\\n", name, rc == -1 ? strerror(errno) : "ALLOWED");
          }

          int main(void) {
            report("ptrace", ptrace(PTRACE_TRACEME, 0, 0, 0));
            report("unshare", unshare(CLONE_NEWUSER));
            report("mount", mount("tmpfs", "/tmp", "tmpfs", 0, 0));
            report("keyctl", syscall(SYS_keyctl, 0, 0, 0, 0, 0));
            report("bpf", syscall(SYS_bpf, 0, 0, 0));
            report("clone-newnet", syscall(SYS_clone, CLONE_NEWNET, 0, 0, 0, 0));
            report("setns", syscall(SYS_setns, 0, 0));
            report("kexec_load", syscall(SYS_kexec_load, 0, 0, 0, 0));
            report("perf_event_open", syscall(SYS_perf_event_open, 0, 0, 0, 0, 0));
            report("userfaultfd", syscall(SYS_userfaultfd, 0));
            report("clone3", syscall(SYS_clone3, 0, 0));
            pid_t child = fork();
            if (child == 0) { _exit(0); }
            report("fork", child > 0 ? 0 : -1);
            return 0;
          }
          """);
      lines = new SandboxFixture.Lines();
      SandboxResult result =
          sandbox.run(
              SandboxRequest.of(List.of("./escape")).withWorkspace(ws.path()).withOutput(lines));
      assertThat(result.succeeded()).as(lines.all()).isTrue();
      assertThat(lines.stdout())
          .containsExactly(
              "ptrace Operation not permitted",
              "unshare Operation not permitted",
              "mount Operation not permitted",
              "keyctl Operation not permitted",
              "bpf Operation not permitted",
              "clone-newnet Operation not permitted",
              "setns Operation not permitted",
              "kexec_load Operation not permitted",
              "perf_event_open Operation not permitted",
              "userfaultfd Operation not permitted",
              "clone3 Function not implemented",
              "fork ALLOWED");
    }
  }

  @Test
  void unshareTool_cannotCreateNamespaces() {
    SandboxResult result = sh("unshare --user --map-root-user true; echo status=$?");
    assertThat(result.succeeded()).isTrue();
    assertThat(lines.stdout()).containsExactly("status=1");
  }

  /** Live processes of the sandbox user (only meaningful when the server drops from root). */
  private static List<ProcessHandle> sandboxProcesses() {
    return ProcessHandle.allProcesses()
        .filter(p -> uidOf(p.pid()) == SandboxConfig.defaults().sandboxUid())
        .filter(p -> !zombie(p.pid()))
        .toList();
  }

  private static List<ProcessHandle> processesNamed(String command, String argument) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().map(c -> c.endsWith("/" + command)).orElse(false))
        .filter(
            p ->
                p.info()
                    .arguments()
                    .map(a -> Stream.of(a).anyMatch(argument::equals))
                    .orElse(false))
        .filter(p -> !zombie(p.pid()))
        .toList();
  }

  /** A zombie has released everything but its process table entry; its parent will reap it. */
  private static boolean zombie(long pid) {
    return readQuietly("/proc/" + pid + "/status").contains("State:\tZ");
  }

  private static String readQuietly(String file) {
    try {
      return Files.readString(Path.of(file)).replace('\n', ' ');
    } catch (IOException e) {
      return "(gone)";
    }
  }

  private static long uidOf(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("Uid:")) {
          return Long.parseLong(line.substring(4).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // The process ended while being read.
    }
    return -1;
  }
}
