package io.maestro.engine.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.engine.sandbox.SyscallTable.Arch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the generated programs through a small classic-BPF interpreter (the kernel's semantics for
 * the instructions used) for every syscall of the table, and checks that the shipped files are what
 * {@code engine/seccomp/regenerate.sh} produces. {@link SeccompSandboxTest} runs the filter for
 * real.
 */
class SeccompFilterTest {
  private static final int ALLOW = SeccompFilter.RET_ALLOW;
  private static final int EPERM = SeccompFilter.RET_ERRNO | SeccompFilter.EPERM;
  private static final int ENOSYS = SeccompFilter.RET_ERRNO | SeccompFilter.ENOSYS;
  private static final int KILL = SeccompFilter.RET_KILL_PROCESS;
  private static final Path SECCOMP_DIR = Path.of("seccomp");

  private final SyscallTable table = SyscallTable.bundled();
  private final SeccompFilter filter = SeccompFilter.withExtra(List.of());

  @Test
  void program_isWholeInstructionsWithinKernelLimit() {
    for (Arch arch : Arch.values()) {
      byte[] program = filter.program(arch);
      assertThat(program.length % 8).isZero();
      assertThat(program.length / 8).as(arch.name()).isBetween(10, 4096);
    }
  }

  @Test
  void everySyscallOfTheTable_getsThePolicysAnswer_onBothArchitectures() {
    for (Arch arch : Arch.values()) {
      byte[] program = filter.program(arch);
      for (String name : table.names()) {
        var nr = table.number(name, arch);
        if (nr.isEmpty()) {
          continue;
        }
        int expected =
            switch (filter.action(name)) {
              case ALLOW, CLONE -> ALLOW; // clone without namespace flags
              case EPERM -> EPERM;
              case ENOSYS -> ENOSYS;
            };
        assertThat(eval(program, arch.audit, nr.getAsInt(), 0))
            .as(name + " on " + arch)
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void syscallOutsideTheAllowlist_getsEnosys_refusedOnesEperm() {
    byte[] x86 = filter.program(Arch.X86_64);
    // msgget (68) is on no list; ptrace (101) and mount (165) are always refused.
    assertThat(filter.allowed()).doesNotContain("msgget");
    assertThat(eval(x86, Arch.X86_64.audit, 68, 0)).isEqualTo(ENOSYS);
    assertThat(eval(x86, Arch.X86_64.audit, 101, 0)).isEqualTo(EPERM);
    assertThat(eval(x86, Arch.X86_64.audit, 165, 0)).isEqualTo(EPERM);
    // Numbers no kernel has yet fall to the default too.
    assertThat(eval(x86, Arch.X86_64.audit, 1000, 0)).isEqualTo(ENOSYS);
    // read, write, openat, execve are allowed.
    for (int nr : new int[] {0, 1, 257, 59}) {
      assertThat(eval(x86, Arch.X86_64.audit, nr, 0)).isEqualTo(ALLOW);
    }
  }

  @Test
  void shippedPolicy_keepsTheDangerousCallsRefused() {
    assertThat(filter.refused())
        .contains("ptrace", "mount", "unshare", "setns", "bpf", "keyctl", "userfaultfd")
        .contains("io_uring_setup", "open_by_handle_at", "perf_event_open", "kexec_load");
    assertThat(filter.allowed()).doesNotContainAnyElementsOf(filter.refused());
    assertThat(filter.allowed()).doesNotContain(SeccompFilter.CLONE3);
  }

  @Test
  void cloneWithNamespaceFlag_isDenied_plainCloneAllowed() {
    byte[] x86 = filter.program(Arch.X86_64);
    byte[] arm = filter.program(Arch.AARCH64);
    int forkLike =
        0x01200011; // CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD, as glibc forks
    assertThat(eval(x86, Arch.X86_64.audit, 56, forkLike)).isEqualTo(ALLOW);
    assertThat(eval(arm, Arch.AARCH64.audit, 220, forkLike)).isEqualTo(ALLOW);
    assertThat(eval(x86, Arch.X86_64.audit, 56, forkLike | 0x10000000)).isEqualTo(EPERM);
    assertThat(eval(x86, Arch.X86_64.audit, 56, 0x40000000)).isEqualTo(EPERM); // CLONE_NEWNET
    assertThat(eval(arm, Arch.AARCH64.audit, 220, 0x00020000)).isEqualTo(EPERM); // CLONE_NEWNS
  }

  @Test
  void clone3_answersEnosysSoLibcFallsBackToClone() {
    assertThat(eval(filter.program(Arch.X86_64), Arch.X86_64.audit, 435, 0)).isEqualTo(ENOSYS);
    assertThat(eval(filter.program(Arch.AARCH64), Arch.AARCH64.audit, 435, 0)).isEqualTo(ENOSYS);
  }

  @Test
  void foreignArchitectureAndX32_killTheProcess() {
    byte[] x86 = filter.program(Arch.X86_64);
    int i386 = 0x40000003;
    assertThat(eval(x86, i386, 26, 0)).as("i386 ptrace").isEqualTo(KILL);
    assertThat(eval(x86, i386, 3, 0)).as("i386 read").isEqualTo(KILL);
    assertThat(eval(x86, Arch.X86_64.audit, 0x40000000 | 101, 0)).as("x32").isEqualTo(KILL);
    assertThat(eval(x86, Arch.AARCH64.audit, 63, 0)).as("aarch64 on x86_64").isEqualTo(KILL);
    assertThat(eval(filter.program(Arch.AARCH64), Arch.X86_64.audit, 0, 0)).isEqualTo(KILL);
  }

  @Test
  void unknownArchitecture_isNotSupported() {
    assertThat(Arch.of("amd64")).contains(Arch.X86_64);
    assertThat(Arch.of("aarch64")).contains(Arch.AARCH64);
    assertThat(Arch.of("riscv64")).isEmpty();
    assertThat(Arch.of("ppc64le")).isEmpty();
  }

  @Test
  void operatorExtra_isAllowed_butNeverARefusedOrUnknownCall() {
    SeccompFilter extended = SeccompFilter.withExtra(List.of("msgget"));
    assertThat(eval(extended.program(Arch.X86_64), Arch.X86_64.audit, 68, 0)).isEqualTo(ALLOW);
    assertThat(eval(extended.program(Arch.AARCH64), Arch.AARCH64.audit, 186, 0)).isEqualTo(ALLOW);
    assertThatThrownBy(() -> SeccompFilter.withExtra(List.of("ptrace")))
        .hasMessageContaining("'ptrace' is always refused");
    assertThatThrownBy(() -> SeccompFilter.withExtra(List.of("clone3")))
        .hasMessageContaining("always refused");
    assertThatThrownBy(() -> SeccompFilter.withExtra(List.of("msgegt")))
        .hasMessageContaining("'msgegt' is not a known syscall name");
  }

  /** The shipped allowlist is exactly measured.txt + baseline.txt − refused − clone3. */
  @Test
  void shippedAllowlist_isWhatRegenerateProduces() throws IOException {
    Set<String> expected = new TreeSet<>();
    expected.addAll(lines(SECCOMP_DIR.resolve("measured.txt")));
    expected.addAll(lines(SECCOMP_DIR.resolve("baseline.txt")));
    expected.removeAll(filter.refused());
    expected.remove(SeccompFilter.CLONE3);
    assertThat(new TreeSet<>(filter.allowed())).isEqualTo(expected);
    for (String name : expected) {
      assertThat(table.knows(name)).as(name + " is in syscalls.tsv").isTrue();
    }
  }

  @Test
  void syscallTable_matchesLibseccomp(@TempDir Path dir) throws Exception {
    Path binary = dir.resolve("syscall-table");
    int cc =
        run(
            List.of(
                "gcc",
                "-o",
                binary.toString(),
                SECCOMP_DIR.resolve("syscall-table.c").toAbsolutePath().toString(),
                "-lseccomp"),
            dir,
            dir.resolve("cc.log"));
    Assumptions.assumeTrue(
        cc == 0 || SandboxFixture.ci(),
        "gcc or libseccomp-dev missing; cannot cross-check the syscall table");
    assertThat(cc).as("gcc with libseccomp-dev").isZero();
    Path out = dir.resolve("syscalls.tsv");
    assertThat(run(List.of(binary.toString()), dir, out)).isZero();
    Path shipped = Path.of("src/main/resources/io/maestro/engine/sandbox/syscalls.tsv");
    // The header names the libseccomp version that generated the file; compare the rows.
    assertThat(rows(out)).isEqualTo(rows(shipped));
  }

  private static List<String> rows(Path file) throws IOException {
    return Files.readAllLines(file).stream().filter(l -> !l.startsWith("#")).toList();
  }

  private static Set<String> lines(Path file) throws IOException {
    Set<String> out = new TreeSet<>();
    try (Stream<String> s = Files.lines(file)) {
      s.map(l -> l.replaceAll("#.*", "").strip()).filter(l -> !l.isEmpty()).forEach(out::add);
    }
    return out;
  }

  private static int run(List<String> argv, Path dir, Path output) throws InterruptedException {
    try {
      Process p =
          new ProcessBuilder(argv)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      return p.waitFor(120, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  /** Interprets a program for one {@code seccomp_data} (arch, nr, low half of args[0]). */
  private static int eval(byte[] program, int arch, int nr, int arg0Low) {
    ByteBuffer data = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    data.putInt(0, nr).putInt(4, arch).putInt(16, arg0Low);
    ByteBuffer code = ByteBuffer.wrap(program).order(ByteOrder.LITTLE_ENDIAN);
    int acc = 0;
    int pc = 0;
    for (int steps = 0; steps < 10_000; steps++) {
      int base = pc * 8;
      int op = code.getShort(base) & 0xffff;
      int jt = code.get(base + 2) & 0xff;
      int jf = code.get(base + 3) & 0xff;
      int k = code.getInt(base + 4);
      pc++;
      switch (op) {
        case 0x20 -> acc = data.getInt(k);
        case 0x05 -> pc += k;
        case 0x15 -> pc += acc == k ? jt : jf;
        case 0x35 -> pc += Integer.compareUnsigned(acc, k) >= 0 ? jt : jf;
        case 0x45 -> pc += (acc & k) != 0 ? jt : jf;
        case 0x06 -> {
          return k;
        }
        default -> throw new AssertionError("unexpected opcode " + op);
      }
    }
    throw new AssertionError("program did not return");
  }
}
