package io.maestro.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.config.MaestroConfig;
import io.maestro.core.sku.SkuCatalog;
import io.maestro.policy.BundleWatcher;
import io.maestro.policy.DecisionLog;
import io.maestro.policy.DecisionLogEntry;
import io.maestro.policy.DecisionPoint;
import io.maestro.policy.DecisionRecords;
import io.maestro.policy.JdbcDecisionLog;
import io.maestro.policy.PdpSettings;
import io.maestro.policy.RequestResult;
import io.maestro.policy.bundle.Bundle;
import io.maestro.policy.bundle.BundleIO;
import io.maestro.policy.bundle.BundleVerifier;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * The decision point as the server runs it, from the {@code policy.*} keys: the canon bundle with
 * the configured edition, default profile and deadline; an operator's signed bundle activated over
 * it at start and, when asked, watched for new revisions; and the decision log (the database in
 * batches, plus the in-memory window replay reads). It has no routes: it is an {@link ApiService}
 * only so that the server stops its background work (the bundle watcher, then the log writer, which
 * writes what is queued) before the database closes.
 */
public final class PolicyRuntime implements RequestResults, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(PolicyRuntime.class.getName());

  /** Decisions kept per tenant in memory for replay. */
  static final int RECENT_PER_TENANT = 1000;

  private final DecisionPoint pdp;
  private final RecentDecisions recent;
  private final DecisionHistory history;
  private final Optional<JdbcDecisionLog> jdbcLog;
  private final Optional<BundleWatcher> watcher;
  private final MaestroConfig.DecisionLogMode mode;

  private PolicyRuntime(
      DecisionPoint pdp,
      RecentDecisions recent,
      DecisionHistory history,
      Optional<JdbcDecisionLog> jdbcLog,
      Optional<BundleWatcher> watcher,
      MaestroConfig.DecisionLogMode mode) {
    this.mode = mode;
    this.pdp = pdp;
    this.recent = recent;
    this.history = history;
    this.jdbcLog = jdbcLog;
    this.watcher = watcher;
  }

  /**
   * Starts the decision point. Anything that keeps it from deciding as configured (a key file that
   * cannot be read, a custom bundle that fails verification, compilation or the roots check, an
   * unknown default profile) throws an {@link IllegalStateException} whose message is one line
   * naming the key and the reason.
   *
   * @param observer also hears every decision, whatever the decision log mode (metrics)
   */
  public static PolicyRuntime start(
      MaestroConfig.Policy config,
      Database db,
      Clock clock,
      RandomGenerator random,
      DecisionLog observer) {
    PdpSettings settings = settings(config);
    RecentDecisions recent = new RecentDecisions(RECENT_PER_TENANT);
    Optional<JdbcDecisionLog> jdbc =
        config.decisionLog() == MaestroConfig.DecisionLogMode.DATABASE
            ? Optional.of(new JdbcDecisionLog(db, 10_000, Duration.ofMillis(200)))
            : Optional.empty();
    Optional<BundleWatcher> watcher = Optional.empty();
    try {
      DecisionLog log =
          switch (config.decisionLog()) {
            case DATABASE -> DecisionLog.all(recent, attributed(jdbc.orElseThrow()), observer);
            case MEMORY -> DecisionLog.all(recent, observer);
            case OFF -> observer;
          };
      DecisionPoint pdp = DecisionPoint.startCanon(settings, clock, random, log);
      config.bundlePath().ifPresent(path -> activate(pdp, path));
      requireProfiles(pdp, settings);
      if (config.bundlePath().isPresent() && !config.bundlePoll().isZero()) {
        watcher =
            Optional.of(
                new BundleWatcher(pdp, config.bundlePath().get()).start(config.bundlePoll()));
      }
      DecisionHistory history =
          switch (config.decisionLog()) {
            case DATABASE -> new Persisted(db, recent);
            case MEMORY -> recent;
            case OFF -> DecisionHistory.NONE;
          };
      LOG.info(
          () ->
              "policy: edition "
                  + settings.edition()
                  + ", default profile "
                  + settings.defaultProfile()
                  + ", bundle "
                  + pdp.active().revision()
                  + ", decision log "
                  + config.decisionLog().name().toLowerCase(java.util.Locale.ROOT));
      return new PolicyRuntime(pdp, recent, history, jdbc, watcher, config.decisionLog());
    } catch (RuntimeException e) {
      watcher.ifPresent(BundleWatcher::close);
      jdbc.ifPresent(JdbcDecisionLog::close);
      throw e;
    }
  }

  /**
   * Files each decision under the tenant that asked (the tenant whose profile governed it, as the
   * in-memory window does), not under the tenant of the resource: an attempt by tenant B on tenant
   * A's resource names B's actor, roles and quotas, which A must not read; B's denial receipt is in
   * B's log for the same reason. Decisions without a governing tenant keep the decision point's
   * attribution.
   */
  private static DecisionLog attributed(DecisionLog log) {
    return entry -> {
      JsonNode tenant =
          entry.maskedInput() == null ? null : entry.maskedInput().path("tenant").path("id");
      log.record(
          tenant != null && tenant.isTextual()
              ? new DecisionLogEntry(
                  entry.decision(),
                  Optional.of(tenant.asText()),
                  entry.bundles(),
                  entry.maskedInput(),
                  entry.erased(),
                  entry.masked(),
                  entry.evaluation())
              : entry);
    };
  }

  /**
   * Records how the request decided by {@code decision} was answered, filed under the same tenant
   * as the decision (the tenant that asked, as {@link #attributed} files it): in the database with
   * the decision log's next batch, and in the in-memory window. Nothing with {@code off}.
   */
  @Override
  public void record(Decision decision, Optional<String> asked, String resourceTenant, int status) {
    if (mode == MaestroConfig.DecisionLogMode.OFF) {
      return;
    }
    String filed = asked.orElse(resourceTenant == null ? DecisionRecords.PLATFORM : resourceTenant);
    jdbcLog.ifPresent(l -> l.recordResult(new RequestResult(filed, decision.id(), status)));
    recent.recordResult(asked.orElse(RecentDecisions.PLATFORM), decision.id(), status);
  }

  static PdpSettings settings(MaestroConfig.Policy config) {
    Optional<BundleVerifier.Config> trust = Optional.empty();
    if (!config.bundleKeys().isEmpty()) {
      try {
        trust =
            Optional.of(
                BundleVerifier.Config.fromPemFiles(config.bundleKeys(), config.bundleScope()));
      } catch (RuntimeException e) {
        throw new IllegalStateException("policy.bundle.keys: " + oneLine(e));
      }
    }
    PdpSettings settings =
        new PdpSettings(config.defaultProfile(), config.edition(), config.deadline(), trust);
    // A configured SKU's feature gates go into every input (ADR 0026); none: no gates.
    return config.sku().isEmpty()
        ? settings
        : settings.withSku(SkuCatalog.shipped().select(config.edition(), config.sku()));
  }

  /** Activates the operator's bundle over the canon one; it must verify, compile and fit. */
  private static void activate(DecisionPoint pdp, Path path) {
    try {
      Bundle bundle = BundleIO.read(path);
      pdp.activate(bundle);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "policy.bundle.path: " + path + " was not activated: " + oneLine(e));
    }
  }

  /** The configured default profile and the edition's governance profile must both exist. */
  private static void requireProfiles(DecisionPoint pdp, PdpSettings settings) {
    if (!isTenantProfile(pdp, settings.defaultProfile())) {
      throw new IllegalStateException(
          "policy.defaultProfile: no tenant profile named '"
              + settings.defaultProfile()
              + "' in policy bundle "
              + pdp.active().revision()
              + " (known: "
              + String.join(", ", tenantProfiles(pdp))
              + ")");
    }
    JsonNode governance =
        pdp.active()
            .bundle()
            .data()
            .path("maestro")
            .path("profiles")
            .path(settings.governanceProfile());
    if (!governance.isObject()) {
      throw new IllegalStateException(
          "policy.edition: policy bundle "
              + pdp.active().revision()
              + " has no governance profile "
              + settings.governanceProfile());
    }
  }

  static List<String> tenantProfiles(DecisionPoint pdp) {
    List<String> names = new ArrayList<>();
    pdp.active()
        .bundle()
        .data()
        .path("maestro")
        .path("profiles")
        .fieldNames()
        .forEachRemaining(
            n -> {
              if (isTenantProfile(pdp, n)) {
                names.add(n);
              }
            });
    names.sort(null);
    return names;
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }

  public DecisionPoint pdp() {
    return pdp;
  }

  /** The in-memory window (kept whatever the log mode, except {@code off}). */
  public RecentDecisions recent() {
    return recent;
  }

  /** Where replay reads recent decisions. */
  public DecisionHistory history() {
    return history;
  }

  /** The database log when decisions are persisted. */
  public Optional<JdbcDecisionLog> databaseLog() {
    return jdbcLog;
  }

  public Optional<BundleWatcher> watcher() {
    return watcher;
  }

  /** Stops hot reload, then writes the queued decisions. */
  @Override
  public void close() {
    watcher.ifPresent(BundleWatcher::close);
    jdbcLog.ifPresent(JdbcDecisionLog::close);
  }

  /**
   * Replay over the {@code policy_decisions} table, topped up with the in-memory window for the
   * decisions the batch writer has not written yet.
   */
  private record Persisted(Database db, RecentDecisions recent) implements DecisionHistory {
    /** Simulations are in the table too; read this many more rows so enough remain. */
    private static final int OVERFETCH = 4;

    @Override
    public List<Past> last(String tenant, int limit) {
      List<ObjectNode> rows =
          db.inTransaction(
              TenantScope.of(TenantId.of(tenant)),
              tx -> DecisionRecords.recent(tx, tenant, limit * OVERFETCH));
      Map<String, Past> byId = new LinkedHashMap<>();
      for (ObjectNode row : rows) {
        Past p =
            new Past(
                row.path("decision_id").asText(),
                Instant.parse(row.path("timestamp").asText()),
                row.get("input"),
                row.path("result"));
        if (!p.simulation()) {
          byId.put(p.id(), p);
        }
      }
      recent.last(tenant, limit).forEach(p -> byId.putIfAbsent(p.id(), p));
      return byId.values().stream()
          .sorted(Comparator.comparing(Past::time).thenComparing(Past::id).reversed())
          .limit(limit)
          .toList();
    }
  }

  /** A tenant profile is a profile in the active bundle whose kind is not a governance profile. */
  public static boolean isTenantProfile(DecisionPoint pdp, String profile) {
    if (pdp.active() == null) {
      return false;
    }
    JsonNode p = pdp.active().bundle().data().path("maestro").path("profiles").path(profile);
    return p.isObject() && !"GovernanceProfile".equals(p.path("kind").asText());
  }
}
