package io.maestro.server;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import io.maestro.core.config.MaestroConfig;
import io.maestro.server.extension.WebExtension;
import io.maestro.server.http.ApiRouter;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HeaderDeadline;
import io.maestro.server.http.Problems;
import io.maestro.server.http.Route;
import io.maestro.server.logging.LogSetup;
import io.maestro.server.metrics.MetricsService;
import io.maestro.server.startup.StartupChecks;
import io.maestro.server.startup.StartupFailure;
import io.maestro.server.tracing.Telemetry;
import io.maestro.store.Database;
import io.maestro.store.EmbeddedFiles;
import io.maestro.store.Migrations;
import io.maestro.tenancy.ScopeGuard;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * The server's lifecycle: opens and migrates the database, has {@link Composition} build every
 * module and feature service, serves them over HTTP and stops them in reverse order.
 */
public final class MaestroServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(MaestroServer.class.getName());

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
    return start(config, guard, Clock.systemUTC());
  }

  /**
   * Starts a server whose services read time from {@code clock}. Only tests pass anything but the
   * system clock, to move time forward (retention); it is deliberately not configurable.
   */
  public static MaestroServer start(MaestroConfig config, ScopeGuard guard, Clock clock) {
    LogSetup.configure(config.log());
    requireLoopbackInDevMode(config);
    StartupChecks.portFree(config.server());
    Database database = openDatabase(config);
    // Every service, in start order; those with background work (checkpointer, workers, bundle
    // watcher) are AutoCloseable and stop, last started first, before the pool closes — also when
    // a later service fails to start.
    List<AutoCloseable> started = new ArrayList<>();
    try {
      // Tracing first, so it stops last and flushes the spans of everything stopped before it.
      Telemetry telemetry = Telemetry.start(config.tracing());
      started.add(telemetry);
      database.traceWith(telemetry.tracing());
      StartupChecks.schemaNotNewer(database);
      int applied = Migrations.migrate(database);
      if (applied > 0) {
        LOG.info("applied " + applied + " database migration(s)");
      }
      database.durabilityWarnings().forEach(LOG::warning);
      Composition composition =
          Composition.build(config, database, guard, clock, telemetry.tracing());
      started.addAll(composition.closeables());
      // Modules served here that the server does not depend on (the web console).
      WebExtension.Context extensionContext = new WebExtension.Context(config, database);
      List<WebExtension> extensions = WebExtension.discover();
      List<ApiService> services = new ArrayList<>(composition.services());
      for (WebExtension e : extensions) {
        for (ApiService s : e.services(extensionContext)) {
          services.add(s);
          if (s instanceof AutoCloseable c) {
            started.add(c);
          }
        }
      }
      ApiRouter router = new ApiRouter(services, composition.guard(), telemetry.tracing());
      HeaderDeadline headerDeadline = new HeaderDeadline(config.server().idleTimeout());
      started.add(headerDeadline);
      WebServer web =
          webServer(
                  config.server(),
                  router,
                  composition.metrics(),
                  headerDeadline,
                  r -> extensions.forEach(e -> e.routing(r, extensionContext)),
                  config.database().poolSize())
              .start();
      if (web.port() < 0) {
        // Another process took the port between the probe and the bind.
        web.stop();
        throw new StartupFailure("port " + config.server().port() + " is in use; use --port");
      }
      return new MaestroServer(config, database, router, web, started);
    } catch (RuntimeException e) {
      stopAll(started);
      database.close();
      throw e;
    }
  }

  /** Stops components in reverse start order; one failing does not keep the others running. */
  static void stopAll(List<AutoCloseable> components) {
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
    return webServer(server, router, metrics, headerDeadline, r -> {}, 0);
  }

  /**
   * As above, with {@code pages} adding routes outside the API before the router's own, and
   * state-changing requests bounded by the database pool's size ({@code WriteLane}; 0: unbounded).
   */
  static WebServer webServer(
      MaestroConfig.Server server,
      ApiRouter router,
      MetricsService metrics,
      HeaderDeadline headerDeadline,
      java.util.function.Consumer<io.helidon.webserver.http.HttpRouting.Builder> pages,
      int poolSize) {
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
        // A response's last segment is sent at once: with Nagle's algorithm it waited for the
        // client's delayed acknowledgement of the one before (~40 ms per response larger than
        // the write buffer; the console pages and their API reads).
        .connectionOptions(o -> o.tcpNoDelay(true))
        // HTTP/1.1 only, configured here (a discovered default would shadow this one)
        .protocolsDiscoverServices(false)
        .addProtocol(Http1Config.builder().addReceiveListener(headerDeadline).build())
        .directHandlers(Problems.directHandlers())
        .routing(
            r -> {
              pages.accept(r);
              router.configure(r, metrics, server.maxBodyBytes(), poolSize);
            })
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

  public int port() {
    return web.port();
  }

  public MaestroConfig config() {
    return config;
  }

  public Database database() {
    return database;
  }

  /** The feature service of {@code type}, e.g. to drive its background work in tests. */
  public <T extends ApiService> java.util.Optional<T> service(Class<T> type) {
    return router.service(type);
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
