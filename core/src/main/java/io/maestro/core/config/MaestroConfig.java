package io.maestro.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole server configuration, typed and validated. Built by {@link ConfigLoader} from defaults,
 * {@code maestro.yaml}, {@code MAESTRO_*} environment variables and command-line flags (later
 * sources win). Every key is listed in {@link ConfigKeys} and documented in {@code
 * docs/configuration.md}.
 */
public record MaestroConfig(
    Mode mode,
    Path dataDir,
    Server server,
    Database database,
    Log log,
    Optional<Path> source,
    Auth auth,
    Provenance provenance) {

  public MaestroConfig {
    Objects.requireNonNull(mode);
    Objects.requireNonNull(dataDir);
    Objects.requireNonNull(server);
    Objects.requireNonNull(database);
    Objects.requireNonNull(log);
    Objects.requireNonNull(source);
    Objects.requireNonNull(auth);
    Objects.requireNonNull(provenance);
  }

  public record Server(String host, int port, long maxBodyBytes, Duration shutdownGrace) {}

  /**
   * @param url the JDBC URL; empty means the embedded H2 database under the data directory
   * @param schema the schema to use; empty means the database's default
   * @param rlsRole the PostgreSQL role transactions switch to for row-level security; empty: none
   */
  public record Database(
      String url, String user, String password, int poolSize, String schema, String rlsRole) {
    @Override
    public String toString() {
      return "Database[url=" + url + ", user=" + user + ", poolSize=" + poolSize + "]";
    }
  }

  public record Log(LogFormat format, String level) {}

  /**
   * Where bearer tokens come from.
   *
   * @param oidcIssuer the OIDC provider's issuer; empty when no provider is configured
   */
  public record Auth(String oidcIssuer, String oidcJwksUrl, String oidcAudience) {}

  /**
   * The receipt log's checkpointing.
   *
   * @param origin the installation's name in signed checkpoints
   * @param checkpointInterval the longest a log waits for a checkpoint
   * @param checkpointEveryReceipts sign early once this many receipts are unsigned
   */
  public record Provenance(
      String origin, Duration checkpointInterval, int checkpointEveryReceipts) {}

  public enum LogFormat {
    TEXT,
    JSON
  }

  public boolean dev() {
    return mode == Mode.DEV;
  }
}
