package io.maestro.engine.sandbox;

import io.maestro.engine.sandbox.SyscallTable.Arch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * The seccomp policy of the sandbox, and the classic BPF program that bubblewrap installs with
 * {@code --seccomp FD} before it executes the command. The program is built here rather than with
 * libseccomp so that the server needs no native library.
 *
 * <p>The policy is <b>default deny</b>:
 *
 * <ol>
 *   <li>A call through any ABI but the host's (32-bit {@code int 0x80} on x86_64, x32, or another
 *       architecture) <b>kills</b> the process: syscall numbers differ per ABI and the lists below
 *       are for one.
 *   <li>The calls in {@code seccomp-refused.txt} (ptrace, mount, namespaces, kexec, bpf, keyctl, …)
 *       get <b>EPERM</b>, whatever the allowlist says: a program that probes them fails with an
 *       ordinary permission error. So does {@code clone} with any namespace flag.
 *   <li>{@code clone3} gets <b>ENOSYS</b>, so libc falls back to {@code clone}, whose flags the
 *       filter can inspect ({@code clone3} passes them in memory, out of the filter's reach).
 *   <li>The allowlist ({@code seccomp-allowlist.txt}, measured by {@code engine/seccomp/
 *       regenerate.sh}, plus the operator's {@code sandbox.seccomp.allow}) is allowed.
 *   <li>Everything else gets <b>ENOSYS</b> ("function not implemented"): libc and runtimes treat a
 *       newer call the kernel lacks as absent and fall back, where EPERM would make them fail and a
 *       kill would leave no message at all.
 * </ol>
 *
 * <p>The program compares the syscall number in a binary search tree (about ten comparisons for the
 * ~240 calls), so the filter's cost does not grow with the list. Both supported architectures are
 * little-endian, which fixes the byte order of the program and the offset of the low half of the
 * first syscall argument.
 */
final class SeccompFilter {

  /** What the filter answers to one syscall. */
  enum Action {
    ALLOW,
    EPERM,
    ENOSYS,
    /** {@code clone}: EPERM with a namespace flag in its first argument, allowed otherwise. */
    CLONE
  }

  static final String CLONE = "clone";
  static final String CLONE3 = "clone3";

  /** CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET. */
  static final int CLONE_NAMESPACE_FLAGS =
      0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000;

  private static final int X32_SYSCALL_BIT = 0x40000000;
  static final int EPERM = 1;
  static final int ENOSYS = 38;

  static final int RET_KILL_PROCESS = 0x80000000;
  static final int RET_ERRNO = 0x00050000;
  static final int RET_ALLOW = 0x7fff0000;

  /** Calls in one leaf of the search tree, compared one after the other. */
  private static final int LEAF = 4;

  // struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6];
  private static final int OFFSET_NR = 0;
  private static final int OFFSET_ARCH = 4;
  private static final int OFFSET_ARG0_LOW = 16;

  private static final short LD_W_ABS = 0x20;
  private static final short JMP_JA = 0x05;
  private static final short JMP_JEQ_K = 0x15;
  private static final short JMP_JGE_K = 0x35;
  private static final short JMP_JSET_K = 0x45;
  private static final short RET_K = 0x06;

  private final SyscallTable table;
  private final Set<String> allowed;
  private final Set<String> refused;

  private SeccompFilter(SyscallTable table, Set<String> allowed, Set<String> refused) {
    this.table = table;
    this.allowed = Set.copyOf(allowed);
    this.refused = Set.copyOf(refused);
  }

  /**
   * The shipped policy plus the operator's extra syscalls.
   *
   * @throws IllegalArgumentException naming the first extra call that is unknown, or that the
   *     filter always refuses
   */
  static SeccompFilter withExtra(List<String> extra) {
    SyscallTable table = SyscallTable.bundled();
    Set<String> refused = new LinkedHashSet<>(SyscallTable.resourceLines("seccomp-refused.txt"));
    Set<String> allowed = new LinkedHashSet<>(SyscallTable.resourceLines("seccomp-allowlist.txt"));
    for (String name : extra) {
      if (!table.knows(name)) {
        throw new IllegalArgumentException("'" + name + "' is not a known syscall name");
      }
      if (refused.contains(name) || name.equals(CLONE3)) {
        throw new IllegalArgumentException(
            "'" + name + "' is always refused by the sandbox and cannot be allowed");
      }
      allowed.add(name);
    }
    return new SeccompFilter(table, allowed, refused);
  }

  /** The calls allowed (shipped list and operator extras), by name. */
  Set<String> allowed() {
    return allowed;
  }

  /** The calls always refused with EPERM, by name. */
  Set<String> refused() {
    return refused;
  }

  /** What the filter answers to {@code name}, by the policy above. */
  Action action(String name) {
    if (refused.contains(name)) {
      return Action.EPERM;
    }
    if (name.equals(CLONE3)) {
      return Action.ENOSYS;
    }
    if (name.equals(CLONE)) {
      return Action.CLONE;
    }
    return allowed.contains(name) ? Action.ALLOW : Action.ENOSYS;
  }

  /**
   * The program for {@code arch} as {@code struct sock_filter[]} bytes, ready for {@code
   * --seccomp}.
   */
  byte[] program(Arch arch) {
    // Every call with an answer other than the default, by number (the tree needs them sorted).
    TreeMap<Integer, Action> special = new TreeMap<>();
    Set<String> names = new LinkedHashSet<>(allowed);
    names.addAll(refused);
    names.add(CLONE);
    names.add(CLONE3);
    for (String name : names) {
      OptionalInt nr = table.number(name, arch);
      if (nr.isPresent()) {
        special.put(nr.getAsInt(), action(name));
      }
    }
    Assembler a = new Assembler();
    a.load(OFFSET_ARCH);
    a.jumpIfEqual(arch.audit, 1, 0);
    a.ret(RET_KILL_PROCESS);
    a.load(OFFSET_NR);
    if (arch == Arch.X86_64) {
      a.jumpIfGreaterOrEqual(X32_SYSCALL_BIT, 0, 1);
      a.ret(RET_KILL_PROCESS);
    }
    tree(a, new ArrayList<>(special.entrySet()));
    return a.assemble();
  }

  /**
   * Emits a search over {@code entries} (sorted by number) with the syscall number in the
   * accumulator. Conditional jumps only skip the next instruction; the far jump to a right subtree
   * is an unconditional {@code ja}, whose offset has 32 bits.
   */
  private static void tree(Assembler a, List<Map.Entry<Integer, Action>> entries) {
    if (entries.size() <= LEAF) {
      for (Map.Entry<Integer, Action> e : entries) {
        leaf(a, e.getKey(), e.getValue());
      }
      a.ret(RET_ERRNO | ENOSYS);
      return;
    }
    int mid = entries.size() / 2;
    String right = a.newLabel();
    a.jumpIfGreaterOrEqual(entries.get(mid).getKey(), 0, 1);
    a.jumpAlways(right);
    tree(a, entries.subList(0, mid));
    a.label(right);
    tree(a, entries.subList(mid, entries.size()));
  }

  private static void leaf(Assembler a, int nr, Action action) {
    switch (action) {
      case ALLOW -> {
        a.jumpIfEqual(nr, 0, 1);
        a.ret(RET_ALLOW);
      }
      case EPERM -> {
        a.jumpIfEqual(nr, 0, 1);
        a.ret(RET_ERRNO | EPERM);
      }
      case ENOSYS -> {
        a.jumpIfEqual(nr, 0, 1);
        a.ret(RET_ERRNO | ENOSYS);
      }
      case CLONE -> {
        // Returns on every path, so the accumulator may be overwritten with the flags.
        a.jumpIfEqual(nr, 0, 4);
        a.load(OFFSET_ARG0_LOW);
        a.jumpIfAnyBit(CLONE_NAMESPACE_FLAGS, 0, 1);
        a.ret(RET_ERRNO | EPERM);
        a.ret(RET_ALLOW);
      }
    }
  }

  /**
   * A tiny assembler for the subset of classic BPF used here: conditional jumps with literal
   * (short, forward) offsets, and unconditional jumps to labels resolved in a second pass.
   */
  private static final class Assembler {
    private record Insn(short code, int jt, int jf, int k, String target) {}

    private final List<Insn> code = new ArrayList<>();
    private final Map<String, Integer> labels = new HashMap<>();
    private int nextLabel;

    String newLabel() {
      return "L" + nextLabel++;
    }

    void label(String name) {
      if (labels.putIfAbsent(name, code.size()) != null) {
        throw new IllegalStateException("duplicate label " + name);
      }
    }

    void load(int offset) {
      code.add(new Insn(LD_W_ABS, 0, 0, offset, null));
    }

    void jumpIfEqual(int k, int jt, int jf) {
      code.add(new Insn(JMP_JEQ_K, jt, jf, k, null));
    }

    void jumpIfGreaterOrEqual(int k, int jt, int jf) {
      code.add(new Insn(JMP_JGE_K, jt, jf, k, null));
    }

    void jumpIfAnyBit(int k, int jt, int jf) {
      code.add(new Insn(JMP_JSET_K, jt, jf, k, null));
    }

    void jumpAlways(String target) {
      code.add(new Insn(JMP_JA, 0, 0, 0, target));
    }

    void ret(int k) {
      code.add(new Insn(RET_K, 0, 0, k, null));
    }

    byte[] assemble() {
      if (code.size() > 4096) {
        throw new IllegalStateException("seccomp program too long: " + code.size());
      }
      ByteBuffer out = ByteBuffer.allocate(code.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
      for (int pc = 0; pc < code.size(); pc++) {
        Insn insn = code.get(pc);
        int k = insn.k();
        if (insn.target() != null) {
          Integer at = labels.get(insn.target());
          if (at == null || at <= pc) {
            throw new IllegalStateException("bad jump target " + insn.target());
          }
          k = at - pc - 1;
        }
        out.putShort(insn.code());
        out.put((byte) insn.jt());
        out.put((byte) insn.jf());
        out.putInt(k);
      }
      return out.array();
    }
  }
}
