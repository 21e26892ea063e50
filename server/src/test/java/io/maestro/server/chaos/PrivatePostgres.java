package io.maestro.server.chaos;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL server of the test's own ({@code initdb} and {@code pg_ctl} from the machine's
 * PostgreSQL binaries, a fresh data directory, a free port on loopback) that the test may restart
 * for real without disturbing anyone else's database. When the process runs as root, PostgreSQL
 * runs as the {@code postgres} operating-system user ({@code runuser}), since it refuses to run as
 * root. Without the binaries, the test is skipped with one line, and fails under {@code CI=true}.
 */
final class PrivatePostgres implements AutoCloseable {
  private final Path bin;
  private final Path dir;
  private final Path data;
  private final int port;
  private final boolean root;

  private PrivatePostgres(Path bin, Path dir, int port, boolean root) {
    this.bin = bin;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.port = port;
    this.root = root;
  }

  /**
   * The directory holding {@code initdb} and {@code pg_ctl}: {@code MAESTRO_TEST_PG_BIN}, else the
   * newest under /usr/lib/postgresql.
   */
  static Optional<Path> binaries() {
    String env = System.getenv("MAESTRO_TEST_PG_BIN");
    if (env != null && !env.isBlank()) {
      return Optional.of(Path.of(env)).filter(PrivatePostgres::complete);
    }
    Path base = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(base)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(base)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(PrivatePostgres::complete)
          .max(Comparator.comparingInt(PrivatePostgres::major));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean complete(Path b) {
    return Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl"));
  }

  private static int major(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Starts one, or skips the calling test (fails it under {@code CI=true}) without binaries. */
  static PrivatePostgres startOrSkip() throws IOException {
    Optional<Path> bin = binaries();
    boolean root = "root".equals(System.getProperty("user.name"));
    String missing =
        bin.isEmpty()
            ? "PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql"
                + " or $MAESTRO_TEST_PG_BIN"
            : root
                    && !Files.isExecutable(Path.of("/usr/sbin/runuser"))
                    && !Files.isExecutable(Path.of("/sbin/runuser"))
                ? "running as root without runuser to start PostgreSQL as another user"
                : "";
    if (!missing.isEmpty()) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("CI=true but " + missing);
      }
      Assumptions.abort(missing + ": the db-restart drill is SKIPPED (it runs in CI)");
    }
    Path dir = Files.createTempDirectory("maestro-pg-");
    PrivatePostgres pg = new PrivatePostgres(bin.get(), dir, freePort(), root);
    try {
      pg.init();
      pg.ctl("start");
    } catch (IOException | RuntimeException e) {
      pg.close();
      throw e;
    }
    return pg;
  }

  private void init() throws IOException {
    if (root) {
      UserPrincipal postgres =
          dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      Files.setOwner(dir, postgres);
    }
    run(
        List.of(
            bin.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync"));
    // fsync off: the machine is shared and the restart under test is PostgreSQL's own fast
    // shutdown and start, not a power cut; what the server meets is the same.
    Files.writeString(
        data.resolve("postgresql.auto.conf"),
        """
        port = %d
        listen_addresses = '127.0.0.1'
        unix_socket_directories = '%s'
        fsync = off
        max_connections = 60
        shared_buffers = 32MB
        """
            .formatted(port, dir),
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
  }

  String url() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  /** The shell command that restarts this server ({@code pg_ctl restart -m fast}), as its owner. */
  String restartCommand() {
    return String.join(
        " ", owner(ctlArgs("restart")).stream().map(PrivatePostgres::quote).toList());
  }

  private List<String> ctlArgs(String action) {
    return List.of(
        bin.resolve("pg_ctl").toString(),
        "-D",
        data.toString(),
        "-l",
        dir.resolve("server.log").toString(),
        "-m",
        "fast",
        "-w",
        "-t",
        "60",
        action);
  }

  private void ctl(String action) throws IOException {
    run(ctlArgs(action));
  }

  private List<String> owner(List<String> command) {
    if (!root) {
      return command;
    }
    List<String> out = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    out.addAll(command);
    return out;
  }

  private void run(List<String> command) throws IOException {
    Process p =
        new ProcessBuilder(owner(command))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + out.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static String quote(String s) {
    return s.matches("[A-Za-z0-9_./:=-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    try {
      if (Files.exists(data.resolve("postmaster.pid"))) {
        run(
            List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                data.toString(),
                "-m",
                "immediate",
                "-w",
                "stop"));
      }
    } catch (IOException e) {
      System.err.println("could not stop the test's PostgreSQL: " + e.getMessage());
    } finally {
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        System.err.println("could not remove " + dir + ": " + e.getMessage());
      }
    }
  }
}
