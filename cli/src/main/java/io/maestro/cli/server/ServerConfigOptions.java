package io.maestro.cli.server;

import io.maestro.cli.UserError;
import io.maestro.core.config.ConfigException;
import io.maestro.core.config.ConfigLoader;
import io.maestro.core.config.DatabaseKeys;
import io.maestro.core.config.MaestroConfig;
import io.maestro.core.config.ServerKeys;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The flags that override the server's configuration, shared by {@code maestro server} and {@code
 * maestro doctor} (which checks the configuration the server would use).
 */
public final class ServerConfigOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Config file (default: ./maestro.yaml if present, or $MAESTRO_CONFIG).")
  Path configFile;

  @Option(names = "--port", paramLabel = "N", description = "HTTP port (0 picks a free one).")
  String port;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description = "Interface to bind (default localhost).")
  String host;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Data directory (default ./.maestro).")
  String dataDir;

  @Option(
      names = "--db-url",
      paramLabel = "JDBC_URL",
      description = "Database, e.g. jdbc:postgresql://127.0.0.1:5432/test (default: embedded H2).")
  String dbUrl;

  @Option(
      names = "--db-schema",
      paramLabel = "SCHEMA",
      description =
          "Schema for Maestro's tables, created if missing (default: the database's, e.g."
              + " public); keeps a shared database's other schemas clean.")
  String dbSchema;

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      description =
          "text or json (default: text in dev mode, json in prod mode). JSON lines carry"
              + " request_id, tenant, run_id and decision_id where they apply.")
  String logFormat;

  @Option(
      names = "--edition",
      paramLabel = "EDITION",
      description = "internal, white-label or saas (docs/editions.md).")
  String edition;

  @Option(
      names = "--sku",
      paramLabel = "SKU",
      description =
          "The edition's SKU, e.g. saas-standard, saas-pro, saas-enterprise (docs/sku.md).")
  String sku;

  /**
   * Loads the configuration: defaults, the config file, {@code MAESTRO_*}, these flags, then {@code
   * extra} flags; a bad value is a usage error naming the key.
   */
  public MaestroConfig load(Map<String, String> extra) {
    Map<String, String> flags = new HashMap<>();
    put(flags, ServerKeys.PORT.name(), port);
    put(flags, ServerKeys.HOST.name(), host);
    put(flags, ServerKeys.DATA_DIR.name(), dataDir);
    put(flags, DatabaseKeys.URL.name(), dbUrl);
    put(flags, DatabaseKeys.SCHEMA.name(), dbSchema);
    put(flags, ServerKeys.LOG_FORMAT.name(), logFormat);
    put(flags, ServerKeys.EDITION.name(), edition);
    put(flags, ServerKeys.SKU.name(), sku);
    flags.putAll(extra);
    try {
      return ConfigLoader.fromEnvironment().load(Optional.ofNullable(configFile), flags);
    } catch (ConfigException e) {
      throw new UserError(
          "configuration error: " + String.join("\nmaestro: configuration error: ", e.problems()),
          2);
    }
  }

  private static void put(Map<String, String> flags, String key, String value) {
    if (value != null) {
      flags.put(key, value);
    }
  }
}
