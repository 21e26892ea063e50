package io.maestro.core.config;

import static io.maestro.core.config.KeySpec.EDITIONS;
import static io.maestro.core.config.KeySpec.bytes;
import static io.maestro.core.config.KeySpec.choice;
import static io.maestro.core.config.KeySpec.flag;
import static io.maestro.core.config.KeySpec.key;
import static io.maestro.core.config.KeySpec.number;
import static io.maestro.core.config.KeySpec.seconds;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The server process: its mode, data directory, HTTP listener, log, edition and SKU. */
public final class ServerKeys {
  public static final ConfigKey<Mode> MODE =
      key("mode", "", v -> ConfigValues.parseEnum(Mode.class, v))
          .doc(
              "`dev` or `prod`. Without a config file the default is `dev` (readable logs, dev token"
                  + " issuer); with a config file it is `prod` unless the file says otherwise.");
  public static final ConfigKey<Path> DATA_DIR =
      key("dataDir", ".maestro", ConfigValues::parsePath)
          .doc("Directory for the embedded database, signing keys and files.");
  public static final ConfigKey<String> HOST =
      key("server.host", "localhost", ConfigValues::nonBlank)
          .doc("Interface the HTTP server binds to.");
  public static final ConfigKey<Integer> PORT =
      number("server.port", "8080", 0, 65535)
          .doc("TCP port of the HTTP server; 0 picks a free port.");
  public static final ConfigKey<Long> MAX_BODY_BYTES =
      bytes("server.maxBodyBytes", "1048576", 1)
          .doc(
              "Largest accepted request body in bytes; larger bodies get 413"
                  + " `payload_too_large`.");
  public static final ConfigKey<Duration> SHUTDOWN_GRACE =
      seconds("server.shutdownGraceSeconds", "10", 0, 3600)
          .doc("On SIGTERM, how long in-flight requests may take to finish.");
  public static final ConfigKey<Duration> IDLE_TIMEOUT =
      seconds("server.idleTimeoutSeconds", "15", 1, 3600)
          .doc(
              "How long a connection may sit idle (between requests, or stalled in its request"
                  + " line or headers) before the server closes it.");
  public static final ConfigKey<Integer> MAX_CONNECTIONS =
      number("server.maxConnections", "1024", 1, 1_000_000)
          .doc(
              "Open TCP connections the server serves at once; further ones wait unaccepted in the"
                  + " operating system's backlog until one closes.");
  public static final ConfigKey<Boolean> DEV_ALLOW_REMOTE =
      flag("server.devAllowRemote")
          .doc(
              "Let a dev-mode server bind a non-loopback address (`--dev-allow-remote`). Dev mode"
                  + " otherwise refuses to start anywhere but loopback: its token issuer mints any"
                  + " role.");
  public static final ConfigKey<MaestroConfig.LogFormat> LOG_FORMAT =
      key("log.format", "", v -> ConfigValues.parseEnum(MaestroConfig.LogFormat.class, v))
          .doc("`text` or `json`. Default: `text` in dev mode, `json` in prod mode.");
  public static final ConfigKey<String> LOG_LEVEL =
      key(
              "log.level",
              "INFO",
              v ->
                  ConfigValues.parseEnumName(v, List.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE")))
          .doc("Lowest level logged: `ERROR`, `WARN`, `INFO`, `DEBUG` or `TRACE`.");
  public static final ConfigKey<String> EDITION =
      choice("edition", "", EDITIONS)
          .doc(
              "`internal`, `white-label` or `saas`: the deploy mode (docs/editions.md). Sets"
                  + " `policy.edition`; empty: `policy.edition` decides.");
  public static final ConfigKey<String> SKU =
      key("sku", "", v -> v)
          .doc(
              "The edition's SKU (docs/sku.md): its feature gates, default policy profile, quotas"
                  + " and SLO targets. Empty: the edition's default SKU, which gates nothing off.");

  static final List<ConfigKey<?>> ALL =
      List.of(
          MODE,
          DATA_DIR,
          HOST,
          PORT,
          MAX_BODY_BYTES,
          SHUTDOWN_GRACE,
          IDLE_TIMEOUT,
          MAX_CONNECTIONS,
          DEV_ALLOW_REMOTE,
          LOG_FORMAT,
          LOG_LEVEL,
          EDITION,
          SKU);

  private ServerKeys() {}
}
