package io.maestro.engine.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the sandbox is set up on this machine (operator configuration, not per request).
 *
 * @param bwrap the bubblewrap executable; empty means {@code bwrap} on the server's {@code PATH}
 * @param bash a bash used only to open the seccomp program and the status file on descriptors 10
 *     and 11 for bubblewrap (Java cannot pass other descriptors; dash cannot redirect above 9)
 * @param prlimit {@code prlimit} from util-linux; it runs inside the sandbox to set the rlimits, so
 *     it must live under {@code /usr}
 * @param setpriv {@code setpriv} from util-linux, used to drop from root to {@code sandboxUid}
 * @param sandboxUid the host user the sandbox runs as when the server runs as root. Running as root
 *     would exempt the command from the process limit and give it root's file access on everything
 *     it can see; a user no other service uses is best. Ignored when the server is not root (the
 *     sandbox then runs as the server's user, without any capability).
 * @param sandboxGid the host group, likewise
 * @param readOnlyPaths further host paths bound read-only at the same place (e.g. {@code
 *     /opt/toolchain}); missing ones are skipped
 * @param stateDir where the sandbox keeps its seccomp program, generated {@code /etc} files,
 *     workspaces and status files; it must be traversable by {@code sandboxUid}
 * @param memorySampleInterval how often the tree's memory is sampled (and the timeout checked)
 */
public record SandboxConfig(
    Optional<Path> bwrap,
    Path bash,
    Path prlimit,
    Path setpriv,
    int sandboxUid,
    int sandboxGid,
    List<Path> readOnlyPaths,
    Path stateDir,
    Duration memorySampleInterval) {

  public SandboxConfig {
    Objects.requireNonNull(bwrap, "bwrap");
    Objects.requireNonNull(bash, "bash");
    Objects.requireNonNull(prlimit, "prlimit");
    Objects.requireNonNull(setpriv, "setpriv");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(memorySampleInterval, "memorySampleInterval");
    if (sandboxUid <= 0 || sandboxGid <= 0) {
      throw new IllegalArgumentException("the sandbox user and group must not be root");
    }
    if (!prlimit.isAbsolute() || !prlimit.startsWith("/usr")) {
      throw new IllegalArgumentException("prlimit must be an absolute path under /usr: " + prlimit);
    }
    if (memorySampleInterval.isNegative() || memorySampleInterval.isZero()) {
      throw new IllegalArgumentException("memorySampleInterval must be positive");
    }
    readOnlyPaths = List.copyOf(readOnlyPaths);
  }

  /** {@code bwrap} from {@code PATH}, Debian's paths, user and group 65534, the JVM's temp dir. */
  public static SandboxConfig defaults() {
    return new SandboxConfig(
        Optional.empty(),
        Path.of("/bin/bash"),
        Path.of("/usr/bin/prlimit"),
        Path.of("/usr/bin/setpriv"),
        65534,
        65534,
        List.of(),
        Path.of(System.getProperty("java.io.tmpdir")),
        Duration.ofMillis(100));
  }

  public SandboxConfig withBwrap(Path value) {
    return new SandboxConfig(
        Optional.of(value),
        bash,
        prlimit,
        setpriv,
        sandboxUid,
        sandboxGid,
        readOnlyPaths,
        stateDir,
        memorySampleInterval);
  }

  public SandboxConfig withStateDir(Path value) {
    return new SandboxConfig(
        bwrap,
        bash,
        prlimit,
        setpriv,
        sandboxUid,
        sandboxGid,
        readOnlyPaths,
        value,
        memorySampleInterval);
  }

  public SandboxConfig withReadOnlyPaths(List<Path> value) {
    return new SandboxConfig(
        bwrap,
        bash,
        prlimit,
        setpriv,
        sandboxUid,
        sandboxGid,
        value,
        stateDir,
        memorySampleInterval);
  }
}
