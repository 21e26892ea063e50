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
 * @param extraSyscalls syscall names allowed beyond the shipped seccomp allowlist (never one the
 *     filter always refuses)
 * @param appArmorProfile the AppArmor profile sandboxes run under where the kernel has AppArmor and
 *     the profile is loaded; empty: never
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
    Duration memorySampleInterval,
    List<String> extraSyscalls,
    Optional<String> appArmorProfile) {

  /** The AppArmor profile used by default where AppArmor is enabled and the profile is loaded. */
  public static final String DEFAULT_APPARMOR_PROFILE = "maestro-sandbox";

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
    extraSyscalls = List.copyOf(extraSyscalls);
    Objects.requireNonNull(appArmorProfile, "appArmorProfile");
  }

  /**
   * {@code bwrap} from {@code PATH}, Debian's paths, user and group 65534, the JVM's temp dir, the
   * shipped seccomp allowlist, AppArmor profile {@code maestro-sandbox} where it is loaded.
   */
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
        Duration.ofMillis(100),
        List.of(),
        Optional.of(DEFAULT_APPARMOR_PROFILE));
  }

  public SandboxConfig withBwrap(Path value) {
    return with(value, stateDir, readOnlyPaths, extraSyscalls, appArmorProfile);
  }

  public SandboxConfig withStateDir(Path value) {
    return with(bwrap.orElse(null), value, readOnlyPaths, extraSyscalls, appArmorProfile);
  }

  public SandboxConfig withReadOnlyPaths(List<Path> value) {
    return with(bwrap.orElse(null), stateDir, value, extraSyscalls, appArmorProfile);
  }

  /** Syscalls allowed beyond the shipped allowlist (the {@code sandbox.seccomp.allow} key). */
  public SandboxConfig withExtraSyscalls(List<String> value) {
    return with(bwrap.orElse(null), stateDir, readOnlyPaths, value, appArmorProfile);
  }

  /** The AppArmor profile to use where loaded; empty: never use AppArmor. */
  public SandboxConfig withAppArmorProfile(Optional<String> value) {
    return with(bwrap.orElse(null), stateDir, readOnlyPaths, extraSyscalls, value);
  }

  private SandboxConfig with(
      Path bwrapValue,
      Path stateDirValue,
      List<Path> readOnly,
      List<String> syscalls,
      Optional<String> profile) {
    return new SandboxConfig(
        Optional.ofNullable(bwrapValue),
        bash,
        prlimit,
        setpriv,
        sandboxUid,
        sandboxGid,
        readOnly,
        stateDirValue,
        memorySampleInterval,
        syscalls,
        profile);
  }
}
