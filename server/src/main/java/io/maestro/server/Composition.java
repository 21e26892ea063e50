package io.maestro.server;

import io.maestro.core.config.MaestroConfig;
import io.maestro.core.trace.Tracing;
import io.maestro.engine.Engine;
import io.maestro.engine.run.RunQueries;
import io.maestro.engine.sandbox.Sandbox;
import io.maestro.engine.sandbox.SandboxAvailability;
import io.maestro.engine.sandbox.SandboxLimits;
import io.maestro.engine.task.Secrets;
import io.maestro.engine.task.builtin.CoreExecutors;
import io.maestro.engine.task.builtin.ExecExecutor;
import io.maestro.evidence.Evidence;
import io.maestro.governance.Controls;
import io.maestro.governance.slo.SloSet;
import io.maestro.lifecycle.retention.Retention;
import io.maestro.metering.Metering;
import io.maestro.metering.RollupFolder;
import io.maestro.metering.webhooks.EndpointGuard;
import io.maestro.metering.webhooks.WebhookDispatcher;
import io.maestro.metering.webhooks.WebhookSettings;
import io.maestro.metering.webhooks.Webhooks;
import io.maestro.policy.DecisionPoint;
import io.maestro.provenance.CheckpointWitness;
import io.maestro.provenance.KeyRing;
import io.maestro.provenance.LogIntegrity;
import io.maestro.provenance.Provenance;
import io.maestro.provenance.ProvenanceSettings;
import io.maestro.provenance.keys.FileKeyStore;
import io.maestro.provenance.keys.PublicKeyInfo;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.packages.PackageCatalog;
import io.maestro.provenance.packages.PackagePublishers;
import io.maestro.server.auth.PolicyRuntime;
import io.maestro.server.chaos.ChaosService;
import io.maestro.server.chaos.DbRestart;
import io.maestro.server.chaos.ExportThrottle;
import io.maestro.server.chaos.Faults;
import io.maestro.server.engine.EngineService;
import io.maestro.server.engine.EngineSettings;
import io.maestro.server.engine.MeteredReceipts;
import io.maestro.server.engine.PackageInstaller;
import io.maestro.server.engine.PackageService;
import io.maestro.server.engine.RunAdmissions;
import io.maestro.server.engine.TenantQuotas;
import io.maestro.server.evidence.DisclosureService;
import io.maestro.server.evidence.EvidenceWiring;
import io.maestro.server.evidence.ResidencyWiring;
import io.maestro.server.governance.ControlFacts;
import io.maestro.server.governance.GovernanceService;
import io.maestro.server.governance.IncidentService;
import io.maestro.server.governance.IncidentWebhooks;
import io.maestro.server.governance.RollbackController;
import io.maestro.server.governance.RunPauses;
import io.maestro.server.governance.SloFiles;
import io.maestro.server.governance.SloGauges;
import io.maestro.server.governance.SloService;
import io.maestro.server.governance.ThrottleService;
import io.maestro.server.health.HealthService;
import io.maestro.server.health.ReadinessCheck;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.RouteGuard;
import io.maestro.server.lifecycle.HealthBundleService;
import io.maestro.server.lifecycle.ImpersonationService;
import io.maestro.server.lifecycle.LifecycleWiring;
import io.maestro.server.metering.BudgetService;
import io.maestro.server.metering.CostObserver;
import io.maestro.server.metering.MeteringService;
import io.maestro.server.metering.ReceiptMeter;
import io.maestro.server.metering.RunCostAdmission;
import io.maestro.server.metering.TenantBudgets;
import io.maestro.server.metering.WebhookService;
import io.maestro.server.metrics.DomainMetrics;
import io.maestro.server.metrics.MetricsService;
import io.maestro.server.openapi.OpenApiService;
import io.maestro.server.packages.DefaultCatalog;
import io.maestro.server.packages.PackageCatalogService;
import io.maestro.server.policy.PolicyCatalogService;
import io.maestro.server.provenance.ProvenanceService;
import io.maestro.server.schedule.ScheduleWiring;
import io.maestro.server.tenancy.BrandService;
import io.maestro.server.tenancy.DevTokens;
import io.maestro.server.tenancy.ModuleUsage;
import io.maestro.server.tenancy.SimulationService;
import io.maestro.server.tenancy.TenancyService;
import io.maestro.server.worker.WorkerService;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.tenancy.ScopeGuard;
import io.micrometer.core.instrument.FunctionCounter;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * Builds every module and feature service the server runs from its configuration, in start order.
 * This is the one place where modules meet: each service receives its collaborators built here and
 * builds none of its own. {@link MaestroServer} owns the lifecycle (database, HTTP, shutdown).
 */
final class Composition {
  private static final Logger LOG = Logger.getLogger(Composition.class.getName());

  /** Tenants that get their own label on /metrics; later ones are counted as {@code other}. */
  static final int TENANT_LABELS = 100;

  private final MaestroConfig config;
  private final Database db;
  private final Clock clock;
  private final Tracing tracing;

  /** Services in start order; those with background work are AutoCloseable. */
  private final List<ApiService> services = new ArrayList<>();

  /** Background work that serves no routes (policy hot reload and decision log, control NOTIFY). */
  private final List<AutoCloseable> components = new ArrayList<>();

  private MetricsService metrics;
  private RouteGuard guard;

  private Composition(MaestroConfig config, Database db, Clock clock, Tracing tracing) {
    this.config = config;
    this.db = db;
    this.clock = clock;
    this.tracing = tracing;
  }

  /**
   * Builds every service on a migrated database. On failure it stops what it started and rethrows;
   * the caller still owns (and closes) the database.
   *
   * @param scopeGuard {@link ScopeGuard#ENFORCING} except in the isolation suite's RLS-only run
   * @param clock the system clock except in tests that move time (retention)
   * @param tracing spans for policy decisions and step attempts ({@link Tracing#off()} unless
   *     {@code tracing.enabled})
   */
  static Composition build(
      MaestroConfig config, Database db, ScopeGuard scopeGuard, Clock clock, Tracing tracing) {
    Composition c = new Composition(config, db, clock, tracing);
    try {
      c.wire(scopeGuard);
      return c;
    } catch (RuntimeException e) {
      MaestroServer.stopAll(c.closeables());
      throw e;
    }
  }

  private void wire(ScopeGuard scopeGuard) {
    metrics = new MetricsService();
    db.pool().setMetricRegistry(metrics.registry());
    services.add(metrics);
    services.add(new OpenApiService());

    // Receipts: every module appends through provenance's one writer.
    Provenance provenance = provenance();
    ProvenanceService provenanceService = new ProvenanceService(db, provenance);
    services.add(provenanceService); // it stops the checkpointer
    // The alert for a log that does not verify: maestro_log_integrity_violations_total.
    FunctionCounter.builder(
            "maestro.log.integrity.violations",
            provenance.log().integrity(),
            LogIntegrity::violations)
        .description("Receipt logs found not to verify (edited or missing rows, forked trees)")
        .register(metrics.registry());
    services.add(new HealthService(List.of(databaseCheck(), provenanceService.signerCheck())));
    DomainMetrics domain = new DomainMetrics(metrics.registry(), TENANT_LABELS);
    domain.bindCheckpointer(provenance.checkpointer(), clock);
    domain.bindReceipts(provenance);

    // Ramps, kill switches, freezes and break-glass: every policy input carries them.
    Controls controls =
        new Controls(db, provenance.receipts(), clock, RandomGenerator.of("L64X128MixRandom"));
    components.add(controls);
    controls.listen();

    // Identity, the policy gate and tenancy.
    Metering metering = Metering.standard();
    TenantBudgets budgets = new TenantBudgets(db, metering, clock);
    PolicyRuntime policy =
        PolicyRuntime.start(
            config.policy(),
            db,
            clock,
            RandomGenerator.of("L64X128MixRandom"),
            domain.policyObserver());
    policy.pdp().traceWith(tracing);
    components.add(policy);
    ModuleUsage usage = new ModuleUsage(db, RunQueries.on(db), provenance.log(), clock);
    Governance governance =
        Governance.start(
            config,
            db,
            provenance.receipts(),
            policy,
            usage,
            budgets,
            clock,
            scopeGuard,
            new ControlFacts(controls));
    guard = governance.guard();
    services.addAll(tenancy(governance, clock));
    services.add(new PolicyCatalogService(governance.pdp()));
    // Fault injection for chaos drills: off unless configured (ADR 0039).
    ExportThrottle exportThrottle = new ExportThrottle(clock);
    services.add(
        new ChaosService(
            new Faults(
                config.chaos(),
                config.mode(),
                provenance.keys(),
                governance.pdp(),
                exportThrottle,
                new DbRestart(config.chaos().dbRestartCommand(), db, clock),
                clock),
            db,
            provenance.receipts(),
            clock));

    // Metering: usage, estimates and budgets, billing webhooks. Every receipt appended outside the
    // engine is metered in its own transaction.
    ReceiptMeter meter = new ReceiptMeter(metering);
    provenance.receipts().onAppend(meter);
    CostObserver costs = domain.costObserver();
    RunCostAdmission admission =
        new RunCostAdmission(
            db, metering, governance.pdp(), governance.denials(), governance.gate(), costs, clock);
    services.add(new MeteringService(db, metering, provenance.receipts()));
    // Recorded amounts are folded into the rollups off the actions' path (ADR 0033).
    RollupFolder folder = new RollupFolder(db, metering, Duration.ofMillis(500));
    folder.start();
    components.add(folder);
    // Loopback and private endpoints only in dev mode (the SSRF guard).
    Webhooks webhooks =
        new Webhooks(
            metering,
            provenance.receipts(),
            new EndpointGuard(config.dev()),
            WebhookSettings.defaults(),
            clock);
    services.add(
        new WebhookService(
            db, webhooks, new WebhookDispatcher(db, webhooks).start(Duration.ofSeconds(1))));
    // Incident steps reach the same endpoints (incident_* event types), queued with the receipt.
    IncidentWebhooks incidentHooks = new IncidentWebhooks(webhooks);
    provenance
        .receipts()
        .onAppend(
            (tx, appended) -> {
              meter.appended(tx, appended);
              incidentHooks.appended(tx, appended);
            });

    // The engine: workflows, runs and the worker pool.
    // Workers apply each tenant's storage quota and sandbox ceilings from its tenancy record.
    TenantQuotas quotas = new TenantQuotas(governance.tenants(), clock, Duration.ofSeconds(1));
    EngineService engine =
        engine(
            new MeteredReceipts(
                provenance.receipts(), metering, Optional.of(admission), costs, clock),
            domain,
            quotas,
            new RunAdmissions(RunAdmissions.decisionLog(governance.policy(), db)),
            admission);
    services.add(engine);
    services.add(new WorkerService(engine.engine().externalTasks(), tracing));
    services.addAll(packages(engine, provenance));
    // Schedules and webhook triggers start runs on the same governed path as POST /api/runs.
    services.addAll(ScheduleWiring.services(engine, governance.gate(), config.schedules(), clock));
    RunPauses pauses =
        new RunPauses(controls, engine.engine(), governance.pdp(), governance.directory());
    services.add(
        new GovernanceService(controls, engine.engine(), pauses, clock, Duration.ofSeconds(5)));
    services.add(new IncidentService(controls.incidents()));
    services.add(new ThrottleService(controls.throttles()));
    SloSet slos =
        config.governance().sloFile().isPresent()
            ? SloFiles.read(config.governance().sloFile().get())
            : SloSet.forEdition(config.policy().edition());
    SloService sloService = new SloService(slos, engine.engine().runs(), clock);
    services.add(sloService);
    // mc_slo_* series for the first TENANT_LABELS tenants.
    components.add(
        new SloGauges(
                metrics.registry(),
                slos,
                engine.engine().runs(),
                () ->
                    governance.tenants().list(TenantScope.platform(), TENANT_LABELS, "").stream()
                        .map(t -> t.id())
                        .toList(),
                TENANT_LABELS,
                clock,
                config.governance().sloEvaluationInterval())
            .start());
    components.add(
        new RollbackController(
                controls,
                engine.engine().runs(),
                governance.pdp(),
                governance.directory(),
                config.governance(),
                slos,
                t -> usage.usage(t).receiptBacklog(),
                pauses,
                clock)
            .start());
    services.add(
        new BudgetService(
            db,
            metering,
            budgets,
            governance.directory(),
            engine.engine().registry(),
            provenance.receipts(),
            clock));
    // Evidence: disclosure packs and the control catalog.
    Evidence evidence =
        EvidenceWiring.evidence(
            config, db, provenance, engine.engine(), governance.tenants(), metering, clock);
    evidence.store().throttle(exportThrottle);
    services.add(new DisclosureService(evidence));
    services.add(EvidenceWiring.compliance(db, provenance, clock));
    services.add(EvidenceWiring.bundles(config, db, provenance, governance.policy()));
    services.add(
        EvidenceWiring.packs(
            config,
            db,
            provenance,
            governance.pdp(),
            governance.directory(),
            sloService,
            controls.incidents(),
            clock));
    services.add(
        ResidencyWiring.service(
            config,
            db,
            provenance,
            engine.engine(),
            governance.tenants(),
            metrics.registry(),
            clock));
    // Retention and dual-control purges: the owning modules delete through their own APIs; a
    // legal hold stops both.
    Retention retention =
        LifecycleWiring.retention(
            db,
            provenance,
            engine.engine(),
            metering,
            evidence,
            config,
            governance.pdp(),
            governance.directory(),
            clock);
    services.add(LifecycleWiring.retentionService(retention, governance.tenants(), config, clock));
    services.add(new io.maestro.server.lifecycle.DrillService(db, provenance));
    services.add(
        LifecycleWiring.purgeService(
            LifecycleWiring.purges(db, provenance, engine.engine(), metering, clock),
            retention,
            clock));
    // Support impersonation (ADR 0044): the authenticator resolves sessions; these are the routes
    // and the sweep that ends sessions at their time box.
    services.add(
        new ImpersonationService(
            governance.impersonations(), governance.directory(), clock, Duration.ofSeconds(1)));
    services.add(
        new HealthBundleService(
            config,
            db,
            provenance.receipts(),
            governance.directory(),
            usage,
            RunQueries.on(db),
            governance.pdp(),
            clock));
    domain.bindEngine(engine.engine().runs(), engine.engine().queue());
  }

  /**
   * The tenancy, whoami, simulation, dev-token, demo-tenant and brand endpoints over {@code
   * governance}.
   */
  static List<ApiService> tenancy(Governance governance, Clock clock) {
    DecisionPoint pdp = governance.pdp();
    return List.of(
        new TenancyService(
            governance.tenants(),
            governance.usage(),
            governance.denials(),
            pdp,
            governance.budgets()),
        new SimulationService(
            pdp,
            governance.directory(),
            governance.policy().history(),
            p -> PolicyRuntime.isTenantProfile(pdp, p)),
        new DevTokens(governance.devIssuer(), governance.tenants(), pdp, clock),
        new io.maestro.server.demo.DemoService(
            governance.tenants(), governance.devIssuer().isEmpty()),
        new io.maestro.server.tenancy.ScimService(
            new io.maestro.tenancy.scim.ScimAccounts(
                governance.tenants().database(), governance.tenants(), clock)),
        new BrandService(governance.brands()));
  }

  /**
   * Workflow packages (ADR 0038, 0046): publishing a package's workflows, the catalog and the
   * publisher keys each tenant trusts besides the installation's ({@code packages.trustedKeys} and
   * the default catalog's own key, under {@code <dataDir>/catalog-keys}).
   */
  private List<ApiService> packages(EngineService engine, Provenance provenance) {
    KeyRing catalogKeys =
        KeyRing.open(
            new FileKeyStore(config.dataDir().resolve("catalog-keys")),
            "maestro-catalog",
            clock,
            new SecureRandom());
    DefaultCatalog defaults =
        new DefaultCatalog(
            catalogKeys, "maestro-server@" + config.provenance().origin(), clock.instant());
    TrustedKeys configured = PackageService.publishers(config.provenance().packageKeys());
    PackagePublishers publishers =
        new PackagePublishers(
            db,
            provenance.receipts(),
            () -> {
              List<PublicKeyInfo> keys = new ArrayList<>(configured.keys());
              keys.addAll(defaults.publicKeys().keys());
              return TrustedKeys.of(keys);
            },
            clock);
    PackageInstaller installer = new PackageInstaller(engine);
    return List.of(
        new PackageService(installer, publishers),
        new PackageCatalogService(
            new PackageCatalog(db, provenance.receipts(), clock), publishers, defaults, installer));
  }

  /**
   * Provenance with keys under {@code <dataDir>/keys}, origin and checkpoint cadence from the
   * {@code provenance.*} keys, checked against its witness and checkpointing.
   */
  private Provenance provenance() {
    SecureRandom random = new SecureRandom();
    MaestroConfig.Provenance settings = config.provenance();
    Provenance p =
        Provenance.open(
            db,
            new ProvenanceSettings(
                settings.origin(),
                settings.checkpointInterval(),
                settings.checkpointEveryReceipts()),
            FileKeyStore.inDataDir(config.dataDir()),
            CheckpointWitness.inDataDir(config.dataDir()),
            clock,
            random,
            random);
    p.checkNotRolledBack(db);
    p.start();
    return p;
  }

  /**
   * The engine with the built-in task types, {@code core/exec} when the bubblewrap sandbox works on
   * this machine, and a started worker pool. Secrets for {@code core/http} come from {@code
   * MAESTRO_SECRET_*} environment variables.
   */
  private EngineService engine(
      MeteredReceipts receipts,
      DomainMetrics domain,
      TenantQuotas quotas,
      RunAdmissions admissions,
      RunCostAdmission admission) {
    MaestroConfig.Limits limits = config.engine().limits();
    Engine.Builder b =
        CoreExecutors.register(
            Engine.builder(db)
                .tracing(tracing)
                .receipts(domain.observeSteps(receipts))
                .workers(EngineSettings.workers(config.engine()))
                .logCapBytes(config.engine().logCapBytes())
                .maxTasks(limits.maxTasks())
                .tenantCeilings(quotas)
                .outputLimits(EngineSettings.outputLimits(limits, quotas)),
            EngineSettings.http(config.engine()),
            Secrets.environment(System.getenv()));
    Optional<Sandbox> sandbox =
        switch (SandboxAvailability.probe(EngineSettings.sandbox(config))) {
          case SandboxAvailability.Available a -> {
            LOG.info("core/exec sandbox: " + a.sandbox().diagnostics());
            b.executor(
                new ExecExecutor(
                    a.sandbox(),
                    SandboxLimits.defaults(),
                    EngineSettings.platformCeilings(limits)));
            yield Optional.of(a.sandbox());
          }
          case SandboxAvailability.Unavailable u -> {
            b.unavailable("core/exec", u.reason());
            yield Optional.empty();
          }
        };
    Engine engine = b.build();
    if (!engine.availability().allAvailable()) {
      // The one start-up line that says which task types are off here and what to do about it.
      LOG.warning(engine.availability().line());
    }
    engine.startWorkers();
    return new EngineService(
        engine,
        sandbox,
        admissions,
        Optional.of(admission),
        config.schedules().minInterval(),
        clock);
  }

  private ReadinessCheck databaseCheck() {
    return new ReadinessCheck() {
      @Override
      public String name() {
        return "database";
      }

      @Override
      public Optional<String> problem() {
        return db.ping() ? Optional.empty() : Optional.of("database unreachable");
      }
    };
  }

  MetricsService metrics() {
    return metrics;
  }

  List<ApiService> services() {
    return List.copyOf(services);
  }

  RouteGuard guard() {
    return guard;
  }

  /**
   * The components, then the closeable services: {@link MaestroServer#stopAll} stops services
   * first.
   */
  List<AutoCloseable> closeables() {
    List<AutoCloseable> all = new ArrayList<>(components);
    services.stream()
        .filter(s -> s instanceof AutoCloseable)
        .map(s -> (AutoCloseable) s)
        .forEach(all::add);
    return all;
  }
}
