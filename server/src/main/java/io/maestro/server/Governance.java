package io.maestro.server;

import io.maestro.core.Ids;
import io.maestro.core.config.MaestroConfig;
import io.maestro.lifecycle.support.Impersonations;
import io.maestro.policy.DecisionPoint;
import io.maestro.provenance.Receipts;
import io.maestro.server.auth.Authenticator;
import io.maestro.server.auth.BudgetSource;
import io.maestro.server.auth.ControlInput;
import io.maestro.server.auth.Denials;
import io.maestro.server.auth.PolicyGate;
import io.maestro.server.auth.PolicyRuntime;
import io.maestro.server.auth.UsageSource;
import io.maestro.server.http.RouteGuard;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.tenancy.ScopeGuard;
import io.maestro.tenancy.TenantDirectory;
import io.maestro.tenancy.Tenants;
import io.maestro.tenancy.brand.BrandPacks;
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
 * with their cache, and the policy gate every route passes. The endpoints over them are built in
 * {@link Composition} with the other services.
 */
public final class Governance implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Governance.class.getName());

  /**
   * Who may call: the token verifier and, in dev mode only, the dev issuer it also trusts; and the
   * support impersonation sessions a request may act under.
   */
  public record Identity(
      TokenVerifier verifier, Optional<DevIssuer> devIssuer, Impersonations impersonations) {}

  /** The tenants and the short-lived cache every request reads them through. */
  public record TenantRecords(Tenants tenants, TenantDirectory directory, BrandPacks brands) {}

  /** The gate every route passes, with what it consults besides the decision point. */
  private record Gate(PolicyGate gate, UsageSource usage, Denials denials, BudgetSource budgets) {}

  private final PolicyRuntime policy;
  private final Identity identity;
  private final TenantRecords tenancy;
  private final Gate gate;
  private final Receipts receipts;

  private Governance(
      PolicyRuntime policy,
      Identity identity,
      TenantRecords tenancy,
      Gate gate,
      Receipts receipts) {
    this.policy = policy;
    this.identity = identity;
    this.tenancy = tenancy;
    this.gate = gate;
    this.receipts = receipts;
  }

  /**
   * Builds tenancy, identity and the gate over a started policy runtime. On failure the caller
   * still owns (and closes) {@code policy}.
   *
   * @param receipts the server's one receipt writer (provenance's, so its checkpointer hears every
   *     append)
   * @param usage what the gate reports to the decision point as a tenant's current usage
   * @param budgets each tenant's budget and spend for the policy input and {@code whoami}
   * @param guard {@link ScopeGuard#ENFORCING} always, except in the isolation suite's run that
   *     proves row-level security alone
   * @param controls the release-governance controls every policy input carries
   */
  public static Governance start(
      MaestroConfig config,
      Database db,
      Receipts receipts,
      PolicyRuntime policy,
      UsageSource usage,
      BudgetSource budgets,
      Clock clock,
      ScopeGuard guard,
      ControlInput controls) {
    DecisionPoint pdp = policy.pdp();
    Tenants tenants =
        new Tenants(
            db,
            receipts,
            clock,
            guard,
            profile -> PolicyRuntime.isTenantProfile(pdp, profile),
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
    Impersonations impersonations =
        new Impersonations(
            db, receipts, clock, new Ids(clock, RandomGenerator.of("L64X128MixRandom")));
    Authenticator authn = new Authenticator(verifier, directory, impersonations);
    Denials denials = new Denials(db, receipts, directory);
    PolicyGate gate =
        new PolicyGate(authn, pdp, directory, usage, denials, guard, budgets, controls, policy);
    Governance g =
        new Governance(
            policy,
            new Identity(verifier, dev, impersonations),
            new TenantRecords(tenants, directory, new BrandPacks(db, receipts, clock)),
            new Gate(gate, usage, denials, budgets),
            receipts);
    dev.ifPresent(d -> g.printBootstrapHint(db));
    return g;
  }

  private void printBootstrapHint(Database db) {
    boolean empty = tenancy.tenants().list(TenantScope.platform(), 1, "").isEmpty();
    if (empty) {
      LOG.info(
          "dev mode, no tenants yet: get a platform admin token with `maestro token issue --dev"
              + " --role conductor_admin`, or sign in to a new tenant with `maestro login --dev"
              + " --tenant acme --role tenant_admin --create`");
    }
  }

  public RouteGuard guard() {
    return gate.gate();
  }

  /** The policy gate, for handlers that ask again and must refuse the way it does. */
  public PolicyGate gate() {
    return gate.gate();
  }

  /** Records refusals as {@code policy.denied} receipts. */
  public Denials denials() {
    return gate.denials();
  }

  public DecisionPoint pdp() {
    return policy.pdp();
  }

  public Tenants tenants() {
    return tenancy.tenants();
  }

  public TenantDirectory directory() {
    return tenancy.directory();
  }

  public Receipts receipts() {
    return receipts;
  }

  public TokenVerifier verifier() {
    return identity.verifier();
  }

  public Optional<DevIssuer> devIssuer() {
    return identity.devIssuer();
  }

  /** Support impersonation sessions (lifecycle), which the authenticator resolves. */
  public Impersonations impersonations() {
    return identity.impersonations();
  }

  /** The decision point's hot reload and decision log. */
  public PolicyRuntime policy() {
    return policy;
  }

  /** What the gate reports to the decision point as a tenant's current usage. */
  public UsageSource usage() {
    return gate.usage();
  }

  /** Each tenant's budget and spend, as the gate reads them. */
  public BudgetSource budgets() {
    return gate.budgets();
  }

  /** The tenants' white-label brand packs. */
  public BrandPacks brands() {
    return tenancy.brands();
  }

  /** Stops hot reload and writes the queued decisions (for callers that start it alone). */
  @Override
  public void close() {
    policy.close();
  }
}
