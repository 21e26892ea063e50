package io.maestro.core.config;

import static io.maestro.core.config.ConfigValues.nonBlank;
import static io.maestro.core.config.ConfigValues.parseChoice;
import static io.maestro.core.config.ConfigValues.parseEnum;
import static io.maestro.core.config.ConfigValues.parseEnumName;
import static io.maestro.core.config.ConfigValues.parseHttpUrl;
import static io.maestro.core.config.ConfigValues.parseInt;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every configuration key Maestro reads. {@code docs/configuration.md} documents each of them. */
public final class ConfigKeys {
  public static final ConfigKey<Mode> MODE =
      key(
          "mode",
          "",
          "`dev` or `prod`. Without a config file the default is `dev` (readable logs, dev token issuer);"
              + " with a config file it is `prod` unless the file says otherwise.",
          v -> parseEnum(Mode.class, v));
  public static final ConfigKey<Path> DATA_DIR =
      key(
          "dataDir",
          ".maestro",
          "Directory for the embedded database, signing keys and files.",
          ConfigValues::parsePath);
  public static final ConfigKey<String> SERVER_HOST =
      key(
          "server.host",
          "localhost",
          "Interface the HTTP server binds to.",
          ConfigValues::nonBlank);
  public static final ConfigKey<Integer> SERVER_PORT =
      key(
          "server.port",
          "8080",
          "TCP port of the HTTP server; 0 picks a free port.",
          v -> parseInt(v, 0, 65535));
  public static final ConfigKey<Long> SERVER_MAX_BODY_BYTES =
      key(
          "server.maxBodyBytes",
          "1048576",
          "Largest accepted request body in bytes; larger bodies get 413 `payload_too_large`.",
          v -> (long) parseInt(v, 1, Integer.MAX_VALUE));
  public static final ConfigKey<Duration> SERVER_SHUTDOWN_GRACE =
      key(
          "server.shutdownGraceSeconds",
          "10",
          "On SIGTERM, how long in-flight requests may take to finish.",
          v -> Duration.ofSeconds(parseInt(v, 0, 3600)));
  public static final ConfigKey<Duration> SERVER_IDLE_TIMEOUT =
      key(
          "server.idleTimeoutSeconds",
          "15",
          "How long a connection may sit idle (between requests, or stalled in its request line or"
              + " headers)"
              + " before the server closes it.",
          v -> Duration.ofSeconds(parseInt(v, 1, 3600)));
  public static final ConfigKey<Integer> SERVER_MAX_CONNECTIONS =
      key(
          "server.maxConnections",
          "1024",
          "Open TCP connections the server serves at once; further ones wait unaccepted in the"
              + " operating system's backlog until one closes.",
          v -> parseInt(v, 1, 1_000_000));
  public static final ConfigKey<Boolean> SERVER_DEV_ALLOW_REMOTE =
      key(
          "server.devAllowRemote",
          "false",
          "Let a dev-mode server bind a non-loopback address (`--dev-allow-remote`). Dev mode"
              + " otherwise refuses to start anywhere but loopback: its token issuer mints any role.",
          ConfigValues::parseBoolean);
  public static final ConfigKey<String> DB_URL =
      key(
          "db.url",
          "",
          "JDBC URL. Empty: the embedded H2 database `<dataDir>/db/maestro`. PostgreSQL:"
              + " `jdbc:postgresql://host:5432/db`.",
          ConfigValues::parseJdbcUrl);
  public static final ConfigKey<String> DB_USER =
      key(
          "db.user",
          "",
          "Database user. Empty: `postgres` on PostgreSQL unless the URL has `user=`; `sa` on H2.",
          v -> v);
  public static final ConfigKey<String> DB_PASSWORD =
      new ConfigKey<>("db.password", "", "Database password. Never logged.", v -> v, true);
  public static final ConfigKey<Integer> DB_POOL_SIZE =
      key("db.poolSize", "10", "Maximum connections in the pool.", v -> parseInt(v, 1, 500));
  public static final ConfigKey<String> DB_SCHEMA =
      key(
          "db.schema",
          "",
          "Schema for Maestro's tables (created if missing). Empty: the database default (`public`).",
          ConfigValues::parseIdentifier);
  public static final ConfigKey<MaestroConfig.LogFormat> LOG_FORMAT =
      key(
          "log.format",
          "",
          "`text` or `json`. Default: `text` in dev mode, `json` in prod mode.",
          v -> parseEnum(MaestroConfig.LogFormat.class, v));
  public static final ConfigKey<String> LOG_LEVEL =
      key(
          "log.level",
          "INFO",
          "Lowest level logged: `ERROR`, `WARN`, `INFO`, `DEBUG` or `TRACE`.",
          v -> parseEnumName(v, List.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE")));
  public static final ConfigKey<String> AUTH_OIDC_ISSUER =
      key(
          "auth.oidc.issuer",
          "",
          "Issuer (`iss`) of the OIDC provider whose bearer tokens are accepted. Empty: none.",
          String::trim);
  public static final ConfigKey<String> AUTH_OIDC_JWKS_URL =
      key(
          "auth.oidc.jwksUrl",
          "",
          "URL of the OIDC provider's JWKS (signing keys); required with `auth.oidc.issuer`.",
          ConfigValues::parseHttpUrl);
  public static final ConfigKey<String> AUTH_OIDC_AUDIENCE =
      key(
          "auth.oidc.audience",
          "maestro",
          "Audience (`aud`) an OIDC token must name to be accepted.",
          ConfigValues::nonBlank);
  public static final ConfigKey<String> AUTH_OIDC_CLIENT_ID =
      key(
          "auth.oidc.clientId",
          "",
          "Client id the web console signs in with at `auth.oidc.issuer` (authorization code +"
              + " PKCE). Empty: the console offers no OIDC sign-in.",
          String::trim);
  public static final ConfigKey<String> AUTH_OIDC_CLIENT_SECRET =
      new ConfigKey<>(
          "auth.oidc.clientSecret",
          "",
          "The console's client secret, for a confidential client (sent with HTTP Basic to the"
              + " token endpoint). Empty: a public client (PKCE only). Never logged.",
          String::trim,
          true);
  public static final ConfigKey<String> AUTH_OIDC_REDIRECT_URI =
      key(
          "auth.oidc.redirectUri",
          "",
          "The console's redirect URI registered at the provider. Empty: `/console/oidc/callback`"
              + " on the scheme and host the browser used.",
          v -> v.isBlank() ? "" : ConfigValues.parseHttpUrl(v));
  public static final ConfigKey<String> DB_RLS_ROLE =
      key(
          "db.rlsRole",
          "maestro_app",
          "PostgreSQL role (without BYPASSRLS) each transaction switches to, so row-level security"
              + " applies even when the pool connects as a superuser. Empty: no switch.",
          ConfigValues::parseIdentifier);
  public static final ConfigKey<String> PROVENANCE_ORIGIN =
      key(
          "provenance.origin",
          "maestro.local",
          "The installation's name in signed checkpoints (`<origin>/tenant/<id>`) and in the signing"
              + " key's name: a schema-less URL such as `maestro.example.com`.",
          ConfigValues::parseOrigin);
  public static final ConfigKey<Duration> PROVENANCE_CHECKPOINT_INTERVAL =
      key(
          "provenance.checkpointIntervalMillis",
          "1000",
          "The longest a receipt log waits for a signed checkpoint, in milliseconds.",
          v -> Duration.ofMillis(parseInt(v, 10, 3_600_000)));
  public static final ConfigKey<Integer> PROVENANCE_CHECKPOINT_EVERY_RECEIPTS =
      key(
          "provenance.checkpointEveryReceipts",
          "1000",
          "Sign a log's checkpoint early once this many of its receipts are unsigned.",
          v -> parseInt(v, 1, 1_000_000));
  public static final ConfigKey<Path> PACKAGES_TRUSTED_KEYS =
      key(
          "packages.trustedKeys",
          "",
          "A JWKS file (Ed25519 keys, as `maestro release keygen` writes) of the publishers whose"
              + " signed workflow packages the server accepts. Empty: no publisher is trusted.",
          ConfigValues::parsePath);

  public static final ConfigKey<String> EDITION =
      key(
          "edition",
          "",
          "`internal`, `white-label` or `saas`: the deploy mode (docs/editions.md). Sets"
              + " `policy.edition`; empty: `policy.edition` decides.",
          v -> parseChoice(v, List.of("internal", "white-label", "saas")));
  public static final ConfigKey<String> SKU =
      key(
          "sku",
          "",
          "The edition's SKU (docs/sku.md): its feature gates, default policy profile, quotas and"
              + " SLO targets. Empty: the edition's default SKU, which gates nothing off.",
          v -> v);
  public static final ConfigKey<String> POLICY_EDITION =
      key(
          "policy.edition",
          "internal",
          "`internal`, `white-label` or `saas`: selects the governance profile"
              + " `conductor-governance-<edition>` every decision is made under.",
          v -> parseChoice(v, List.of("internal", "white-label", "saas")));
  public static final ConfigKey<String> POLICY_DEFAULT_PROFILE =
      key(
          "policy.defaultProfile",
          "internal-default",
          "Policy profile of tenants that have none assigned; must be a profile of the active bundle.",
          ConfigValues::nonBlank);
  public static final ConfigKey<Duration> POLICY_DEADLINE =
      key(
          "policy.deadlineMs",
          "50",
          "Longest one policy evaluation may take before the decision fails closed, in milliseconds.",
          v -> Duration.ofMillis(parseInt(v, 1, 60_000)));
  public static final ConfigKey<Path> POLICY_BUNDLE_PATH =
      key(
          "policy.bundle.path",
          "",
          "A signed OPA bundle (`.tar.gz` or directory) activated over the built-in canon bundle."
              + " Empty: the canon bundle only.",
          ConfigValues::parsePath);
  public static final ConfigKey<Map<String, Path>> POLICY_BUNDLE_KEYS =
      key(
          "policy.bundle.keys",
          "",
          "Public keys that may sign `policy.bundle.path`: comma-separated `keyid=path/to/public.pem`.",
          ConfigValues::parseKeyFiles);
  public static final ConfigKey<String> POLICY_BUNDLE_SCOPE =
      key(
          "policy.bundle.scope",
          "",
          "The `scope` claim the bundle's signature must carry. Empty: none.",
          String::trim);
  public static final ConfigKey<Duration> POLICY_BUNDLE_POLL =
      key(
          "policy.bundle.pollSeconds",
          "0",
          "How often to look for a new revision of `policy.bundle.path`; 0: no hot reload.",
          v -> Duration.ofSeconds(parseInt(v, 0, 86_400)));
  public static final ConfigKey<MaestroConfig.DecisionLogMode> POLICY_DECISION_LOG =
      key(
          "policy.decisionLog",
          "database",
          "Where decisions are recorded: `database` (table `policy_decisions`), `memory` or `off`.",
          v -> parseEnum(MaestroConfig.DecisionLogMode.class, v));
  public static final ConfigKey<Integer> ENGINE_WORKERS =
      key(
          "engine.workers",
          "64",
          "Step attempts this server runs at once, each on its own virtual thread.",
          v -> parseInt(v, 1, 10_000));
  public static final ConfigKey<Duration> ENGINE_LEASE =
      key(
          "engine.leaseSeconds",
          "30",
          "How long a claimed step stays leased without a heartbeat before another server takes it.",
          v -> Duration.ofSeconds(parseInt(v, 1, 3600)));
  public static final ConfigKey<Duration> ENGINE_POLL =
      key(
          "engine.pollMillis",
          "2000",
          "The slow poll: the longest an idle worker pool waits when no wake-up arrives.",
          v -> Duration.ofMillis(parseInt(v, 10, 600_000)));
  public static final ConfigKey<List<String>> ENGINE_HTTP_ALLOWED_HOSTS =
      key(
          "engine.http.allowedHosts",
          "",
          "Hosts `core/http` tasks may call, comma-separated (`api.example.com`, `*.example.com`);"
              + " empty: no egress.",
          ConfigValues::parseHosts);
  public static final ConfigKey<Integer> ENGINE_HTTP_MAX_RESPONSE_BYTES =
      key(
          "engine.http.maxResponseBytes",
          "262144",
          "The most of a `core/http` response body kept as the step's output.",
          v -> parseInt(v, 0, 64 * 1024 * 1024));
  public static final ConfigKey<Long> ENGINE_LOG_CAP_BYTES =
      key(
          "engine.logCapBytes",
          "1048576",
          "The most run-log output one step attempt may write.",
          v -> (long) parseInt(v, 1024, Integer.MAX_VALUE));

  public static final ConfigKey<Integer> ENGINE_MAX_TASKS =
      key(
          "engine.maxTasks",
          "1000",
          "The most tasks one workflow manifest may have; more is 422 `manifest_too_many_tasks`.",
          v -> parseInt(v, 1, 100_000));
  public static final ConfigKey<Long> ENGINE_MAX_STEP_OUTPUT_BYTES =
      key(
          "engine.maxStepOutputBytes",
          "1048576",
          "The largest output (as JSON) one step may record; a larger one fails the step once with"
              + " `output_too_large`.",
          v -> (long) parseInt(v, 1024, Integer.MAX_VALUE));
  public static final ConfigKey<Long> ENGINE_MAX_RUN_OUTPUT_BYTES =
      key(
          "engine.maxRunOutputBytes",
          "16777216",
          "The most step output (as JSON) one run may record in total.",
          v -> (long) parseInt(v, 1024, Integer.MAX_VALUE));
  public static final ConfigKey<Long> ENGINE_MAX_EXPRESSION_RESULT_BYTES =
      key(
          "engine.maxExpressionResultBytes",
          "1048576",
          "The largest value (as JSON) one expression (`with`, `outputs`) may produce.",
          v -> (long) parseInt(v, 1024, Integer.MAX_VALUE));
  public static final ConfigKey<Long> ENGINE_SANDBOX_MAX_MEMORY_BYTES =
      key(
          "engine.sandbox.maxMemoryBytes",
          "2147483648",
          "Platform ceiling on the memory a `core/exec` step may ask for; more is 422 at validation.",
          ConfigValues::parseLong);
  public static final ConfigKey<Long> ENGINE_SANDBOX_MAX_CPU_SECONDS =
      key(
          "engine.sandbox.maxCpuSeconds",
          "600",
          "Platform ceiling on the CPU seconds a `core/exec` step may ask for.",
          ConfigValues::parseLong);
  public static final ConfigKey<Long> ENGINE_SANDBOX_MAX_PROCESSES =
      key(
          "engine.sandbox.maxProcesses",
          "256",
          "Platform ceiling on the processes a `core/exec` step may ask for.",
          ConfigValues::parseLong);
  public static final ConfigKey<Path> SANDBOX_BWRAP =
      key(
          "sandbox.bwrap",
          "",
          "The bubblewrap executable `core/exec` runs commands with. Empty: `bwrap` on the `PATH`."
              + " Where it is missing, `core/exec` is disabled and the start-up line says why.",
          ConfigValues::parsePath);
  public static final ConfigKey<List<String>> SANDBOX_SECCOMP_ALLOW =
      key(
          "sandbox.seccomp.allow",
          "",
          "Syscalls `core/exec` commands may make beyond the shipped allowlist, comma-separated"
              + " names (`msgget,shmget`); see docs/sandbox.md.",
          ConfigValues::parseSyscalls);
  public static final ConfigKey<String> SANDBOX_APPARMOR_PROFILE =
      key(
          "sandbox.apparmorProfile",
          "maestro-sandbox",
          "The AppArmor profile `core/exec` sandboxes run under where the kernel has AppArmor and"
              + " the profile is loaded. Empty: never use AppArmor.",
          ConfigValues::parseProfileName);

  public static final ConfigKey<Duration> GOVERNANCE_ROLLBACK_INTERVAL =
      key(
          "governance.rollback.intervalSeconds",
          "30",
          "How often the rollback controller checks every canary ramp's error rate (0–3600 s; 0:"
              + " the controller is off).",
          v -> Duration.ofSeconds(parseInt(v, 0, 3600)));
  public static final ConfigKey<java.math.BigDecimal> GOVERNANCE_ROLLBACK_ERROR_RATE =
      key(
          "governance.rollback.errorRatePercent",
          "0.5",
          "A canary breaches when more than this percentage of its finished runs failed, over both"
              + " the short and the long window.",
          ConfigValues::parsePercent);
  public static final ConfigKey<Integer> GOVERNANCE_ROLLBACK_MIN_RUNS =
      key(
          "governance.rollback.minRuns",
          "10",
          "Runs of the canary that must have finished in the short window before its error rate is"
              + " judged (1–100000).",
          v -> parseInt(v, 1, 100_000));
  public static final ConfigKey<Duration> GOVERNANCE_ROLLBACK_SHORT_WINDOW =
      key(
          "governance.rollback.shortWindowSeconds",
          "300",
          "The short window of the error-rate check (10–86400 s).",
          v -> Duration.ofSeconds(parseInt(v, 10, 86_400)));
  public static final ConfigKey<Duration> GOVERNANCE_ROLLBACK_LONG_WINDOW =
      key(
          "governance.rollback.longWindowSeconds",
          "3600",
          "The long window of the error-rate check (10–604800 s; at least the short window).",
          v -> Duration.ofSeconds(parseInt(v, 10, 604_800)));
  public static final ConfigKey<Integer> GOVERNANCE_ROLLBACK_RECEIPT_BACKLOG =
      key(
          "governance.rollback.receiptBacklogPercent",
          "80",
          "A canary breaches when its tenant's receipts awaiting a signed checkpoint reach this"
              + " percentage of the tenant's `maxReceiptBacklog` quota, before the quota refuses"
              + " its starts (0–100; 0: the backlog is not judged).",
          v -> parseInt(v, 0, 100));

  public static final ConfigKey<Path> GOVERNANCE_SLO_FILE =
      key(
          "governance.slo.file",
          "",
          "An SLO file (`kind: SLOSet`) that replaces the SLOs shipped for the edition"
              + " (`policy.edition`). Empty: the edition's.",
          ConfigValues::parsePath);
  public static final ConfigKey<Duration> GOVERNANCE_SLO_EVALUATION_INTERVAL =
      key(
          "governance.slo.evaluationIntervalSeconds",
          "60",
          "How often the `mc_slo_*` gauges are evaluated (1–3600 s).",
          v -> Duration.ofSeconds(parseInt(v, 1, 3600)));

  public static final ConfigKey<Duration> RETENTION_INTERVAL =
      key(
          "retention.intervalSeconds",
          "3600",
          "How often the retention job removes every tenant's expired data (0–86400 s; 0: the job"
              + " is off).",
          v -> Duration.ofSeconds(parseInt(v, 0, 86_400)));
  public static final ConfigKey<Integer> RETENTION_BATCH_SIZE =
      key(
          "retention.batchSize",
          "500",
          "Rows (for runs: runs) the retention job removes per batch and transaction (1–10000).",
          v -> parseInt(v, 1, 10_000));
  public static final ConfigKey<Integer> RETENTION_MAX_BATCHES =
      key(
          "retention.maxBatches",
          "100",
          "Batches per tenant and data class in one run of the retention job (1–100000).",
          v -> parseInt(v, 1, 100_000));
  public static final ConfigKey<Integer> RETENTION_MIN_DAYS =
      key(
          "retention.minDays",
          "",
          "The shortest retention rule a tenant may set, in days (1–36500). Empty: the edition's"
              + " (7 for saas, 1 otherwise).",
          v -> parseInt(v, 1, 36_500));
  public static final ConfigKey<Integer> RETENTION_MAX_DAYS =
      key(
          "retention.maxDays",
          "",
          "The longest retention rule a tenant may set, in days (0–36500; 0: no maximum). Empty:"
              + " the edition's (3650 for saas, none otherwise).",
          v -> parseInt(v, 0, 36_500));

  public static final ConfigKey<Duration> EVIDENCE_RESIDENCY_INTERVAL =
      key(
          "evidence.residency.intervalSeconds",
          "3600",
          "How often the residency auditor checks every tenant's runs, stored disclosure packs and"
              + " receipts against its allowed regions (0–86400 s; 0: the job is off).",
          v -> Duration.ofSeconds(parseInt(v, 0, 86_400)));

  public static final ConfigKey<Path> EVIDENCE_RELEASE_DIR =
      key(
          "evidence.releaseDir",
          "",
          "A release directory (`maestro release sign --out`) whose SBOMs and signed attestations"
              + " the compliance pack carries. Empty: the directory of the running `maestro.jar`.",
          ConfigValues::parsePath);

  public static final ConfigKey<Duration> SCHEDULES_MIN_INTERVAL =
      key(
          "schedules.minIntervalSeconds",
          "60",
          "The shortest time allowed between two ticks of a schedule (60–86400 s); a cron"
              + " expression that fires more often is refused (`cron_too_frequent`).",
          v -> Duration.ofSeconds(parseInt(v, 60, 86_400)));
  public static final ConfigKey<Duration> SCHEDULES_POLL =
      key(
          "schedules.pollSeconds",
          "5",
          "How often the scheduler looks for due ticks (0–3600 s; 0: this server fires no"
              + " schedules).",
          v -> Duration.ofSeconds(parseInt(v, 0, 3600)));
  public static final ConfigKey<Duration> TRIGGERS_WEBHOOK_TOLERANCE =
      key(
          "triggers.webhookToleranceSeconds",
          "300",
          "How far a webhook trigger request's `webhook-timestamp` may be from the server's clock"
              + " (1–3600 s); further is refused (`webhook_timestamp_stale`).",
          v -> Duration.ofSeconds(parseInt(v, 1, 3600)));

  public static final ConfigKey<Boolean> CHAOS_ENABLED =
      key(
          "chaos.enabled",
          "false",
          "Let a platform administrator inject faults for chaos drills (`maestro drill chaos`):"
              + " signer and PDP outages, PDP latency, throttled export storage, a database restart"
              + " (with `chaos.dbRestartCommand`). Off: every"
              + " injection is refused (`fault_injection_disabled`).",
          ConfigValues::parseBoolean);
  public static final ConfigKey<Boolean> CHAOS_ALLOW_IN_PRODUCTION =
      key(
          "chaos.allowInProduction",
          "false",
          "With `chaos.enabled`, also allow fault injection in production mode (`mode: prod`);"
              + " otherwise a production server refuses it (`fault_injection_production`).",
          ConfigValues::parseBoolean);
  public static final ConfigKey<String> CHAOS_DB_RESTART_COMMAND =
      key(
          "chaos.dbRestartCommand",
          "",
          "The command (run with `/bin/sh -c`) that restarts this server's PostgreSQL for the"
              + " `db-restart` drill, e.g. `pg_ctlcluster 15 main restart` or `pg_ctl -D DIR -m"
              + " fast -w restart`; it must finish within the drill's fault window. Empty: the"
              + " scenario is refused (`fault_db_restart_unconfigured`; on the embedded database"
              + " `fault_db_restart_embedded`).",
          v -> v.strip());

  public static final ConfigKey<Boolean> TRACING_ENABLED =
      key(
          "tracing.enabled",
          "false",
          "Export OpenTelemetry spans (HTTP request, policy decision, database transaction, step"
              + " attempt) over OTLP/HTTP to `tracing.otlp.endpoint`. Off: no tracer, exporter or"
              + " thread.",
          ConfigValues::parseBoolean);
  public static final ConfigKey<String> TRACING_OTLP_ENDPOINT =
      key(
          "tracing.otlp.endpoint",
          "http://localhost:4318/v1/traces",
          "The OTLP/HTTP traces URL (protobuf), path included, of a collector.",
          v -> nonBlank(parseHttpUrl(v)));
  public static final ConfigKey<Map<String, String>> TRACING_OTLP_HEADERS =
      new ConfigKey<>(
          "tracing.otlp.headers",
          "",
          "Headers sent with every export (`name=value,name2=value2`), e.g. a collector's API key."
              + " Never logged.",
          ConfigValues::parseHeaders,
          true);
  public static final ConfigKey<Duration> TRACING_OTLP_TIMEOUT =
      key(
          "tracing.otlp.timeoutMillis",
          "10000",
          "How long one export may take (100–60000 ms) before its spans are dropped.",
          v -> Duration.ofMillis(parseInt(v, 100, 60_000)));
  public static final ConfigKey<Double> TRACING_SAMPLE_RATIO =
      key(
          "tracing.sampleRatio",
          "1.0",
          "The share of new traces recorded (0–1); a caller's `traceparent` decision stands.",
          ConfigValues::parseRatio);
  public static final ConfigKey<String> TRACING_SERVICE_NAME =
      key(
          "tracing.serviceName",
          "maestro",
          "The `service.name` resource attribute of exported spans.",
          ConfigValues::nonBlank);

  public static final ConfigKey<Path> RELEASE_VERIFY_DIR =
      key(
          "release.verify.dir",
          "",
          "A signed release directory (`maestro release sign`) that `maestro server` verifies,"
              + " with the running jars, before serving; it refuses to start when either fails."
              + " Also `--verify-release`.",
          ConfigValues::parsePath);
  public static final ConfigKey<Path> RELEASE_VERIFY_KEYS =
      key(
          "release.verify.keys",
          "",
          "The release public keys (JWKS) for `release.verify.dir`. Also `--release-keys`.",
          ConfigValues::parsePath);

  public static final List<ConfigKey<?>> ALL =
      List.of(
          MODE,
          DATA_DIR,
          SERVER_HOST,
          SERVER_PORT,
          SERVER_MAX_BODY_BYTES,
          SERVER_SHUTDOWN_GRACE,
          SERVER_IDLE_TIMEOUT,
          SERVER_MAX_CONNECTIONS,
          SERVER_DEV_ALLOW_REMOTE,
          DB_URL,
          DB_USER,
          DB_PASSWORD,
          DB_POOL_SIZE,
          DB_SCHEMA,
          LOG_FORMAT,
          LOG_LEVEL,
          AUTH_OIDC_ISSUER,
          AUTH_OIDC_JWKS_URL,
          AUTH_OIDC_AUDIENCE,
          AUTH_OIDC_CLIENT_ID,
          AUTH_OIDC_CLIENT_SECRET,
          AUTH_OIDC_REDIRECT_URI,
          DB_RLS_ROLE,
          PROVENANCE_ORIGIN,
          PROVENANCE_CHECKPOINT_INTERVAL,
          PROVENANCE_CHECKPOINT_EVERY_RECEIPTS,
          PACKAGES_TRUSTED_KEYS,
          EDITION,
          SKU,
          POLICY_EDITION,
          POLICY_DEFAULT_PROFILE,
          POLICY_DEADLINE,
          POLICY_BUNDLE_PATH,
          POLICY_BUNDLE_KEYS,
          POLICY_BUNDLE_SCOPE,
          POLICY_BUNDLE_POLL,
          POLICY_DECISION_LOG,
          ENGINE_WORKERS,
          ENGINE_LEASE,
          ENGINE_POLL,
          ENGINE_HTTP_ALLOWED_HOSTS,
          ENGINE_HTTP_MAX_RESPONSE_BYTES,
          ENGINE_LOG_CAP_BYTES,
          ENGINE_MAX_TASKS,
          ENGINE_MAX_STEP_OUTPUT_BYTES,
          ENGINE_MAX_RUN_OUTPUT_BYTES,
          ENGINE_MAX_EXPRESSION_RESULT_BYTES,
          ENGINE_SANDBOX_MAX_MEMORY_BYTES,
          ENGINE_SANDBOX_MAX_CPU_SECONDS,
          ENGINE_SANDBOX_MAX_PROCESSES,
          SANDBOX_BWRAP,
          SANDBOX_SECCOMP_ALLOW,
          SANDBOX_APPARMOR_PROFILE,
          GOVERNANCE_ROLLBACK_INTERVAL,
          GOVERNANCE_ROLLBACK_ERROR_RATE,
          GOVERNANCE_ROLLBACK_MIN_RUNS,
          GOVERNANCE_ROLLBACK_SHORT_WINDOW,
          GOVERNANCE_ROLLBACK_LONG_WINDOW,
          GOVERNANCE_ROLLBACK_RECEIPT_BACKLOG,
          GOVERNANCE_SLO_FILE,
          GOVERNANCE_SLO_EVALUATION_INTERVAL,
          RETENTION_INTERVAL,
          RETENTION_BATCH_SIZE,
          RETENTION_MAX_BATCHES,
          RETENTION_MIN_DAYS,
          RETENTION_MAX_DAYS,
          EVIDENCE_RESIDENCY_INTERVAL,
          EVIDENCE_RELEASE_DIR,
          SCHEDULES_MIN_INTERVAL,
          SCHEDULES_POLL,
          TRIGGERS_WEBHOOK_TOLERANCE,
          CHAOS_ENABLED,
          CHAOS_ALLOW_IN_PRODUCTION,
          CHAOS_DB_RESTART_COMMAND,
          TRACING_ENABLED,
          TRACING_OTLP_ENDPOINT,
          TRACING_OTLP_HEADERS,
          TRACING_OTLP_TIMEOUT,
          TRACING_SAMPLE_RATIO,
          TRACING_SERVICE_NAME,
          RELEASE_VERIFY_DIR,
          RELEASE_VERIFY_KEYS);

  static final Map<String, ConfigKey<?>> BY_NAME =
      ALL.stream().collect(Collectors.toUnmodifiableMap(ConfigKey::name, k -> k));

  private ConfigKeys() {}

  private static <T> ConfigKey<T> key(
      String name, String def, String description, Function<String, T> parser) {
    return new ConfigKey<>(name, def, description, parser, false);
  }
}
