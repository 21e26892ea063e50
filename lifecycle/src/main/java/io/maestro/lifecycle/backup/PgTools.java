package io.maestro.lifecycle.backup;

import io.maestro.core.problem.MaestroException;
import io.maestro.lifecycle.LifecycleErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code pg_dump} and {@code psql}, run as processes: a dump is one consistent snapshot of the
 * schema. Missing tools fail loudly ({@code backup_tool_missing}) rather than writing a partial
 * backup.
 */
final class PgTools {
  private PgTools() {}

  static void dump(Backups.Postgres pg, Path file) {
    List<String> cmd = new ArrayList<>(List.of(tool("pg_dump"), "--no-owner", "--no-privileges"));
    if (!pg.schema().isBlank()) {
      cmd.add("--schema=" + pg.schema());
    }
    cmd.addAll(List.of("-f", file.toString(), libpq(pg.url())));
    run(cmd, pg);
  }

  static void restore(Backups.Postgres pg, Path file) {
    run(
        List.of(
            tool("psql"),
            "--quiet",
            "--set=ON_ERROR_STOP=1",
            "-f",
            file.toString(),
            libpq(pg.url())),
        pg);
  }

  /** {@code jdbc:postgresql://host:port/db?…} as a libpq URI. */
  static String libpq(String jdbcUrl) {
    String u = jdbcUrl.startsWith("jdbc:") ? jdbcUrl.substring(5) : jdbcUrl;
    int q = u.indexOf('?');
    return q < 0 ? u : u.substring(0, q);
  }

  private static String tool(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    throw MaestroException.of(
        LifecycleErrors.BACKUP_TOOL_MISSING,
        name + " is not installed: apt-get install postgresql-client (nothing was written)");
  }

  private static void run(List<String> cmd, Backups.Postgres pg) {
    ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> env = b.environment();
    env.put("PGUSER", pg.user());
    if (!pg.password().isEmpty()) {
      env.put("PGPASSWORD", pg.password());
    }
    try {
      Process p = b.start();
      String output = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw Backups.failed(
            cmd.get(0) + " failed: " + output.lines().findFirst().orElse("exit " + p.exitValue()));
      }
    } catch (IOException e) {
      throw Backups.failed("cannot run " + cmd.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Backups.failed(cmd.get(0) + " was interrupted");
    }
  }
}
