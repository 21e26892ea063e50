package io.maestro.engine.sandbox;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates the classic BPF program that bubblewrap installs with {@code --seccomp FD} before it
 * executes the command. The program is built here rather than with libseccomp so that the server
 * needs no native library; a test checks the syscall numbers against libseccomp's tables.
 *
 * <p>What it does, in order:
 *
 * <ol>
 *   <li>Checks the audit architecture: only {@code AUDIT_ARCH_X86_64} and {@code
 *       AUDIT_ARCH_AARCH64} pass; any other (notably 32-bit {@code int 0x80} calls on x86_64) kills
 *       the process, because syscall numbers differ per ABI and a deny list for one ABI is
 *       worthless for another.
 *   <li>On x86_64, kills the process for x32 ABI calls (number bit 30 set), for the same reason.
 *   <li>Answers {@code EPERM} to every syscall in {@link #DENIED}: the program sees an ordinary
 *       permission error it can report, rather than dying without a word. ({@code ENOSYS} for
 *       {@code clone3}, so that libc falls back to {@code clone}, whose flags can be inspected.)
 *   <li>Answers {@code EPERM} to {@code clone} with any namespace flag, so no new namespace can be
 *       created by {@code clone} either.
 *   <li>Allows everything else.
 * </ol>
 *
 * <p>Both supported architectures are little-endian, which fixes the byte order of the program and
 * the offset of the low half of the first syscall argument.
 */
final class SeccompFilter {

  /** A denied syscall with its number on each architecture; -1 where it does not exist. */
  record Syscall(String name, int x86_64, int aarch64) {}

  /** The deny list. Every entry is answered with {@code EPERM}. */
  static final List<Syscall> DENIED =
      List.of(
          // Debugging another process, or reading and writing its memory.
          new Syscall("ptrace", 101, 117),
          new Syscall("process_vm_readv", 310, 270),
          new Syscall("process_vm_writev", 311, 271),
          new Syscall("kcmp", 312, 272),
          new Syscall("pidfd_getfd", 438, 438),
          // Changing the file system view: the sandbox's mounts are final.
          new Syscall("mount", 165, 40),
          new Syscall("umount2", 166, 39),
          new Syscall("pivot_root", 155, 41),
          new Syscall("chroot", 161, 51),
          new Syscall("open_tree", 428, 428),
          new Syscall("move_mount", 429, 429),
          new Syscall("fsopen", 430, 430),
          new Syscall("fsconfig", 431, 431),
          new Syscall("fsmount", 432, 432),
          new Syscall("fspick", 433, 433),
          new Syscall("mount_setattr", 442, 442),
          // Entering or creating namespaces.
          new Syscall("setns", 308, 268),
          new Syscall("unshare", 272, 97),
          // The kernel itself: modules, kexec, reboot, swap, accounting, the clock.
          new Syscall("kexec_load", 246, 104),
          new Syscall("kexec_file_load", 320, 294),
          new Syscall("init_module", 175, 105),
          new Syscall("finit_module", 313, 273),
          new Syscall("delete_module", 176, 106),
          new Syscall("reboot", 169, 142),
          new Syscall("swapon", 167, 224),
          new Syscall("swapoff", 168, 225),
          new Syscall("acct", 163, 89),
          new Syscall("quotactl", 179, 60),
          new Syscall("quotactl_fd", 443, 443),
          new Syscall("syslog", 103, 116),
          new Syscall("sethostname", 170, 161),
          new Syscall("setdomainname", 171, 162),
          new Syscall("settimeofday", 164, 170),
          new Syscall("clock_settime", 227, 112),
          new Syscall("clock_adjtime", 305, 266),
          new Syscall("adjtimex", 159, 171),
          new Syscall("vhangup", 153, 58),
          // Large kernel attack surfaces an ordinary build or script does not need.
          new Syscall("bpf", 321, 280),
          new Syscall("perf_event_open", 298, 241),
          new Syscall("userfaultfd", 323, 282),
          new Syscall("io_uring_setup", 425, 425),
          new Syscall("io_uring_enter", 426, 426),
          new Syscall("io_uring_register", 427, 427),
          new Syscall("fanotify_init", 300, 262),
          new Syscall("lookup_dcookie", 212, 18),
          // The kernel keyring is not namespaced.
          new Syscall("keyctl", 250, 219),
          new Syscall("add_key", 248, 217),
          new Syscall("request_key", 249, 218),
          // File handles bypass the mount namespace (the "shocker" escape).
          new Syscall("open_by_handle_at", 304, 265),
          new Syscall("name_to_handle_at", 303, 264),
          // x86_64 only: raw I/O ports and obsolete interfaces.
          new Syscall("iopl", 172, -1),
          new Syscall("ioperm", 173, -1),
          new Syscall("uselib", 134, -1),
          new Syscall("_sysctl", 156, -1),
          new Syscall("create_module", 174, -1),
          new Syscall("get_kernel_syms", 177, -1),
          new Syscall("query_module", 178, -1),
          new Syscall("nfsservctl", 180, 42));

  static final Syscall CLONE = new Syscall("clone", 56, 220);
  static final Syscall CLONE3 = new Syscall("clone3", 435, 435);

  static final int AUDIT_ARCH_X86_64 = 0xC000003E;
  static final int AUDIT_ARCH_AARCH64 = 0xC00000B7;

  /** CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET. */
  static final int CLONE_NAMESPACE_FLAGS =
      0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000;

  private static final int X32_SYSCALL_BIT = 0x40000000;
  private static final int EPERM = 1;
  private static final int ENOSYS = 38;

  static final int RET_KILL_PROCESS = 0x80000000;
  static final int RET_ERRNO = 0x00050000;
  static final int RET_ALLOW = 0x7fff0000;

  // struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6];
  private static final int OFFSET_NR = 0;
  private static final int OFFSET_ARCH = 4;
  private static final int OFFSET_ARG0_LOW = 16;

  private static final short LD_W_ABS = 0x20;
  private static final short JMP_JEQ_K = 0x15;
  private static final short JMP_JGE_K = 0x35;
  private static final short JMP_JSET_K = 0x45;
  private static final short RET_K = 0x06;

  private SeccompFilter() {}

  /** The program as {@code struct sock_filter[]} bytes, ready for {@code --seccomp}. */
  static byte[] program() {
    Assembler a = new Assembler();
    a.load(OFFSET_ARCH);
    a.jumpIfEqual(AUDIT_ARCH_X86_64, "x86_64", null);
    a.jumpIfEqual(AUDIT_ARCH_AARCH64, "aarch64", "kill");

    a.label("x86_64");
    a.load(OFFSET_NR);
    a.jumpIfGreaterOrEqual(X32_SYSCALL_BIT, "kill", null);
    body(a, true);

    a.label("aarch64");
    a.load(OFFSET_NR);
    body(a, false);

    a.label("clone_flags");
    a.load(OFFSET_ARG0_LOW);
    a.jumpIfAnyBit(CLONE_NAMESPACE_FLAGS, "eperm", "allow");
    a.label("allow");
    a.ret(RET_ALLOW);
    a.label("eperm");
    a.ret(RET_ERRNO | EPERM);
    a.label("enosys");
    a.ret(RET_ERRNO | ENOSYS);
    a.label("kill");
    a.ret(RET_KILL_PROCESS);
    return a.assemble();
  }

  private static void body(Assembler a, boolean x86) {
    for (Syscall s : DENIED) {
      int nr = x86 ? s.x86_64() : s.aarch64();
      if (nr >= 0) {
        a.jumpIfEqual(nr, "eperm", null);
      }
    }
    a.jumpIfEqual(x86 ? CLONE3.x86_64() : CLONE3.aarch64(), "enosys", null);
    a.jumpIfEqual(x86 ? CLONE.x86_64() : CLONE.aarch64(), "clone_flags", "allow");
  }

  /**
   * A tiny two-pass assembler for the subset of classic BPF used here. Jumps are forward only and
   * relative; a null target means "fall through to the next instruction".
   */
  private static final class Assembler {
    private record Insn(short code, String jt, String jf, int k) {}

    private final List<Insn> code = new ArrayList<>();
    private final Map<String, Integer> labels = new HashMap<>();

    void label(String name) {
      if (labels.putIfAbsent(name, code.size()) != null) {
        throw new IllegalStateException("duplicate label " + name);
      }
    }

    void load(int offset) {
      code.add(new Insn(LD_W_ABS, null, null, offset));
    }

    void jumpIfEqual(int k, String ifTrue, String ifFalse) {
      code.add(new Insn(JMP_JEQ_K, ifTrue, ifFalse, k));
    }

    void jumpIfGreaterOrEqual(int k, String ifTrue, String ifFalse) {
      code.add(new Insn(JMP_JGE_K, ifTrue, ifFalse, k));
    }

    void jumpIfAnyBit(int k, String ifTrue, String ifFalse) {
      code.add(new Insn(JMP_JSET_K, ifTrue, ifFalse, k));
    }

    void ret(int k) {
      code.add(new Insn(RET_K, null, null, k));
    }

    byte[] assemble() {
      ByteBuffer out = ByteBuffer.allocate(code.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
      for (int pc = 0; pc < code.size(); pc++) {
        Insn insn = code.get(pc);
        out.putShort(insn.code());
        out.put(offset(pc, insn.jt()));
        out.put(offset(pc, insn.jf()));
        out.putInt(insn.k());
      }
      return out.array();
    }

    private byte offset(int pc, String target) {
      if (target == null) {
        return 0;
      }
      Integer at = labels.get(target);
      if (at == null) {
        throw new IllegalStateException("undefined label " + target);
      }
      int distance = at - pc - 1;
      if (distance < 0 || distance > 255) {
        throw new IllegalStateException("jump to " + target + " out of range: " + distance);
      }
      return (byte) distance;
    }
  }
}
