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
    Sandbox sandbox) {

  public MaestroConfig {
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
      DecisionLogMode decisionLog) {
    public Policy {
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
   */
  public record Engine(
      int workers,
      Duration lease,
      Duration poll,
      List<String> httpAllowedHosts,
      int httpMaxResponseBytes,
      long logCapBytes) {
    public Engine {
      Objects.requireNonNull(lease);
      Objects.requireNonNull(poll);
      httpAllowedHosts = List.copyOf(httpAllowedHosts);
    }
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
