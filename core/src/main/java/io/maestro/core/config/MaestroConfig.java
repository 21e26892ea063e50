package io.maestro.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
    Provenance provenance,
    Policy policy,
    Engine engine,
    Sandbox sandbox,
    Governance governance,
    Retention retention,
    Schedules schedules,
    Evidence evidence,
    Chaos chaos,
    Tracing tracing,
    Release release) {

  public MaestroConfig {
    Objects.requireNonNull(schedules);
    Objects.requireNonNull(mode);
    Objects.requireNonNull(dataDir);
    Objects.requireNonNull(server);
    Objects.requireNonNull(database);
    Objects.requireNonNull(log);
    Objects.requireNonNull(source);
    Objects.requireNonNull(auth);
    Objects.requireNonNull(provenance);
    Objects.requireNonNull(policy);
    Objects.requireNonNull(engine);
    Objects.requireNonNull(sandbox);
    Objects.requireNonNull(governance);
    Objects.requireNonNull(retention);
    Objects.requireNonNull(evidence);
    Objects.requireNonNull(chaos);
    Objects.requireNonNull(tracing);
    Objects.requireNonNull(release);
  }

  /**
   * OpenTelemetry tracing (ADR 0045), off by default.
   *
   * @param endpoint the OTLP/HTTP traces URL
   * @param headers sent with every export (credentials; never printed)
   * @param timeout the longest one export may take
   * @param sampleRatio the share of new traces recorded
   */
  public record Tracing(
      boolean enabled,
      String endpoint,
      Map<String, String> headers,
      Duration timeout,
      double sampleRatio,
      String serviceName) {
    public static final Tracing OFF =
        new Tracing(
            false,
            "http://localhost:4318/v1/traces",
            Map.of(),
            Duration.ofSeconds(10),
            1.0,
            "maestro");

    public Tracing {
      headers = Map.copyOf(headers);
    }

    /** Without the header values, which may be credentials. */
    @Override
    public String toString() {
      return "Tracing[enabled="
          + enabled
          + ", endpoint="
          + endpoint
          + ", headers="
          + headers.keySet()
          + ", timeout="
          + timeout
          + ", sampleRatio="
          + sampleRatio
          + ", serviceName="
          + serviceName
          + "]";
    }
  }

  /**
   * The release gate at start: {@code maestro server} verifies {@code verifyDir} with {@code
   * verifyKeys} and that it runs that release's jars before serving (docs/supply-chain.md).
   */
  public record Release(Optional<Path> verifyDir, Optional<Path> verifyKeys) {
    public static final Release NONE = new Release(Optional.empty(), Optional.empty());
  }

  /**
   * Fault injection for chaos drills (ADR 0039): off unless enabled, and in production mode only
   * when also allowed there.
   *
   * @param dbRestartCommand the operator's command that restarts this server's PostgreSQL ({@code
   *     db-restart}, ADR 0044); empty: that scenario is refused
   */
  public record Chaos(boolean enabled, boolean allowInProduction, String dbRestartCommand) {
    public static final Chaos OFF = new Chaos(false, false);

    /** Without a database restart command: the {@code db-restart} drill is refused. */
    public Chaos(boolean enabled, boolean allowInProduction) {
      this(enabled, allowInProduction, "");
    }
  }

  /**
   * The evidence module's background work.
   *
   * @param residencyInterval how often the residency auditor checks every tenant; zero turns it off
   * @param releaseDir the release whose SBOMs and attestations compliance packs carry; empty: the
   *     running jar's directory
   */
  public record Evidence(
      Duration residencyInterval, java.util.Optional<java.nio.file.Path> releaseDir) {
    public Evidence(Duration residencyInterval) {
      this(residencyInterval, java.util.Optional.empty());
    }
  }

  /**
   * The retention job and the platform's bounds on tenants' retention rules.
   *
   * @param interval how often the job runs; zero turns it off
   * @param batchSize rows (for runs: runs) per batch and transaction
   * @param maxBatches batches per tenant and data class in one run
   * @param minDays the shortest rule, empty for the edition's
   * @param maxDays the longest rule (0: none), empty for the edition's
   */
  public record Retention(
      Duration interval,
      int batchSize,
      int maxBatches,
      java.util.OptionalInt minDays,
      java.util.OptionalInt maxDays) {}

  /**
   * Schedules and webhook triggers (docs/schedules.md).
   *
   * @param minInterval the shortest time allowed between two ticks of a schedule
   * @param poll how often the scheduler looks for due ticks; zero turns it off on this server
   * @param webhookTolerance how far a webhook request's timestamp may be from the clock
   */
  public record Schedules(Duration minInterval, Duration poll, Duration webhookTolerance) {
    public static final Schedules DEFAULTS =
        new Schedules(Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(300));
  }

  /**
   * Release governance: the rollback controller that lowers a canary ramp whose runs fail.
   *
   * @param rollbackInterval how often it checks; zero turns it off
   * @param rollbackErrorRatePercent a canary breaches above this failure percentage
   * @param rollbackMinRuns finished runs in the short window before the rate is judged
   * @param rollbackReceiptBacklogPercent a canary's tenant breaches at this share of its receipt
   *     backlog quota (0: not judged)
   * @param sloFile an SLO file replacing the edition's SLOs
   * @param sloEvaluationInterval how often the {@code mc_slo_*} gauges are evaluated
   */
  public record Governance(
      Duration rollbackInterval,
      java.math.BigDecimal rollbackErrorRatePercent,
      int rollbackMinRuns,
      Duration rollbackShortWindow,
      Duration rollbackLongWindow,
      int rollbackReceiptBacklogPercent,
      Optional<Path> sloFile,
      Duration sloEvaluationInterval) {}

  /**
   * The HTTP server.
   *
   * @param idleTimeout how long a connection may be idle between requests
   * @param maxConnections open connections accepted at once
   * @param devAllowRemote whether a dev-mode server may bind a non-loopback address
   */
  public record Server(
      String host,
      int port,
      long maxBodyBytes,
      Duration shutdownGrace,
      Duration idleTimeout,
      int maxConnections,
      boolean devAllowRemote) {
    public Server {
      Objects.requireNonNull(idleTimeout);
    }

    /** A server with the connection defaults of {@link ConfigKeys}. */
    public Server(String host, int port, long maxBodyBytes, Duration shutdownGrace) {
      this(host, port, maxBodyBytes, shutdownGrace, Duration.ofSeconds(15), 1024, false);
    }
  }

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
   * @param oidcClientId the console's client id at that provider; empty: no console OIDC sign-in
   * @param oidcClientSecret the console's client secret; empty for a public (PKCE-only) client
   * @param oidcRedirectUri the console's registered redirect URI; empty: derived per request
   */
  public record Auth(
      String oidcIssuer,
      String oidcJwksUrl,
      String oidcAudience,
      String oidcClientId,
      String oidcClientSecret,
      String oidcRedirectUri) {
    public Auth(String oidcIssuer, String oidcJwksUrl, String oidcAudience) {
      this(oidcIssuer, oidcJwksUrl, oidcAudience, "", "", "");
    }

    /** Whether the console signs users in at the OIDC provider. */
    public boolean consoleSignIn() {
      return !oidcIssuer.isEmpty() && !oidcClientId.isEmpty();
    }

    @Override
    public String toString() {
      return "Auth[oidcIssuer="
          + oidcIssuer
          + ", oidcJwksUrl="
          + oidcJwksUrl
          + ", oidcAudience="
          + oidcAudience
          + ", oidcClientId="
          + oidcClientId
          + ", oidcClientSecret="
          + (oidcClientSecret.isEmpty() ? "" : "***")
          + ", oidcRedirectUri="
          + oidcRedirectUri
          + "]";
    }
  }

  /**
   * The receipt log's checkpointing.
   *
   * @param origin the installation's name in signed checkpoints
   * @param checkpointInterval the longest a log waits for a checkpoint
   * @param checkpointEveryReceipts sign early once this many receipts are unsigned
   * @param packageKeys the JWKS of trusted workflow package publishers; empty: none trusted
   */
  public record Provenance(
      String origin,
      Duration checkpointInterval,
      int checkpointEveryReceipts,
      Optional<Path> packageKeys) {}

  /**
   * The policy decision point.
   *
   * @param edition {@code internal}, {@code white-label} or {@code saas}
   * @param defaultProfile the profile of tenants without one
   * @param deadline the longest one evaluation may take before the decision fails closed
   * @param bundlePath a signed bundle activated over the built-in canon bundle; empty: canon only
   * @param bundleKeys the public keys (PEM files) that may sign it, by key id
   * @param bundleScope the scope its signature must carry
   * @param bundlePoll how often to look for a new revision of it; zero: never
   * @param decisionLog where decisions are recorded
   */
  public record Policy(
      String edition,
      String defaultProfile,
      Duration deadline,
      Optional<Path> bundlePath,
      Map<String, Path> bundleKeys,
      Optional<String> bundleScope,
      Duration bundlePoll,
      DecisionLogMode decisionLog,
      String sku) {
    /** Without a SKU: the edition's default SKU. */
    public Policy(
        String edition,
        String defaultProfile,
        Duration deadline,
        Optional<Path> bundlePath,
        Map<String, Path> bundleKeys,
        Optional<String> bundleScope,
        Duration bundlePoll,
        DecisionLogMode decisionLog) {
      this(
          edition,
          defaultProfile,
          deadline,
          bundlePath,
          bundleKeys,
          bundleScope,
          bundlePoll,
          decisionLog,
          "");
    }

    public Policy {
      Objects.requireNonNull(sku);
      Objects.requireNonNull(edition);
      Objects.requireNonNull(defaultProfile);
      Objects.requireNonNull(deadline);
      Objects.requireNonNull(bundlePath);
      bundleKeys = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(bundleKeys));
      Objects.requireNonNull(bundleScope);
      Objects.requireNonNull(bundlePoll);
      Objects.requireNonNull(decisionLog);
    }
  }

  /**
   * The workflow engine of this server.
   *
   * @param workers step attempts run at once
   * @param lease how long a claim holds without a heartbeat
   * @param poll the longest an idle worker pool sleeps without a wake-up
   * @param httpAllowedHosts hosts {@code core/http} may call (exact or {@code *.suffix}); empty:
   *     none
   * @param httpMaxResponseBytes the most response body {@code core/http} keeps
   * @param logCapBytes the most log output one attempt may write
   * @param limits caps on what manifests and steps may use
   */
  public record Engine(
      int workers,
      Duration lease,
      Duration poll,
      List<String> httpAllowedHosts,
      int httpMaxResponseBytes,
      long logCapBytes,
      Limits limits) {
    public Engine {
      Objects.requireNonNull(lease);
      Objects.requireNonNull(poll);
      httpAllowedHosts = List.copyOf(httpAllowedHosts);
      Objects.requireNonNull(limits);
    }

    /** An engine with the default {@link Limits}. */
    public Engine(
        int workers,
        Duration lease,
        Duration poll,
        List<String> httpAllowedHosts,
        int httpMaxResponseBytes,
        long logCapBytes) {
      this(
          workers,
          lease,
          poll,
          httpAllowedHosts,
          httpMaxResponseBytes,
          logCapBytes,
          Limits.DEFAULTS);
    }
  }

  /**
   * What one workflow may use (the {@code engine.max*} and {@code engine.sandbox.max*} keys).
   *
   * @param maxTasks tasks per manifest
   * @param maxStepOutputBytes one step's recorded output, as JSON
   * @param maxRunOutputBytes all step outputs of one run, as JSON
   * @param maxExpressionResultBytes one expression's value, as JSON
   * @param sandboxMaxMemoryBytes platform ceiling on a {@code core/exec} step's memory
   * @param sandboxMaxCpuSeconds platform ceiling on its CPU seconds
   * @param sandboxMaxProcesses platform ceiling on its processes
   */
  public record Limits(
      int maxTasks,
      long maxStepOutputBytes,
      long maxRunOutputBytes,
      long maxExpressionResultBytes,
      long sandboxMaxMemoryBytes,
      long sandboxMaxCpuSeconds,
      long sandboxMaxProcesses) {
    public static final Limits DEFAULTS =
        new Limits(1000, 1 << 20, 16 << 20, 1 << 20, 2L << 30, 600, 256);
  }

  /**
   * The {@code core/exec} sandbox on this machine.
   *
   * @param bwrap the bubblewrap executable; empty: {@code bwrap} on the {@code PATH}
   * @param seccompAllow syscalls allowed beyond the shipped seccomp allowlist
   * @param apparmorProfile the AppArmor profile used where loaded; empty: never
   */
  public record Sandbox(Optional<Path> bwrap, List<String> seccompAllow, String apparmorProfile) {
    public Sandbox {
      Objects.requireNonNull(bwrap);
      seccompAllow = List.copyOf(seccompAllow);
      Objects.requireNonNull(apparmorProfile);
    }
  }

  /** Where the decision point records decisions. */
  public enum DecisionLogMode {
    /** Batched into the {@code policy_decisions} table, plus the in-memory replay window. */
    DATABASE,
    /** Only the in-memory replay window (lost on restart). */
    MEMORY,
    /** Not recorded. */
    OFF
  }

  public enum LogFormat {
    TEXT,
    JSON
  }

  public boolean dev() {
    return mode == Mode.DEV;
  }
}
