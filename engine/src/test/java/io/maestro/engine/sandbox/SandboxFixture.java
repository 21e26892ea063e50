package io.maestro.engine.sandbox;

import io.maestro.core.problem.MaestroException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the real sandbox for tests. Where it cannot run (no bubblewrap), the tests that need it
 * are skipped with one line on stderr saying why — and fail instead under {@code CI=true}, where a
 * skipped sandbox test would hide a broken sandbox. {@code MAESTRO_SANDBOX_BWRAP} points the tests
 * at another bubblewrap, as it does the server (a path that does not exist shows the skip).
 */
public final class SandboxFixture {
  private SandboxFixture() {}

  public static boolean ci() {
    return "true".equals(System.getenv("CI"));
  }

  /** The default configuration, with {@code MAESTRO_SANDBOX_BWRAP} applied when set. */
  public static SandboxConfig config() {
    String bwrap = System.getenv("MAESTRO_SANDBOX_BWRAP");
    return bwrap == null || bwrap.isBlank()
        ? SandboxConfig.defaults()
        : SandboxConfig.defaults().withBwrap(Path.of(bwrap));
  }

  /**
   * A started sandbox, or the calling test is skipped (outside CI) or fails (in CI). Call it from a
   * test or {@code @BeforeEach}; from {@code @BeforeAll} use {@link #startOrNull} so that the class
   * reports its tests as skipped rather than "Tests run: 0".
   */
  public static Sandbox start() {
    Sandbox sandbox = startOrNull();
    require(sandbox);
    return sandbox;
  }

  /** A started sandbox, or null outside CI when it cannot run here (fails under CI). */
  public static Sandbox startOrNull() {
    return startOrNull(config());
  }

  /** A sandbox started with {@code config}; skipped or failed like {@link #start()}. */
  public static Sandbox start(SandboxConfig config) {
    Sandbox sandbox = startOrNull(config);
    require(sandbox);
    return sandbox;
  }

  private static Sandbox startOrNull(SandboxConfig config) {
    try {
      return Sandbox.create(config);
    } catch (MaestroException e) {
      unavailable(e.detail());
      return null;
    }
  }

  /** Skips the calling test when {@code sandbox} is null (see {@link #startOrNull}). */
  public static void require(Sandbox sandbox) {
    if (sandbox == null) {
      Assumptions.abort(SKIP_PREFIX + (why == null ? "unavailable" : why));
    }
  }

  private static final String SKIP_PREFIX = "core/exec sandbox tests need bubblewrap: ";

  /** Why the sandbox is unavailable in this test JVM; the skip line is printed once. */
  private static volatile String why;

  private static synchronized void unavailable(String reason) {
    if (ci()) {
      throw new AssertionError("CI=true but the sandbox is unavailable: " + reason);
    }
    if (why == null) {
      System.err.println("SKIPPED: " + SKIP_PREFIX + reason);
    }
    why = reason;
  }

  /**
   * One sandbox per test class: {@code @RegisterExtension static final SandboxFixture.PerClass
   * SANDBOX = new SandboxFixture.PerClass();}. Each test is skipped (outside CI) when the sandbox
   * cannot run here, so the class reports its tests as skipped rather than "Tests run: 0".
   */
  public static final class PerClass
      implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private Sandbox sandbox;

    @Override
    public void beforeAll(ExtensionContext context) {
      sandbox = startOrNull();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
      require(sandbox);
    }

    @Override
    public void afterAll(ExtensionContext context) {
      if (sandbox != null) {
        sandbox.close();
      }
    }

    public Sandbox get() {
      return sandbox;
    }
  }

  /** Compiles a C program into the workspace with gcc; skips (or fails under CI) without gcc. */
  public static void compileC(SandboxWorkspace ws, String name, String source)
      throws IOException, InterruptedException {
    Path c = ws.write(name + ".c", source);
    Path binary = ws.path().resolve(name);
    Path log = ws.path().resolve(name + ".log");
    int exit;
    try {
      Process p =
          new ProcessBuilder("gcc", "-O1", "-o", binary.toString(), c.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      exit = p.waitFor(120, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (IOException e) {
      exit = -1;
    }
    if (exit != 0 && !ci()) {
      Assumptions.abort("gcc is unavailable here");
    }
    if (exit != 0) {
      throw new IOException("gcc failed: " + (Files.exists(log) ? Files.readString(log) : ""));
    }
    Files.setPosixFilePermissions(
        binary, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** Collects every delivered line, in order, with its channel. */
  static final class Lines implements SandboxOutput {
    private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
    private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
    volatile long truncatedAt = -1;

    @Override
    public void line(Channel channel, String line) {
      (channel == Channel.STDOUT ? stdout : stderr).add(line);
    }

    @Override
    public void truncated(long capBytes) {
      truncatedAt = capBytes;
    }

    List<String> stdout() {
      return List.copyOf(stdout);
    }

    List<String> stderr() {
      return List.copyOf(stderr);
    }

    String all() {
      return String.join("\n", stdout()) + "\n" + String.join("\n", stderr());
    }
  }
}
