package io.maestro.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.config.MaestroConfig;
import io.maestro.engine.run.RunQueries;
import io.maestro.policy.DecisionLog;
import io.maestro.policy.DecisionPoint;
import io.maestro.provenance.ReceiptLog;
import io.maestro.provenance.Receipts;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.RouteGuard;
import io.maestro.server.tenancy.DevTokens;
import io.maestro.server.tenancy.ModuleUsage;
import io.maestro.server.tenancy.SimulationService;
import io.maestro.server.tenancy.TenancyService;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.tenancy.ScopeGuard;
import io.maestro.tenancy.TenantDirectory;
import io.maestro.tenancy.Tenants;
import io.maestro.tenancy.identity.DevIssuer;
import io.maestro.tenancy.identity.JwksCache;
import io.maestro.tenancy.identity.TokenVerifier;
import io.maestro.tenancy.identity.TrustedIssuer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * Wires identity, policy and tenancy for the server: the token verifier (the configured OIDC
 * provider, plus the dev issuer in dev mode only), the decision point on the canon bundle, tenants
 * with their cache, the policy gate every route passes, and the tenancy endpoints.
 */
public final class Governance implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Governance.class.getName());

  private final DecisionPoint pdp;
  private final Tenants tenants;
  private final TenantDirectory directory;
  private final PolicyGate gate;
  private final PolicyRuntime policy;
  private final Optional<DevIssuer> devIssuer;
  private final TokenVerifier verifier;
  private final Receipts receipts;
  private final UsageSource usage;
  private final Denials denials;
  private final Clock clock;
  private final BudgetSource budgets;

  private Governance(
      DecisionPoint pdp,
      Tenants tenants,
      TenantDirectory directory,
      PolicyGate gate,
      PolicyRuntime policy,
      Optional<DevIssuer> devIssuer,
      TokenVerifier verifier,
      Receipts receipts,
      UsageSource usage,
      Denials denials,
      Clock clock,
      BudgetSource budgets) {
    this.budgets = budgets;
    this.pdp = pdp;
    this.tenants = tenants;
    this.directory = directory;
    this.gate = gate;
    this.policy = policy;
    this.devIssuer = devIssuer;
    this.verifier = verifier;
    this.receipts = receipts;
    this.usage = usage;
    this.denials = denials;
    this.clock = clock;
  }

  /**
   * @param receipts the server's one receipt writer (provenance's, so its checkpointer hears every
   *     append)
   */
  public static Governance start(
      MaestroConfig config, Database db, Receipts receipts, ReceiptLog log) {
    return start(config, db, receipts, log, DecisionLog.NONE);
  }

  /**
   * @param observer hears every policy decision (the server's metrics)
   */
  public static Governance start(
      MaestroConfig config, Database db, Receipts receipts, ReceiptLog log, DecisionLog observer) {
    return start(config, db, receipts, log, observer, BudgetSource.CAPS_ONLY);
  }

  /**
   * @param budgets each tenant's budget and spend for the policy input and {@code whoami}
   */
  public static Governance start(
      MaestroConfig config,
      Database db,
      Receipts receipts,
      ReceiptLog log,
      DecisionLog observer,
      BudgetSource budgets) {
    return start(
        config,
        db,
        receipts,
        log,
        Clock.systemUTC(),
        RandomGenerator.of("L64X128MixRandom"),
        guardForIsolationSuite != null ? guardForIsolationSuite : ScopeGuard.ENFORCING,
        observer,
        budgets);
  }

  /**
   * Set only by the isolation suite (a test in this package) to run a whole server with the
   * code-level tenant check off and prove that row-level security alone holds. Deliberately not a
   * configuration key: no deployment can switch the check off.
   */
  static volatile ScopeGuard guardForIsolationSuite;

  /**
   * @param guard {@link ScopeGuard#ENFORCING} always, except in the isolation suite's run that
   *     proves row-level security alone
   */
  public static Governance start(
      MaestroConfig config,
      Database db,
      Receipts receipts,
      ReceiptLog log,
      Clock clock,
      RandomGenerator random,
      ScopeGuard guard) {
    return start(
        config, db, receipts, log, clock, random, guard, DecisionLog.NONE, BudgetSource.CAPS_ONLY);
  }

  private static Governance start(
      MaestroConfig config,
      Database db,
      Receipts receipts,
      ReceiptLog log,
      Clock clock,
      RandomGenerator random,
      ScopeGuard guard,
      DecisionLog observer,
      BudgetSource budgets) {
    PolicyRuntime policy = PolicyRuntime.start(config.policy(), db, clock, random, observer);
    try {
      UsageSource usage = new ModuleUsage(db, RunQueries.on(db), log, clock);
      return start(config, db, receipts, clock, guard, policy, usage, budgets);
    } catch (RuntimeException e) {
      policy.close();
      throw e;
    }
  }

  private static Governance start(
      MaestroConfig config,
      Database db,
      Receipts receipts,
      Clock clock,
      ScopeGuard guard,
      PolicyRuntime policy,
      UsageSource usage,
      BudgetSource budgets) {
    DecisionPoint pdp = policy.pdp();
    Tenants tenants =
        new Tenants(
            db,
            receipts,
            clock,
            guard,
            profile -> isTenantProfile(pdp, profile),
            pdp.settings().defaultProfile());
    TenantDirectory directory = new TenantDirectory(tenants, clock, Duration.ofSeconds(5));

    List<TrustedIssuer> issuers = new ArrayList<>();
    MaestroConfig.Auth auth = config.auth();
    if (!auth.oidcIssuer().isEmpty()) {
      issuers.add(
          new TrustedIssuer(
              auth.oidcIssuer(),
              auth.oidcAudience(),
              JwksCache.http(URI.create(auth.oidcJwksUrl()), clock),
              "oidc"));
    }
    Optional<DevIssuer> dev =
        config.dev()
            ? Optional.of(DevIssuer.open(config.mode(), config.dataDir(), clock))
            : Optional.empty();
    dev.ifPresent(d -> issuers.add(d.trustedIssuer()));
    if (issuers.isEmpty()) {
      LOG.warning(
          "no token issuer is configured (set auth.oidc.issuer and auth.oidc.jwksUrl):"
              + " every API call except health and metrics will be refused");
    }
    TokenVerifier verifier = new TokenVerifier(issuers, clock);
    Authenticator authn = new Authenticator(verifier, directory);
    Denials denials = new Denials(db, receipts, directory);
    PolicyGate gate = new PolicyGate(authn, pdp, directory, usage, denials, guard, budgets);
    Governance g =
        new Governance(
            pdp, tenants, directory, gate, policy, dev, verifier, receipts, usage, denials, clock,
            budgets);
    dev.ifPresent(d -> g.printBootstrapHint(db));
    return g;
  }

  /** A tenant profile is a profile in the active bundle whose kind is not a governance profile. */
  static boolean isTenantProfile(DecisionPoint pdp, String profile) {
    if (pdp.active() == null) {
      return false;
    }
    JsonNode p = pdp.active().bundle().data().path("maestro").path("profiles").path(profile);
    return p.isObject() && !"GovernanceProfile".equals(p.path("kind").asText());
  }

  private void printBootstrapHint(Database db) {
    boolean empty = tenants.list(TenantScope.platform(), 1, "").isEmpty();
    if (empty) {
      LOG.info(
          "dev mode, no tenants yet: get a platform admin token with `maestro token issue --dev"
              + " --role conductor_admin`, or sign in to a new tenant with `maestro login --dev"
              + " --tenant acme --role tenant_admin --create`");
    }
  }

  public RouteGuard guard() {
    return gate;
  }

  /** The policy gate, for handlers that ask again and must refuse the way it does. */
  public PolicyGate gate() {
    return gate;
  }

  public DecisionPoint pdp() {
    return pdp;
  }

  public Tenants tenants() {
    return tenants;
  }

  public TenantDirectory directory() {
    return directory;
  }

  public Receipts receipts() {
    return receipts;
  }

  /** Records refusals as {@code policy.denied} receipts. */
  public Denials denials() {
    return denials;
  }

  public TokenVerifier verifier() {
    return verifier;
  }

  public Optional<DevIssuer> devIssuer() {
    return devIssuer;
  }

  /** The decision point's hot reload and decision log. */
  public PolicyRuntime policy() {
    return policy;
  }

  /**
   * The tenancy, whoami, simulation and dev-token endpoints, and the policy runtime (no routes; the
   * server closes it on shutdown with the other closeable services).
   */
  public List<ApiService> services() {
    return List.of(
        policy,
        new TenancyService(tenants, usage, denials, pdp, budgets),
        new SimulationService(pdp, directory, policy.history(), p -> isTenantProfile(pdp, p)),
        new DevTokens(devIssuer, tenants, pdp, clock));
  }

  /** Stops hot reload and writes the queued decisions (for callers that start it alone). */
  @Override
  public void close() {
    policy.close();
  }
}
