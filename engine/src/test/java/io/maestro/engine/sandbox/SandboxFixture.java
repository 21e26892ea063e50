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

/** Starts the real sandbox for tests; skips them where bubblewrap is missing, except under CI. */
final class SandboxFixture {
  private SandboxFixture() {}

  static boolean ci() {
    return "true".equals(System.getenv("CI"));
  }

  static Sandbox start() {
    return start(SandboxConfig.defaults());
  }

  static Sandbox start(SandboxConfig config) {
    try {
      return Sandbox.create(config);
    } catch (MaestroException e) {
      if (ci()) {
        throw e;
      }
      Assumptions.abort("the bubblewrap sandbox is unavailable here: " + e.detail());
      throw e;
    }
  }

  /** Compiles a C program into the workspace with gcc; skips (or fails under CI) without gcc. */
  static void compileC(SandboxWorkspace ws, String name, String source)
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
