package io.maestro.engine.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Syscall names and their numbers on the architectures the sandbox supports, read from {@code
 * syscalls.tsv} (generated from libseccomp by {@code engine/seccomp/regenerate.sh}; a test checks
 * it against the installed libseccomp). Immutable.
 */
final class SyscallTable {

  /** An architecture the filter can be generated for, with its seccomp audit value. */
  enum Arch {
    X86_64(0xC000003E),
    AARCH64(0xC00000B7);

    final int audit;

    Arch(int audit) {
      this.audit = audit;
    }

    /** The architecture of a JVM's {@code os.arch}, if the sandbox supports it. */
    static Optional<Arch> of(String osArch) {
      return switch (osArch.toLowerCase(Locale.ROOT)) {
        case "amd64", "x86_64" -> Optional.of(X86_64);
        case "aarch64", "arm64" -> Optional.of(AARCH64);
        default -> Optional.empty();
      };
    }

    String displayName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private record Numbers(int x86_64, int aarch64) {}

  private final Map<String, Numbers> byName;

  private SyscallTable(Map<String, Numbers> byName) {
    this.byName = Map.copyOf(byName);
  }

  /** The table shipped with the engine. */
  static SyscallTable bundled() {
    Map<String, Numbers> m = new LinkedHashMap<>();
    for (String line : resourceLines("syscalls.tsv")) {
      String[] f = line.split("\t");
      if (f.length != 3) {
        throw new IllegalStateException("syscalls.tsv: malformed line: " + line);
      }
      m.put(f[0], new Numbers(Integer.parseInt(f[1]), Integer.parseInt(f[2])));
    }
    return new SyscallTable(m);
  }

  /** Every name in the table. */
  java.util.Set<String> names() {
    return byName.keySet();
  }

  boolean knows(String name) {
    return byName.containsKey(name);
  }

  /** The number of {@code name} on {@code arch}; empty when unknown or absent there. */
  OptionalInt number(String name, Arch arch) {
    Numbers n = byName.get(name);
    if (n == null) {
      return OptionalInt.empty();
    }
    int nr =
        switch (arch) {
          case X86_64 -> n.x86_64();
          case AARCH64 -> n.aarch64();
        };
    return nr < 0 ? OptionalInt.empty() : OptionalInt.of(nr);
  }

  /**
   * The non-blank lines of a resource next to this class, without {@code #} comments and
   * surrounding blanks.
   */
  static List<String> resourceLines(String name) {
    try (InputStream in = SyscallTable.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the engine jar");
      }
      List<String> out = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        int hash = line.indexOf('#');
        String s = (hash >= 0 ? line.substring(0, hash) : line).strip();
        if (!s.isEmpty()) {
          out.add(s);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
