package io.maestro.engine.sandbox;

import io.maestro.core.problem.MaestroException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs commands in a bubblewrap sandbox. See the package documentation for what is isolated and
 * what is not.
 *
 * <p>Create one per server with {@link #create}: it checks that the sandbox really works on this
 * machine and fails with {@code sandbox_unavailable} otherwise (there is no unsandboxed fallback).
 * It is thread-safe; each {@link #run} blocks its calling thread (a virtual thread is fine) until
 * the command's whole process tree is gone.
 */
public final class Sandbox implements AutoCloseable {
  /** Longest line handed to {@link SandboxOutput}; longer lines arrive in pieces of this size. */
  public static final int MAX_LINE_BYTES = 16 * 1024;

  private static final Pattern EXIT_CODE = Pattern.compile("\"exit-code\"\\s*:\\s*(-?\\d+)");
  private static final Pattern CHILD_PID = Pattern.compile("\"child-pid\"\\s*:\\s*(\\d+)");
  private static final Duration PUMP_DRAIN = Duration.ofSeconds(5);
  private static final long NAMESPACE_END_MILLIS = 10_000;

  private final SandboxConfig config;
  private final String version;
  private final String diagnostics;
  private final Path home;
  private final Path seccomp;
  private final Path runs;
  private final Path workspaces;
  private final Path emptyWorkspace;
  private final BwrapCommand command;
  private final SandboxOwnership ownership;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Sandbox(
      SandboxConfig config,
      String version,
      String diagnostics,
      Path home,
      Path seccomp,
      Path runs,
      Path workspaces,
      Path emptyWorkspace,
      BwrapCommand command,
      SandboxOwnership ownership) {
    this.config = config;
    this.version = version;
    this.diagnostics = diagnostics;
    this.home = home;
    this.seccomp = seccomp;
    this.runs = runs;
    this.workspaces = workspaces;
    this.emptyWorkspace = emptyWorkspace;
    this.command = command;
    this.ownership = ownership;
  }

  /**
   * Finds the tools, writes the seccomp program and {@code /etc} files into a fresh directory under
   * {@link SandboxConfig#stateDir()}, and runs {@code /bin/true} in a sandbox to prove it works.
   * First it removes the state directories that processes no longer alive left behind (a server
   * killed with {@code kill -9} cannot clean up after itself; see {@link SandboxOwnership}).
   *
   * @throws MaestroException {@code sandbox_unavailable} when any of that fails
   */
  public static Sandbox create(SandboxConfig config) {
    Path bwrap = config.bwrap().orElseGet(() -> onPath("bwrap"));
    requireExecutable(
        bwrap,
        config.bwrap().isPresent()
            ? "bubblewrap not found at "
                + bwrap
                + " (sandbox.bwrap) — apt-get install bubblewrap"
                + " or point sandbox.bwrap at it"
            : "bubblewrap not found — apt-get install bubblewrap");
    requireExecutable(
        config.bash(), "bash not found at " + config.bash() + " — apt-get install bash");
    requireExecutable(
        config.prlimit(),
        "prlimit not found at " + config.prlimit() + " — apt-get install util-linux");
    String osArch = System.getProperty("os.arch");
    SyscallTable.Arch arch =
        SyscallTable.Arch.of(osArch)
            .orElseThrow(
                () ->
                    unavailable(
                        "no seccomp syscall table for architecture "
                            + osArch
                            + " — core/exec runs on x86_64 and aarch64 only",
                        null));
    SeccompFilter filter;
    try {
      filter = SeccompFilter.withExtra(config.extraSyscalls());
    } catch (IllegalArgumentException e) {
      throw unavailable("sandbox.seccomp.allow: " + e.getMessage() + " — fix the configuration", e);
    }
    String version = version(bwrap);
    AppArmor appArmor = AppArmor.detect(config.appArmorProfile(), Path.of("/sys"));
    Path home = null;
    SandboxOwnership ownership = null;
    try {
      BwrapCommand.Identity identity = BwrapCommand.Identity.of(config);
      if (identity.root()) {
        requireExecutable(
            config.setpriv(),
            "setpriv not found at " + config.setpriv() + " — apt-get install util-linux");
      }
      Files.createDirectories(config.stateDir());
      SandboxOwnership.removeStale(config.stateDir());
      home = Files.createTempDirectory(config.stateDir(), SandboxOwnership.PREFIX);
      ownership = SandboxOwnership.claim(home);
      // Bubblewrap runs as the sandbox user and must reach the /etc files and workspaces.
      Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx--x--x"));
      Path etc = directory(home.resolve("etc"), "rwxr-xr-x");
      Path runs = directory(home.resolve("runs"), "rwx------");
      Path workspaces = directory(home.resolve("workspaces"), "rwx--x--x");
      Path empty = directory(home.resolve("empty"), "rwxr-xr-x");
      Path seccomp = home.resolve("seccomp.bpf");
      Files.write(seccomp, filter.program(arch));
      Files.setPosixFilePermissions(seccomp, PosixFilePermissions.fromString("rw-------"));
      BwrapCommand command = BwrapCommand.prepare(config, bwrap, identity, etc, appArmor.profile());
      for (String name : BwrapCommand.GENERATED_ETC) {
        Files.setPosixFilePermissions(
            etc.resolve(name), PosixFilePermissions.fromString("rw-r--r--"));
      }
      String diagnostics =
          version
              + ", seccomp allowlist of "
              + filter.allowed().size()
              + " syscalls ("
              + arch.displayName()
              + (config.extraSyscalls().isEmpty()
                  ? ""
                  : ", " + config.extraSyscalls().size() + " from sandbox.seccomp.allow")
              + "), "
              + appArmor.status();
      Sandbox sandbox =
          new Sandbox(
              config,
              version,
              diagnostics,
              home,
              seccomp,
              runs,
              workspaces,
              empty,
              command,
              ownership);
      sandbox.selfTest();
      return sandbox;
    } catch (IOException | UncheckedIOException e) {
      release(home, ownership);
      throw unavailable(
          "cannot prepare the sandbox state directory: "
              + e.getMessage()
              + " — check "
              + config.stateDir(),
          e);
    } catch (MaestroException e) {
      release(home, ownership);
      throw e;
    }
  }

  /** The bubblewrap version in use, e.g. {@code bubblewrap 0.8.0}. */
  public String bwrapVersion() {
    return version;
  }

  /**
   * One line on how commands are isolated here, for the start-up diagnostics: the bubblewrap
   * version, the seccomp allowlist and whether AppArmor is used (and if not, why).
   */
  public String diagnostics() {
    return diagnostics;
  }

  /** A fresh, empty workspace the sandbox user can read. */
  public SandboxWorkspace newWorkspace() {
    ensureOpen();
    try {
      Path dir = Files.createTempDirectory(workspaces, "ws-");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      return new SandboxWorkspace(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs one command and waits until its whole process tree is gone.
   *
   * <p>An interrupt of the calling thread kills the tree, returns {@link
   * SandboxResult.Reason#CANCELLED} and leaves the thread's interrupt flag set.
   *
   * @throws MaestroException {@code sandbox_invalid_request} for a missing workspace, {@code
   *     sandbox_setup_failed} when bubblewrap could not build the sandbox (the command never ran)
   * @throws RuntimeException whatever the output consumer threw, after the tree is gone
   */
  public SandboxResult run(SandboxRequest request) {
    ensureOpen();
    Path workspace = request.workspace().orElse(emptyWorkspace).toAbsolutePath().normalize();
    if (!Files.isDirectory(workspace)) {
      throw MaestroException.of(
          SandboxErrors.INVALID_REQUEST, "the workspace is not a directory: " + workspace);
    }
    Path status = null;
    Path env = null;
    try {
      // Both files are private to the server (runs/ is 0700); bash opens them before any drop.
      status = Files.createTempFile(runs, "run-", ".json");
      env = Files.createTempFile(runs, "run-", ".env");
      Files.write(env, BwrapCommand.envArgs(request.env()));
      return execute(request, workspace, status, env);
    } catch (IOException e) {
      throw setupFailed("cannot write the run's files: " + e.getMessage(), e);
    } finally {
      deleteQuietly(status);
      deleteQuietly(env);
    }
  }

  private SandboxResult execute(SandboxRequest request, Path workspace, Path status, Path env) {
    SandboxLimits limits = request.limits();
    ProcessBuilder builder =
        new ProcessBuilder(command.argv(request, workspace, seccomp, status, env))
            .directory(runs.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    // Nothing of the server's environment reaches even the launcher; bubblewrap sets the command's.
    builder.environment().clear();
    long started = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw setupFailed("cannot start bubblewrap: " + e.getMessage(), e);
    }
    OutputPump.Budget budget = new OutputPump.Budget(limits.outputBytes(), request.output());
    Thread stdout =
        Thread.ofVirtual()
            .name("sandbox-stdout-" + process.pid())
            .start(new OutputPump(process.getInputStream(), SandboxOutput.Channel.STDOUT, budget));
    Thread stderr =
        Thread.ofVirtual()
            .name("sandbox-stderr-" + process.pid())
            .start(new OutputPump(process.getErrorStream(), SandboxOutput.Channel.STDERR, budget));

    Watch watch = watch(process, new ProcessTree(process.toHandle()), limits, started);
    String statusJson = readQuietly(status);
    Matcher child = CHILD_PID.matcher(statusJson);
    boolean sandboxStarted = child.find();
    if (sandboxStarted) {
      ProcessTree.awaitNamespaceEnd(Long.parseLong(child.group(1)), NAMESPACE_END_MILLIS);
    }
    Duration wallTime = Duration.ofNanos(System.nanoTime() - started);
    boolean drained = join(stdout) && join(stderr);
    if (!drained) {
      // Only a process outside the tree could still hold the pipes; stop reading them.
      stdout.interrupt();
      stderr.interrupt();
    }
    Matcher exit = EXIT_CODE.matcher(statusJson);
    int exitCode = exit.find() ? Integer.parseInt(exit.group(1)) : process.exitValue();
    if (watch.interrupted()) {
      Thread.currentThread().interrupt();
    }
    // Bubblewrap reports its child before the child builds the mounts, so a failure there (e.g. an
    // unreachable workspace) shows only as status 1 with bubblewrap's own message as sole output.
    boolean setupFailed = !sandboxStarted || (exitCode == 1 && budget.onlyBwrapError());
    if (setupFailed && watch.killed() == null) {
      List<String> errors = budget.lastErrors();
      String why = errors.isEmpty() ? "" : ": " + String.join(" / ", errors);
      throw setupFailed(
          "bubblewrap could not build the sandbox (exit " + exitCode + ")" + why, null);
    }
    RuntimeException sinkFailure = budget.sinkFailure();
    if (sinkFailure != null) {
      throw sinkFailure;
    }
    OptionalInt signal =
        exitCode > 128 && exitCode <= 128 + 64
            ? OptionalInt.of(exitCode - 128)
            : OptionalInt.empty();
    SandboxResult.Reason reason = watch.killed() != null ? watch.killed() : classify(signal);
    return new SandboxResult(
        reason,
        exitCode,
        signal,
        wallTime,
        watch.peakMemory(),
        budget.delivered(),
        budget.dropped(),
        budget.truncated());
  }

  private static SandboxResult.Reason classify(OptionalInt signal) {
    if (signal.isEmpty()) {
      return SandboxResult.Reason.EXITED;
    }
    return switch (signal.getAsInt()) {
      case Signals.SIGXCPU -> SandboxResult.Reason.CPU_LIMIT;
      case Signals.SIGXFSZ -> SandboxResult.Reason.FILE_SIZE_LIMIT;
      default -> SandboxResult.Reason.SIGNALED;
    };
  }

  /** What the watchdog saw: why it killed the tree (null if it did not) and the memory peak. */
  private record Watch(SandboxResult.Reason killed, long peakMemory, boolean interrupted) {}

  /**
   * Waits for the process, checking the wall clock and sampling memory every {@link
   * SandboxConfig#memorySampleInterval()}; kills the whole tree when a limit is passed or the
   * thread is interrupted, and returns only once the monitor process has ended.
   */
  private Watch watch(Process process, ProcessTree tree, SandboxLimits limits, long started) {
    long deadline = started + limits.timeout().toNanos();
    long interval = config.memorySampleInterval().toNanos();
    long peak = 0;
    SandboxResult.Reason killed = null;
    boolean interrupted = false;
    try {
      while (true) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          killed = SandboxResult.Reason.TIMEOUT;
          break;
        }
        if (process.waitFor(Math.min(interval, remaining), TimeUnit.NANOSECONDS)) {
          break;
        }
        long memory = tree.memoryBytes();
        peak = Math.max(peak, memory);
        if (memory > limits.memoryBytes()) {
          killed = SandboxResult.Reason.MEMORY_LIMIT;
          break;
        }
      }
    } catch (InterruptedException e) {
      killed = SandboxResult.Reason.CANCELLED;
      interrupted = true;
    }
    if (killed != null) {
      tree.kill();
      // Uninterruptible on purpose: returning while the tree is alive would break the promise that
      // run() ends only when nothing of the command is left.
      while (true) {
        try {
          process.waitFor();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
          tree.kill();
        }
      }
    }
    return new Watch(killed, peak, interrupted);
  }

  private static boolean join(Thread pump) {
    try {
      return pump.join(PUMP_DRAIN);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs {@code /bin/true} once; any failure means the machine cannot sandbox. */
  private void selfTest() {
    SandboxResult result;
    try {
      result =
          run(
              SandboxRequest.of(List.of("/bin/true"))
                  .withLimits(SandboxLimits.defaults().withTimeout(Duration.ofSeconds(30))));
    } catch (MaestroException e) {
      throw unavailable(
          "the sandbox self-test failed: " + e.detail() + " — see docs/sandbox.md", e);
    }
    if (!result.succeeded()) {
      throw unavailable(
          "the sandbox self-test failed: " + result.describe() + " — see docs/sandbox.md", null);
    }
  }

  private static String version(Path bwrap) {
    try {
      Process p =
          new ProcessBuilder(bwrap.toString(), "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw unavailable(
            "`" + bwrap + " --version` failed: " + out + " — reinstall bubblewrap", null);
      }
      return out;
    } catch (IOException e) {
      throw unavailable(
          "cannot run " + bwrap + ": " + e.getMessage() + " — apt-get install bubblewrap", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted while probing " + bwrap, e);
    }
  }

  private static Path onPath(String name) {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    return Path.of(name);
  }

  private static void requireExecutable(Path file, String message) {
    if (!file.isAbsolute() || !Files.isRegularFile(file) || !Files.isExecutable(file)) {
      throw unavailable(message, null);
    }
  }

  private static Path directory(Path dir, String permissions) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(permissions));
    return dir;
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  private static void release(Path home, SandboxOwnership ownership) {
    deleteQuietly(home);
    if (ownership != null) {
      ownership.close();
    }
  }

  private static void deleteQuietly(Path path) {
    if (path == null) {
      return;
    }
    try {
      SandboxWorkspace.deleteTree(path);
    } catch (UncheckedIOException e) {
      // Best effort: a leftover file in the state directory is harmless.
    }
  }

  private static MaestroException unavailable(String detail, Throwable cause) {
    return new MaestroException(SandboxErrors.UNAVAILABLE, detail, Map.of(), false, cause);
  }

  private static MaestroException setupFailed(String detail, Throwable cause) {
    return new MaestroException(SandboxErrors.SETUP_FAILED, detail, Map.of(), false, cause);
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the sandbox is closed");
    }
  }

  /**
   * Deletes the state directory (seccomp program, /etc files, remaining workspaces). Call it once
   * no run is in flight: a run started afterwards fails, one still running may fail to clean up.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      release(home, ownership);
    }
  }
}
