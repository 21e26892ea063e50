package io.maestro.engine.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the generated program through a small classic-BPF interpreter (the kernel's semantics for
 * the instructions used), and checks the syscall tables against libseccomp's.
 */
class SeccompFilterTest {
  private static final int ALLOW = SeccompFilter.RET_ALLOW;
  private static final int EPERM = SeccompFilter.RET_ERRNO | 1;
  private static final int ENOSYS = SeccompFilter.RET_ERRNO | 38;
  private static final int KILL = SeccompFilter.RET_KILL_PROCESS;
  private static final int X86 = SeccompFilter.AUDIT_ARCH_X86_64;
  private static final int ARM = SeccompFilter.AUDIT_ARCH_AARCH64;

  private final byte[] program = SeccompFilter.program();

  @Test
  void program_isWholeInstructionsWithinKernelLimit() {
    assertThat(program.length % 8).isZero();
    assertThat(program.length / 8).isBetween(10, 4096);
  }

  @Test
  void deniedSyscalls_getEpermOnBothArchitectures() {
    for (SeccompFilter.Syscall s : SeccompFilter.DENIED) {
      assertThat(eval(X86, s.x86_64(), 0)).as(s.name() + " on x86_64").isEqualTo(EPERM);
      if (s.aarch64() >= 0) {
        assertThat(eval(ARM, s.aarch64(), 0)).as(s.name() + " on aarch64").isEqualTo(EPERM);
      }
    }
  }

  @Test
  void ordinarySyscalls_areAllowed() {
    // read, write, openat, execve on x86_64; read, write, openat, execve on aarch64.
    for (int nr : new int[] {0, 1, 257, 59}) {
      assertThat(eval(X86, nr, 0)).isEqualTo(ALLOW);
    }
    for (int nr : new int[] {63, 64, 56, 221}) {
      assertThat(eval(ARM, nr, 0)).isEqualTo(ALLOW);
    }
  }

  @Test
  void cloneWithNamespaceFlag_isDenied_plainCloneAllowed() {
    int forkLike =
        0x01200011; // CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD, as glibc forks
    assertThat(eval(X86, 56, forkLike)).isEqualTo(ALLOW);
    assertThat(eval(ARM, 220, forkLike)).isEqualTo(ALLOW);
    assertThat(eval(X86, 56, forkLike | 0x10000000)).isEqualTo(EPERM); // CLONE_NEWUSER
    assertThat(eval(X86, 56, 0x40000000)).isEqualTo(EPERM); // CLONE_NEWNET
    assertThat(eval(ARM, 220, 0x00020000)).isEqualTo(EPERM); // CLONE_NEWNS
  }

  @Test
  void clone3_answersEnosysSoLibcFallsBackToClone() {
    assertThat(eval(X86, 435, 0)).isEqualTo(ENOSYS);
    assertThat(eval(ARM, 435, 0)).isEqualTo(ENOSYS);
  }

  @Test
  void foreignArchitectureAndX32_killTheProcess() {
    int i386 = 0x40000003;
    assertThat(eval(i386, 26, 0)).as("i386 ptrace").isEqualTo(KILL);
    assertThat(eval(i386, 3, 0)).as("i386 read").isEqualTo(KILL);
    assertThat(eval(X86, 0x40000000 | 101, 0)).as("x32 ptrace").isEqualTo(KILL);
  }

  @Test
  void syscallNumbers_matchLibseccomp(@TempDir Path dir) throws Exception {
    Path source = dir.resolve("resolve.c");
    Files.writeString(
        source,
        """
        #include <seccomp.h>
        #include <stdio.h>
        int main(int argc, char **argv) {
          for (int i = 1; i < argc; i++) {
            printf("%s %d %d\\n", argv[i],
                   seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, argv[i]),
                   seccomp_syscall_resolve_name_arch(SCMP_ARCH_AARCH64, argv[i]));
          }
          return 0;
        }
        """);
    Path binary = dir.resolve("resolve");
    int cc = run(List.of("gcc", "-o", binary.toString(), source.toString(), "-lseccomp"), dir);
    Assumptions.assumeTrue(
        cc == 0 || "true".equals(System.getenv("CI")),
        "gcc or libseccomp-dev missing; cannot cross-check the syscall tables");
    assertThat(cc).as("gcc with libseccomp-dev").isZero();

    List<SeccompFilter.Syscall> all = new ArrayList<>(SeccompFilter.DENIED);
    all.add(SeccompFilter.CLONE);
    all.add(SeccompFilter.CLONE3);
    List<String> argv = new ArrayList<>(List.of(binary.toString()));
    all.forEach(s -> argv.add(s.name()));
    Path out = dir.resolve("out.txt");
    ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(out.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(all.size());
    for (int i = 0; i < all.size(); i++) {
      SeccompFilter.Syscall s = all.get(i);
      String[] parts = lines.get(i).split(" ");
      int arm = Integer.parseInt(parts[2]);
      assertThat(Integer.parseInt(parts[1])).as(s.name() + " x86_64").isEqualTo(s.x86_64());
      // libseccomp answers a negative pseudo number for syscalls an architecture lacks.
      assertThat(arm < 0 ? -1 : arm).as(s.name() + " aarch64").isEqualTo(s.aarch64());
    }
  }

  private static int run(List<String> argv, Path dir) throws InterruptedException {
    try {
      Process p =
          new ProcessBuilder(argv)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("cc.log").toFile())
              .start();
      return p.waitFor(120, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  /** Interprets the program for one {@code seccomp_data} (arch, nr, low half of args[0]). */
  private int eval(int arch, int nr, int arg0Low) {
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
