package io.maestro.server;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import io.maestro.core.config.MaestroConfig;
import io.maestro.engine.run.RunQueries;
import io.maestro.governance.Controls;
import io.maestro.metering.Metering;
import io.maestro.provenance.LogIntegrity;
import io.maestro.server.auth.PolicyRuntime;
import io.maestro.server.engine.EngineService;
import io.maestro.server.governance.ControlFacts;
import io.maestro.server.governance.GovernanceService;
import io.maestro.server.health.HealthService;
import io.maestro.server.health.ReadinessCheck;
import io.maestro.server.http.ApiRouter;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HeaderDeadline;
import io.maestro.server.http.Problems;
import io.maestro.server.http.Route;
import io.maestro.server.logging.LogSetup;
import io.maestro.server.metering.BudgetService;
import io.maestro.server.metering.CostObserver;
import io.maestro.server.metering.MeteringService;
import io.maestro.server.metering.RunCostAdmission;
import io.maestro.server.metering.TenantBudgets;
import io.maestro.server.metrics.DomainMetrics;
import io.maestro.server.metrics.MetricsService;
import io.maestro.server.openapi.OpenApiService;
import io.maestro.server.policy.PolicyCatalogService;
import io.maestro.server.provenance.ProvenanceService;
import io.maestro.server.startup.StartupChecks;
import io.maestro.server.startup.StartupFailure;
import io.maestro.server.tenancy.ModuleUsage;
import io.maestro.store.Database;
import io.maestro.store.EmbeddedFiles;
import io.maestro.store.Migrations;
import io.maestro.tenancy.ScopeGuard;
import io.micrometer.core.instrument.FunctionCounter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * The composition root: opens the database, applies migrations, builds every feature's {@link
 * ApiService} and serves them. Everything the server runs is wired here, in one place, and nowhere
 * else.
 */
public final class MaestroServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(MaestroServer.class.getName());

  /** Tenants that get their own label on /metrics; later ones are counted as {@code other}. */
  static final int TENANT_LABELS = 100;

  private final MaestroConfig config;
  private final Database database;
  private final ApiRouter router;
  private final WebServer web;
  private final List<AutoCloseable> components;
  private final AtomicBoolean closed = new AtomicBoolean();

  private MaestroServer(
      MaestroConfig config,
      Database database,
      ApiRouter router,
      WebServer web,
      List<AutoCloseable> components) {
    this.config = config;
    this.database = database;
    this.router = router;
    this.web = web;
    this.components = List.copyOf(components);
  }

  /** Starts a server; returns once it accepts connections. */
  public static MaestroServer start(MaestroConfig config) {
    return start(config, ScopeGuard.ENFORCING);
  }

  /**
   * Starts a server with the given code-level tenant check. Only the isolation suite passes
   * anything but {@link ScopeGuard#ENFORCING}, to prove that row-level security alone holds; it is
   * deliberately not a configuration key, so no deployment can switch the check off.
   */
  public static MaestroServer start(MaestroConfig config, ScopeGuard guard) {
    LogSetup.configure(config.log());
    requireLoopbackInDevMode(config);
    StartupChecks.portFree(config.server());
    Database database = openDatabase(config);
    // Every service, in start order; those with background work (checkpointer, workers, bundle
    // watcher) are AutoCloseable and stop, last started first, before the pool closes — also when
    // a later service fails to start.
    List<ApiService> services = new ArrayList<>();
    // Components with background work that serve no routes (the policy runtime's hot reload and
    // decision log writer), stopped after the services.
    List<AutoCloseable> components = new ArrayList<>();
    try {
      StartupChecks.schemaNotNewer(database);
      int applied = Migrations.migrate(database);
      if (applied > 0) {
        LOG.info("applied " + applied + " database migration(s)");
      }
      database.durabilityWarnings().forEach(LOG::warning);
      MetricsService metrics = new MetricsService();
      database.pool().setMetricRegistry(metrics.registry());
      services.add(metrics);
      services.add(new OpenApiService());

      ProvenanceService provenance = ProvenanceService.start(config, database);
      services.add(provenance);
      // The alert for a log that does not verify: maestro_log_integrity_violations_total.
      FunctionCounter.builder(
              "maestro.log.integrity.violations",
              provenance.provenance().log().integrity(),
              LogIntegrity::violations)
          .description("Receipt logs found not to verify (edited or missing rows, forked trees)")
          .register(metrics.registry());
      services.add(new HealthService(List.of(databaseCheck(database), provenance.signerCheck())));
      DomainMetrics domain = new DomainMetrics(metrics.registry(), TENANT_LABELS);
      domain.bindCheckpointer(provenance.provenance().checkpointer(), Clock.systemUTC());
      domain.bindReceipts(provenance.provenance());

      // feature services
      // Authentication, the policy gate and tenancy; their receipts go through provenance's writer.
      Clock clock = Clock.systemUTC();
      // Ramps, kill switches, freezes and break-glass: every policy input carries them.
      Controls controls =
          new Controls(
              database,
              provenance.provenance().receipts(),
              clock,
              RandomGenerator.of("L64X128MixRandom"));
      components.add(controls);
      controls.listen();
      Metering metering = Metering.standard();
      TenantBudgets budgets = new TenantBudgets(database, metering, clock);
      PolicyRuntime policy =
          PolicyRuntime.start(
              config.policy(),
              database,
              clock,
              RandomGenerator.of("L64X128MixRandom"),
              domain.policyObserver());
      components.add(policy);
      Governance governance =
          Governance.start(
              config,
              database,
              provenance.provenance().receipts(),
              policy,
              new ModuleUsage(
                  database, RunQueries.on(database), provenance.provenance().log(), clock),
              budgets,
              clock,
              guard,
              new ControlFacts(controls));
      services.addAll(governance.services());
      services.add(new PolicyCatalogService(governance.pdp()));
      CostObserver costs = domain.costObserver();
      RunCostAdmission admission =
          new RunCostAdmission(
              database, metering, governance.pdp(), governance.denials(), governance.gate(), costs);
      services.add(new MeteringService(database, metering, provenance.provenance().receipts()));
      // Billing webhooks: loopback and private endpoints only in dev mode (the SSRF guard).
      io.maestro.metering.webhooks.Webhooks webhooks =
          new io.maestro.metering.webhooks.Webhooks(
              metering,
              provenance.provenance().receipts(),
              new io.maestro.metering.webhooks.EndpointGuard(config.dev()),
              io.maestro.metering.webhooks.WebhookSettings.defaults(),
              java.time.Clock.systemUTC());
      services.add(
          new io.maestro.server.metering.WebhookService(
              database,
              webhooks,
              new io.maestro.metering.webhooks.WebhookDispatcher(database, webhooks)
                  .start(java.time.Duration.ofSeconds(1))));
      EngineService engine =
          EngineService.start(
              config,
              database,
              provenance.provenance(),
              EngineService.workerSettings(config.engine()),
              EngineService.httpSettings(config.engine()),
              io.maestro.server.engine.RunAdmissions.decisionLog(governance.policy(), database),
              // Each tenant's quotas, read in their own short transaction.
              tenant ->
                  governance
                      .tenants()
                      .find(io.maestro.store.TenantScope.of(tenant), tenant)
                      .map(t -> t.quotas()),
              metering,
              java.util.Optional.of(admission),
              costs,
              domain::observeSteps);
      services.add(engine);
      services.add(new GovernanceService(controls, engine.engine(), clock, Duration.ofSeconds(5)));
      services.add(
          new BudgetService(
              database,
              metering,
              budgets,
              governance.directory(),
              engine.engine().registry(),
              provenance.provenance().receipts(),
              java.time.Clock.systemUTC()));
      domain.bindEngine(engine.engine().runs(), engine.engine().queue());
      // Dual-control purges: the owning modules delete through their own APIs.
      services.add(
          io.maestro.server.lifecycle.LifecycleWiring.purgeService(
              io.maestro.server.lifecycle.LifecycleWiring.purges(
                  database, provenance.provenance(), engine.engine(), metering, clock),
              clock));

      ApiRouter router = new ApiRouter(services, governance.guard());
      HeaderDeadline headerDeadline = new HeaderDeadline(config.server().idleTimeout());
      components.add(headerDeadline);
      WebServer web = webServer(config.server(), router, metrics, headerDeadline).start();
      if (web.port() < 0) {
        // Another process took the port between the probe and the bind.
        web.stop();
        throw new StartupFailure("port " + config.server().port() + " is in use; use --port");
      }
      return new MaestroServer(config, database, router, web, closeables(components, services));
    } catch (RuntimeException e) {
      stopAll(closeables(components, services));
      database.close();
      throw e;
    }
  }

  /** The components, then the closeable services: {@link #stopAll} stops services first. */
  private static List<AutoCloseable> closeables(
      List<AutoCloseable> components, List<ApiService> services) {
    List<AutoCloseable> all = new ArrayList<>(components);
    services.stream()
        .filter(s -> s instanceof AutoCloseable)
        .map(s -> (AutoCloseable) s)
        .forEach(all::add);
    return all;
  }

  /** Stops components in reverse start order; one failing does not keep the others running. */
  private static void stopAll(List<AutoCloseable> components) {
    for (AutoCloseable c : components.reversed()) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warning("stopping " + c.getClass().getSimpleName() + " failed: " + e.getMessage());
      }
    }
  }

  /**
   * Dev mode's token issuer mints any tenant and role, so a dev server binds loopback only unless
   * {@code server.devAllowRemote} says otherwise.
   */
  static void requireLoopbackInDevMode(MaestroConfig config) {
    if (!config.dev() || config.server().devAllowRemote()) {
      return;
    }
    String host = config.server().host();
    boolean loopback;
    try {
      loopback = InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      loopback = false;
    }
    if (!loopback) {
      throw new IllegalStateException(
          "dev mode binds loopback only and "
              + host
              + " is not a loopback address: use --prod with an OIDC provider, or pass"
              + " --dev-allow-remote (server.devAllowRemote) on a throwaway machine");
    }
  }

  /**
   * The web server for {@code router}. On stop it refuses new connections and gives in-flight
   * requests up to {@code server.shutdownGraceSeconds} to finish. Idle connections and those
   * stalled in their request line or headers are closed after {@code server.idleTimeoutSeconds},
   * and one whose client sent {@code Connection: close} right after its response; at most {@code
   * server.maxConnections} are served at once, the rest wait unaccepted; requests Helidon refuses
   * before routing (a request line or headers too long, a malformed prologue) get a problem
   * document like every other error.
   */
  static WebServer webServer(
      MaestroConfig.Server server,
      ApiRouter router,
      MetricsService metrics,
      HeaderDeadline headerDeadline) {
    Duration idle = server.idleTimeout();
    return WebServer.builder()
        .host(server.host())
        .port(server.port())
        .shutdownHook(false)
        .shutdownGracePeriod(server.shutdownGrace())
        .idleConnectionTimeout(idle)
        .idleConnectionPeriod(
            Duration.ofMillis(Math.max(100, Math.min(idle.toMillis() / 3, 5_000))))
        .maxTcpConnections(server.maxConnections())
        // HTTP/1.1 only, configured here (a discovered default would shadow this one)
        .protocolsDiscoverServices(false)
        .addProtocol(Http1Config.builder().addReceiveListener(headerDeadline).build())
        .directHandlers(Problems.directHandlers())
        .routing(r -> router.configure(r, metrics, server.maxBodyBytes()))
        .build();
  }

  /** Opens (without migrating) the configured database, creating the embedded one if needed. */
  public static Database openDatabase(MaestroConfig config) {
    MaestroConfig.Database db = config.database();
    String url = db.url();
    StartupChecks.dataDirUsable(config.dataDir());
    if (url.isEmpty()) {
      StartupChecks.dataDirUsable(config.dataDir().resolve("db"));
      EmbeddedFiles.prepare(config.dataDir());
      url = Database.embeddedUrl(config.dataDir());
    }
    String jdbcUrl = url;
    return StartupChecks.connect(
        Database.displayUrl(url),
        () ->
            Database.open(
                jdbcUrl, db.user(), db.password(), db.poolSize(), db.schema(), db.rlsRole()));
  }

  private static ReadinessCheck databaseCheck(Database database) {
    return new ReadinessCheck() {
      @Override
      public String name() {
        return "database";
      }

      @Override
      public Optional<String> problem() {
        return database.ping() ? Optional.empty() : Optional.of("database unreachable");
      }
    };
  }

  public int port() {
    return web.port();
  }

  public MaestroConfig config() {
    return config;
  }

  public Database database() {
    return database;
  }

  /** Every route the server serves, as declared by the feature services. */
  public List<Route> routes() {
    return router.routes();
  }

  /** One line for people: where the server listens, on which database, in which mode. */
  public String describe() {
    return "Maestro Conductor listening on http://"
        + config.server().host()
        + ":"
        + port()
        + " — database "
        + database.dialect().name().toLowerCase(java.util.Locale.ROOT)
        + " ("
        + database.displayUrl()
        + ") — "
        + config.mode().name().toLowerCase(java.util.Locale.ROOT)
        + " mode"
        + (config.dev()
            ? " (DEV MODE: POST /api/dev/token mints a token for any tenant and role, including"
                + " conductor_admin, to any caller on this machine; never expose it)"
            : "");
  }

  /**
   * Stops accepting connections, lets in-flight requests finish within the configured grace period,
   * stops the services' background work (last started, first stopped), then closes the database
   * pool. Safe to call more than once.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    LOG.info("shutting down: draining in-flight requests");
    Duration grace = config.server().shutdownGrace();
    Thread stopper = Thread.ofVirtual().start(web::stop);
    try {
      stopper.join(grace.plusSeconds(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stopAll(components);
    database.close();
  }
}
