package io.maestro.engine.sandbox;

import io.maestro.core.problem.MaestroException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A directory for one run's input files, created by {@link Sandbox#newWorkspace()} inside the
 * sandbox's state directory with permissions the sandbox user can read (directories 0755, files
 * 0644), and mounted read-only at {@code /workspace}. Closing it deletes it. Not thread-safe.
 */
public final class SandboxWorkspace implements AutoCloseable {
  private final Path root;

  SandboxWorkspace(Path root) {
    this.root = root;
  }

  /** The host directory to pass as {@link SandboxRequest#workspace()}. */
  public Path path() {
    return root;
  }

  /**
   * Writes one input file at a relative path (parents are created). Paths that would leave the
   * workspace ({@code ..}, absolute) are rejected.
   */
  public Path write(String relativePath, byte[] content) {
    Path target = root.resolve(relativePath).normalize();
    if (Path.of(relativePath).isAbsolute() || !target.startsWith(root) || target.equals(root)) {
      throw MaestroException.of(
          SandboxErrors.INVALID_REQUEST, "workspace paths must stay inside it: " + relativePath);
    }
    try {
      for (Path dir = target.getParent(); !dir.equals(root); dir = dir.getParent()) {
        if (!Files.isDirectory(dir)) {
          Files.createDirectories(dir);
        }
      }
      for (Path dir = target.getParent(); !dir.equals(root); dir = dir.getParent()) {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      Files.write(target, content);
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a UTF-8 text file. */
  public Path write(String relativePath, String content) {
    return write(relativePath, content.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    deleteTree(root);
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
