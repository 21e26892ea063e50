package io.maestro.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.client.MaestroApiException;
import io.maestro.client.MaestroClient;
import io.maestro.core.config.MaestroConfig;
import io.maestro.server.startup.StartupChecks;
import io.maestro.server.startup.StartupFailure;
import io.maestro.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The checks of {@code maestro doctor}, each a function of the machine and the configuration. */
final class Checks {
  static final int MIN_JAVA = 21;
  private static final List<String> LIB_DIRS =
      List.of(
          "/lib",
          "/lib64",
          "/usr/lib",
          "/usr/lib64",
          "/lib/x86_64-linux-gnu",
          "/usr/lib/x86_64-linux-gnu",
          "/lib/aarch64-linux-gnu",
          "/usr/lib/aarch64-linux-gnu");

  private Checks() {}

  static Check java() {
    int feature = Runtime.version().feature();
    String detail =
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "") + ")";
    return feature >= MIN_JAVA
        ? Check.ok("java", detail)
        : Check.fail("java", detail, "install a JDK " + MIN_JAVA + " or newer and set JAVA_HOME");
  }

  /**
   * bubblewrap: {@code sandbox.bwrap} when configured, else looked up on {@code PATH}, as the
   * server does.
   */
  static Check bubblewrap(Optional<Path> configured, String path) {
    Optional<Path> bwrap =
        configured.isPresent()
            ? configured.filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
            : onPath(path, "bwrap");
    if (bwrap.isEmpty()) {
      if (configured.isPresent()) {
        return Check.warn(
            "bubblewrap",
            "bubblewrap not found at "
                + configured.get()
                + " (sandbox.bwrap): core/exec tasks are"
                + " unavailable",
            "apt-get install bubblewrap, or point sandbox.bwrap at it");
      }
      return Check.warn(
          "bubblewrap",
          "bwrap not found on PATH: core/exec tasks are unavailable",
          "apt-get install bubblewrap (Debian/Ubuntu) or dnf install bubblewrap, then restart the"
              + " server");
    }
    try {
      Process p =
          new ProcessBuilder(bwrap.get().toString(), "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return Check.warn(
            "bubblewrap",
            bwrap.get() + " --version failed: " + out,
            "reinstall bubblewrap (apt-get install --reinstall bubblewrap)");
      }
      return Check.ok("bubblewrap", out + " at " + bwrap.get());
    } catch (IOException e) {
      return Check.warn(
          "bubblewrap",
          "cannot run " + bwrap.get() + ": " + e.getMessage(),
          "check its permissions");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Check.warn("bubblewrap", "interrupted", "run maestro doctor again");
    }
  }

  /**
   * Seccomp: the kernel must filter system calls for this architecture (the sandbox's filter is
   * generated in Java for x86_64 and aarch64); libseccomp, when present, is reported as well.
   */
  static Check seccomp(Path procStatus, String arch) {
    String kernel;
    try {
      kernel =
          Files.readAllLines(procStatus).stream()
              .filter(l -> l.startsWith("Seccomp:"))
              .findFirst()
              .orElse("");
    } catch (IOException e) {
      kernel = "";
    }
    String lib = libseccomp().map(p -> "; " + p.getFileName() + " in " + p.getParent()).orElse("");
    if (kernel.isEmpty()) {
      return Check.warn(
          "seccomp",
          "the kernel does not report seccomp support" + lib,
          "core/exec needs Linux with CONFIG_SECCOMP_FILTER; run the server on such a kernel");
    }
    String a = arch.toLowerCase(Locale.ROOT);
    if (!List.of("amd64", "x86_64", "aarch64", "arm64").contains(a)) {
      return Check.warn(
          "seccomp",
          "no seccomp filter for architecture " + arch + lib,
          "run core/exec workloads on an x86_64 or aarch64 server");
    }
    return Check.ok("seccomp", "kernel filters system calls (" + a + ")" + lib);
  }

  static Optional<Path> libseccomp() {
    for (String dir : LIB_DIRS) {
      try (Stream<Path> files = Files.list(Path.of(dir))) {
        Optional<Path> found =
            files.filter(f -> f.getFileName().toString().startsWith("libseccomp.so")).findFirst();
        if (found.isPresent()) {
          return found;
        }
      } catch (IOException | SecurityException e) {
        // not this directory
      }
    }
    return Optional.empty();
  }

  static Check dataDir(Path dataDir) {
    Path dir = dataDir.toAbsolutePath();
    if (!Files.exists(dir)) {
      // Look, do not touch: the server creates it at start if its nearest parent is writable.
      Path parent = dir.getParent();
      while (parent != null && !Files.exists(parent)) {
        parent = parent.getParent();
      }
      return parent != null && Files.isDirectory(parent) && Files.isWritable(parent)
          ? Check.ok("data dir", dir + " does not exist yet; the server will create it")
          : Check.fail(
              "data dir",
              dir + " cannot be created (" + parent + " is not a writable directory)",
              "create it with the server's user as owner, or use --data-dir");
    }
    String problem = StartupChecks.dataDirProblem(dataDir);
    return problem == null
        ? Check.ok("data dir", dataDir.toAbsolutePath() + " is writable")
        : Check.fail(
            "data dir",
            dataDir.toAbsolutePath() + " " + problem,
            "fix its permissions (the server's user must read and write it) or use --data-dir");
  }

  /** The port: free, or already served by a Maestro server (then that one answers). */
  static Check port(MaestroConfig.Server server) {
    String where = server.host() + ":" + server.port();
    if (server.port() == 0) {
      return Check.ok("port", "0: a free port is picked at start");
    }
    try {
      StartupChecks.portFree(server);
      return Check.ok("port", where + " is free");
    } catch (StartupFailure busy) {
      if (maestroAnswers(server)) {
        return Check.ok("port", where + " is served by a running Maestro server");
      }
      return Check.fail(
          "port",
          where + " is in use by another program",
          "stop it, or start the server with --port N (or MAESTRO_SERVER_PORT)");
    }
  }

  /**
   * Whether a Maestro server answers on the port: its public OpenAPI document, read through the
   * Java client as every other command reads the API, names Maestro. A program on the port that
   * does not answer within three seconds is not one.
   */
  private static boolean maestroAnswers(MaestroConfig.Server server) {
    try {
      JsonNode doc =
          MaestroClient.anonymous("http://" + server.host() + ":" + server.port())
              .openApi(Duration.ofSeconds(3));
      return doc.path("info").path("title").asText().contains("Maestro");
    } catch (UncheckedIOException
        | MaestroApiException
        | MaestroClient.ClientInterruptedException e) {
      // Unreachable, not JSON, an error status, or interrupted (the client keeps the flag set).
      return false;
    }
  }

  /** The database: the embedded one needs only the data directory; PostgreSQL must answer. */
  static Check database(MaestroConfig.Database db, Path dataDir) {
    if (db.url().isEmpty()) {
      return Check.ok(
          "database",
          "embedded H2 under " + dataDir.resolve("db").toAbsolutePath() + " (nothing to install)");
    }
    String shown = Database.displayUrl(db.url());
    Properties props = new Properties();
    String user =
        db.user().isEmpty() && !db.url().matches("(?i).*[?&]user=.*")
            ? Database.DEFAULT_POSTGRES_USER
            : db.user();
    if (!user.isEmpty()) {
      props.setProperty("user", user);
    }
    if (!db.password().isEmpty()) {
      props.setProperty("password", db.password());
    }
    props.setProperty("connectTimeout", "5");
    props.setProperty("loginTimeout", "5");
    try (Connection c = DriverManager.getConnection(db.url(), props)) {
      String version = c.getMetaData().getDatabaseProductVersion();
      return Check.ok("database", shown + " answers (PostgreSQL " + version + ")");
    } catch (SQLException e) {
      return Check.fail(
          "database",
          "cannot connect to " + shown + ": " + StartupChecks.reason(e),
          "start PostgreSQL, or fix --db-url / MAESTRO_DB_USER / MAESTRO_DB_PASSWORD; without"
              + " --db-url the server uses its embedded database");
    }
  }

  static Optional<Path> onPath(String path, String name) {
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
