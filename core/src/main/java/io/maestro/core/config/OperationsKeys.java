package io.maestro.core.config;

import static io.maestro.core.config.KeySpec.flag;
import static io.maestro.core.config.KeySpec.key;
import static io.maestro.core.config.KeySpec.millis;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Operating the server: chaos drills and OpenTelemetry tracing. */
public final class OperationsKeys {
  public static final ConfigKey<Boolean> CHAOS_ENABLED =
      flag("chaos.enabled")
          .doc(
              "Let a platform administrator inject faults for chaos drills (`maestro drill"
                  + " chaos`): signer and PDP outages, PDP latency, throttled export storage, a"
                  + " database restart (with `chaos.dbRestartCommand`). Off: every injection is"
                  + " refused (`fault_injection_disabled`).");
  public static final ConfigKey<Boolean> CHAOS_ALLOW_IN_PRODUCTION =
      flag("chaos.allowInProduction")
          .doc(
              "With `chaos.enabled`, also allow fault injection in production mode (`mode:"
                  + " prod`); otherwise a production server refuses it"
                  + " (`fault_injection_production`).");
  public static final ConfigKey<String> CHAOS_DB_RESTART_COMMAND =
      key("chaos.dbRestartCommand", "", String::strip)
          .doc(
              "The command (run with `/bin/sh -c`) that restarts this server's PostgreSQL for the"
                  + " `db-restart` drill, e.g. `pg_ctlcluster 15 main restart` or `pg_ctl -D DIR -m"
                  + " fast -w restart`; it must finish within the drill's fault window. Empty: the"
                  + " scenario is refused (`fault_db_restart_unconfigured`; on the embedded"
                  + " database `fault_db_restart_embedded`).");
  public static final ConfigKey<Boolean> TRACING_ENABLED =
      flag("tracing.enabled")
          .doc(
              "Export OpenTelemetry spans (HTTP request, policy decision, database transaction,"
                  + " step attempt) over OTLP/HTTP to `tracing.otlp.endpoint`. Off: no tracer,"
                  + " exporter or thread.");
  public static final ConfigKey<String> TRACING_OTLP_ENDPOINT =
      key(
              "tracing.otlp.endpoint",
              "http://localhost:4318/v1/traces",
              v -> ConfigValues.nonBlank(ConfigValues.parseHttpUrl(v)))
          .doc("The OTLP/HTTP traces URL (protobuf), path included, of a collector.");
  public static final ConfigKey<Map<String, String>> TRACING_OTLP_HEADERS =
      key("tracing.otlp.headers", "", ConfigValues::parseHeaders)
          .asSecret()
          .doc(
              "Headers sent with every export (`name=value,name2=value2`), e.g. a collector's API"
                  + " key. Never logged.");
  public static final ConfigKey<Duration> TRACING_OTLP_TIMEOUT =
      millis("tracing.otlp.timeoutMillis", "10000", 100, 60_000)
          .doc("How long one export may take (100–60000 ms) before its spans are dropped.");
  public static final ConfigKey<Double> TRACING_SAMPLE_RATIO =
      key("tracing.sampleRatio", "1.0", ConfigValues::parseRatio)
          .doc(
              "The share of new traces recorded (0–1); a caller's `traceparent` decision"
                  + " stands.");
  public static final ConfigKey<String> TRACING_SERVICE_NAME =
      key("tracing.serviceName", "maestro", ConfigValues::nonBlank)
          .doc("The `service.name` resource attribute of exported spans.");

  static final List<ConfigKey<?>> ALL =
      List.of(
          CHAOS_ENABLED,
          CHAOS_ALLOW_IN_PRODUCTION,
          CHAOS_DB_RESTART_COMMAND,
          TRACING_ENABLED,
          TRACING_OTLP_ENDPOINT,
          TRACING_OTLP_HEADERS,
          TRACING_OTLP_TIMEOUT,
          TRACING_SAMPLE_RATIO,
          TRACING_SERVICE_NAME);

  private OperationsKeys() {}
}
