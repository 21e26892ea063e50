package io.maestro.server.startup;

import io.maestro.core.config.MaestroConfig;
import io.maestro.store.Database;
import io.maestro.store.Migrations;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code maestro server} checks before it does anything lasting, so each problem an operator
 * can fix ends start-up with one line instead of a half-started server: the port, the data
 * directory, the database connection and the schema version.
 */
public final class StartupChecks {
  private StartupChecks() {}

  /**
   * Fails when another process listens on the configured port. Probing first (rather than reading
   * the web server's bind failure) keeps the web server from logging a stack trace, and happens
   * before the database is touched.
   */
  public static void portFree(MaestroConfig.Server server) {
    if (server.port() == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(server.host(), server.port()));
    } catch (IOException e) {
      throw new StartupFailure("port " + server.port() + " is in use; use --port", e);
    }
  }

  /** Fails unless the data directory exists (or can be created) and is readable and writable. */
  public static void dataDirUsable(Path dataDir) {
    String problem = dataDirProblem(dataDir);
    if (problem != null) {
      throw new StartupFailure(
          "data directory " + dataDir.toAbsolutePath() + " " + problem + "; use --data-dir");
    }
  }

  /**
   * Why the data directory cannot be used, or null when it can: it is created if missing, then a
   * file is written and removed in it.
   */
  public static String dataDirProblem(Path dataDir) {
    try {
      if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
        return "is not a directory";
      }
      Files.createDirectories(dataDir);
      if (!Files.isReadable(dataDir)) {
        return "is not readable";
      }
      Path probe = Files.createTempFile(dataDir, ".maestro-probe", ".tmp");
      Files.delete(probe);
      return null;
    } catch (IOException | SecurityException e) {
      return "cannot be used (" + reason(e) + ")";
    }
  }

  /** Opens the database, turning a failure into one line with the URL (its password removed). */
  public static Database connect(String displayUrl, java.util.function.Supplier<Database> open) {
    try {
      return open.get();
    } catch (RuntimeException e) {
      throw new StartupFailure(
          "cannot connect to the database " + displayUrl + ": " + reason(e), e);
    }
  }

  /** Fails when the database holds migrations this binary does not know: a newer release's. */
  public static void schemaNotNewer(Database database) {
    List<String> newer = Migrations.status(database).newer();
    if (!newer.isEmpty()) {
      throw new StartupFailure(
          "the database schema (version "
              + newer.getLast()
              + ") is newer than this maestro binary; run a release that knows it");
    }
  }

  /** The innermost cause's first line: what actually went wrong. */
  public static String reason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    if (t instanceof java.nio.file.AccessDeniedException) {
      msg = "permission denied: " + msg;
    } else if (t instanceof java.nio.file.FileAlreadyExistsException) {
      msg = "a file is in the way: " + msg;
    }
    return msg.lines().findFirst().orElse(msg);
  }
}
