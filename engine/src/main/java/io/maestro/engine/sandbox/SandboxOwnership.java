package io.maestro.engine.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Marks a sandbox state directory as owned by this process, and removes directories whose owner is
 * gone.
 *
 * <p>The owner holds an exclusive lock on {@value #LOCK_FILE} inside its directory for as long as
 * the sandbox is open. The kernel releases that lock when the process dies, however it dies (a
 * {@code kill -9} included), so a directory whose lock can be taken belongs to nobody and is left
 * over. A directory without the lock file is never touched: it is either being set up by another
 * process right now or was made by a version that did not mark its directories, and either way its
 * owner cannot be told.
 */
final class SandboxOwnership implements AutoCloseable {
  /** The lock file inside each state directory. */
  static final String LOCK_FILE = "owner.lock";

  /** The prefix of every state directory under {@link SandboxConfig#stateDir()}. */
  static final String PREFIX = "maestro-sandbox-";

  private final FileChannel channel;

  private SandboxOwnership(FileChannel channel) {
    this.channel = channel;
  }

  /** Creates the lock file in {@code home} and holds its lock until {@link #close()}. */
  static SandboxOwnership claim(Path home) throws IOException {
    FileChannel channel =
        FileChannel.open(
            home.resolve(LOCK_FILE), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      if (channel.tryLock() == null) {
        throw new IOException("cannot lock " + home.resolve(LOCK_FILE));
      }
      return new SandboxOwnership(channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Deletes every {@value #PREFIX}* directory under {@code stateDir} whose owner is no longer alive
   * and returns the ones deleted. Best effort: a directory that cannot be removed is skipped.
   */
  static List<Path> removeStale(Path stateDir) {
    List<Path> removed = new ArrayList<>();
    if (!Files.isDirectory(stateDir)) {
      return removed;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(stateDir, PREFIX + "*")) {
      for (Path dir : dirs) {
        if (Files.isDirectory(dir) && ownerGone(dir)) {
          try {
            SandboxWorkspace.deleteTree(dir);
            removed.add(dir);
          } catch (UncheckedIOException e) {
            // Left for the next start; a leftover directory is harmless.
          }
        }
      }
    } catch (IOException e) {
      // An unreadable state directory fails the sandbox's own set-up with a clear message.
    }
    return removed;
  }

  private static boolean ownerGone(Path dir) {
    Path lockFile = dir.resolve(LOCK_FILE);
    if (!Files.isRegularFile(lockFile)) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock = ch.tryLock();
      if (lock == null) {
        return false; // another live process holds it
      }
      lock.release();
      return true;
    } catch (OverlappingFileLockException e) {
      return false; // a sandbox of this very process holds it
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    try {
      channel.close(); // releases the lock
    } catch (IOException e) {
      // Nothing left to do: the process's exit releases the lock all the same.
    }
  }
}
