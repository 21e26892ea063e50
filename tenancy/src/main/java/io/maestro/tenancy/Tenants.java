package io.maestro.tenancy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.problem.CoreErrors;
import io.maestro.core.problem.MaestroException;
import io.maestro.provenance.LogId;
import io.maestro.provenance.ReceiptDraft;
import io.maestro.provenance.ReceiptType;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.provenance.Receipts;
import io.maestro.store.Database;
import io.maestro.store.StoreException;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import io.maestro.tenancy.internal.TenantStore;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Tenants and their members: provisioning, changes, membership and profile assignment. Every change
 * is one transaction holding the state change and its receipt (with a JSON diff of before and after
 * and the policy decision that allowed it), so there is no change without its receipt.
 *
 * <p>Every method takes the {@link TenantScope} its transaction runs under: the server passes the
 * acting tenant's scope (or, for platform actors, the target tenant's), so a tenant can never reach
 * another tenant's rows, and on PostgreSQL row-level security says the same underneath.
 *
 * <p>Thread-safe. Listeners hear about each committed change (to drop caches).
 */
public final class Tenants {
  static final Pattern REGION = Pattern.compile("[A-Z][A-Z0-9-]{1,31}");
  private static final Pattern SUBJECT = Pattern.compile("[^\\s\\p{Cntrl}]{1,200}");

  private final Database db;
  private final Receipts receipts;
  private final Clock clock;
  private final TenantStore store;
  private final Predicate<String> profileExists;
  private final String defaultProfile;
  private final List<Consumer<TenantId>> listeners = new CopyOnWriteArrayList<>();

  /**
   * @param profileExists whether a policy profile is known (the loaded policy bundle decides)
   * @param defaultProfile the profile of a new tenant that names none
   */
  public Tenants(
      Database db,
      Receipts receipts,
      Clock clock,
      ScopeGuard guard,
      Predicate<String> profileExists,
      String defaultProfile) {
    this.db = Objects.requireNonNull(db, "db");
    this.receipts = Objects.requireNonNull(receipts, "receipts");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.store = new TenantStore(guard);
    this.profileExists = Objects.requireNonNull(profileExists, "profileExists");
    this.defaultProfile = Objects.requireNonNull(defaultProfile, "defaultProfile");
  }

  public Database database() {
    return db;
  }

  public ScopeGuard guard() {
    return store.guard();
  }

  /** Registers a listener told, after commit, which tenant changed. */
  public void onChange(Consumer<TenantId> listener) {
    listeners.add(listener);
  }

  /**
   * Provisions a usable tenant in one platform transaction: the tenant row with its baseline
   * quotas, budget and default profile, its file partition, the genesis of its receipt log (its
   * first receipt) and a {@code tenant.provisioned} receipt in the platform log.
   *
   * @throws MaestroException {@code tenant_exists} when the id is taken
   */
  public Tenant provision(Actor actor, NewTenant req, Decision decision) {
    return provision(newTenant(actor, req, clock.instant()), actor, decision);
  }

  /**
   * Provisions a demo tenant ({@code demo.create}) as {@link #provision} does, naming {@code actor}
   * its operator: the tenant's profile may let that operator act in it (ADR 0053).
   */
  public Tenant provisionDemo(Actor actor, NewTenant req, Decision decision) {
    return provision(
        newTenant(actor, req, clock.instant()).asDemoOf(actor.subject()), actor, decision);
  }

  private Tenant provision(Tenant t, Actor actor, Decision decision) {
    try {
      return insertNew(actor, t, decision);
    } catch (StoreException e) {
      if (e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
        // Provisioned concurrently by another request between the check and the insert.
        throw MaestroException.of(TenancyErrors.TENANT_EXISTS, "tenant " + t.id() + " exists");
      }
      throw e;
    }
  }

  private Tenant insertNew(Actor actor, Tenant t, Decision decision) {
    return db.inTransaction(
        TenantScope.platform(),
        tx -> {
          if (store.exists(tx, t.id())) {
            throw MaestroException.of(TenancyErrors.TENANT_EXISTS, "tenant " + t.id() + " exists");
          }
          store.insert(tx, t);
          ObjectNode payload =
              TenantJson.object("tenant", t.id().value(), "settings", TenantJson.settings(t));
          receipts.appendAll(
              tx,
              List.of(
                  draft(
                      LogId.tenant(t.id()),
                      ReceiptTypes.TENANT_PROVISIONED,
                      actor,
                      "tenant.create",
                      t.id(),
                      decision,
                      payload),
                  draft(
                      LogId.platform(),
                      ReceiptTypes.TENANT_PROVISIONED,
                      actor,
                      "tenant.create",
                      t.id(),
                      decision,
                      payload)));
          notifyAfterCommit(tx, t.id());
          return t;
        });
  }

  private Tenant newTenant(Actor actor, NewTenant req, Instant now) {
    String profile = req.profile().orElse(defaultProfile);
    requireProfile(profile);
    String edition = req.edition().orElse("internal");
    if (!NewTenant.EDITIONS.contains(edition)) {
      throw invalid("edition must be one of " + String.join(", ", NewTenant.EDITIONS));
    }
    List<String> regions = req.regions().orElse(List.of(req.homeRegion().orElse("US")));
    String home = req.homeRegion().orElse(regions.isEmpty() ? "US" : regions.get(0));
    for (String r : regions) {
      if (!REGION.matcher(r).matches()) {
        throw invalid("regions are upper-case codes such as US or EU: " + r);
      }
    }
    if (!regions.contains(home)) {
      throw invalid("home_region " + home + " must be one of the tenant's regions");
    }
    String name = req.name().orElse(req.id().value());
    checkName(name);
    BigDecimal budget = req.dailyBudgetUsd().orElse(new BigDecimal("100.00"));
    checkBudget(budget);
    return new Tenant(
        req.id(),
        name,
        edition,
        profile,
        home,
        regions,
        TenantStatus.ACTIVE,
        req.quotas().orElse(Quotas.BASELINE),
        budget,
        Tenant.storagePrefixOf(req.id()),
        1,
        actor.subject(),
        now,
        now);
  }

  /** The tenant, when {@code scope} may see it. */
  public Optional<Tenant> find(TenantScope scope, TenantId id) {
    return db.inTransaction(scope, tx -> store.find(tx, id));
  }

  /** The tenant or {@code tenant_not_found}. */
  public Tenant get(TenantScope scope, TenantId id) {
    return find(scope, id).orElseThrow(() -> notFound(id));
  }

  /** The tenants {@code scope} may see, in id order, after {@code after} (paging). */
  public List<Tenant> list(TenantScope scope, int limit, String after) {
    return db.inTransaction(scope, tx -> store.list(tx, limit, after));
  }

  /**
   * Applies {@code patch}. With {@code ifMatch}, fails with {@code tenant_conflict} unless the
   * stored version is that one. A patch that changes nothing writes nothing and records nothing.
   */
  public Tenant update(
      Actor actor,
      TenantScope scope,
      TenantId id,
      TenantPatch patch,
      Optional<Long> ifMatch,
      Decision decision) {
    patch.name().ifPresent(Tenants::checkName);
    patch.dailyBudgetUsd().ifPresent(Tenants::checkBudget);
    return db.inTransaction(
        scope,
        tx -> {
          Tenant before = store.findForUpdate(tx, id).orElseThrow(() -> notFound(id));
          if (ifMatch.isPresent() && ifMatch.get() != before.version()) {
            throw MaestroException.of(
                TenancyErrors.TENANT_CONFLICT,
                "tenant " + id + " is at version " + before.version() + ", not " + ifMatch.get());
          }
          Tenant changed;
          try {
            changed = patch.applyTo(before);
          } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
          }
          return write(
              tx, actor, before, changed, ReceiptTypes.CONFIG_CHANGED, "tenant.update", decision);
        });
  }

  /**
   * Assigns a policy profile to the tenant; the next decision for the tenant uses it. The receipt
   * names the decision that allowed the assignment and the bundle revision it was made under.
   */
  public Tenant assignProfile(
      Actor actor, TenantScope scope, TenantId id, String profile, Decision decision) {
    requireProfile(profile);
    return db.inTransaction(
        scope,
        tx -> {
          Tenant before = store.findForUpdate(tx, id).orElseThrow(() -> notFound(id));
          Tenant changed =
              new Tenant(
                  before.id(),
                  before.name(),
                  before.edition(),
                  profile,
                  before.homeRegion(),
                  before.regions(),
                  before.status(),
                  before.quotas(),
                  before.dailyBudgetUsd(),
                  before.storagePrefix(),
                  before.version(),
                  before.createdBy(),
                  before.createdAt(),
                  before.updatedAt(),
                  before.demoOperator());
          return write(
              tx,
              actor,
              before,
              changed,
              ReceiptTypes.PROFILE_ASSIGNED,
              "profile.assign",
              decision);
        });
  }

  private Tenant write(
      Tx tx,
      Actor actor,
      Tenant before,
      Tenant changed,
      ReceiptType type,
      String action,
      Decision decision) {
    var changes = TenantJson.diff(TenantJson.settings(before), TenantJson.settings(changed));
    if (changes.isEmpty()) {
      return before;
    }
    Tenant after =
        new Tenant(
            changed.id(),
            changed.name(),
            changed.edition(),
            changed.profile(),
            changed.homeRegion(),
            changed.regions(),
            changed.status(),
            changed.quotas(),
            changed.dailyBudgetUsd(),
            changed.storagePrefix(),
            before.version() + 1,
            changed.createdBy(),
            changed.createdAt(),
            clock.instant(),
            changed.demoOperator());
    if (!store.update(tx, after)) {
      throw MaestroException.of(
          TenancyErrors.TENANT_CONFLICT, "tenant " + before.id() + " changed");
    }
    ObjectNode payload =
        TenantJson.object(
            "tenant", before.id().value(), "version", after.version(), "changes", changes);
    receipts.append(
        tx, draft(LogId.tenant(before.id()), type, actor, action, before.id(), decision, payload));
    notifyAfterCommit(tx, before.id());
    return after;
  }

  /** The tenant's members, in subject order. */
  public List<Member> members(TenantScope scope, TenantId id) {
    return db.inTransaction(
        scope,
        tx -> {
          store.find(tx, id).orElseThrow(() -> notFound(id));
          return store.members(tx, id);
        });
  }

  /** The role {@code subject} holds in the tenant, if a member. */
  public Optional<Member> member(TenantScope scope, TenantId id, String subject) {
    return db.inTransaction(scope, tx -> store.member(tx, id, subject));
  }

  /**
   * Makes {@code subject} a member with {@code role}, or changes its role. Records a {@code
   * member.changed} receipt with the diff; setting the role it already has records nothing.
   */
  public Member putMember(
      Actor actor, TenantScope scope, TenantId id, String subject, String role, Decision decision) {
    checkSubject(subject);
    if (!Roles.isTenantRole(role)) {
      throw MaestroException.of(
          TenancyErrors.UNKNOWN_ROLE,
          "role must be one of " + String.join(", ", Roles.TENANT) + " (got " + role + ")");
    }
    return db.inTransaction(
        scope,
        tx -> {
          store.findForUpdate(tx, id).orElseThrow(() -> notFound(id));
          Optional<Member> before = store.member(tx, id, subject);
          if (before.isPresent() && before.get().role().equals(role)) {
            return before.get();
          }
          Member m = new Member(id, subject, role, actor.subject(), clock.instant());
          if (before.isPresent()) {
            store.updateMember(tx, m);
          } else {
            store.insertMember(tx, m);
          }
          ObjectNode payload =
              TenantJson.object(
                  "tenant",
                  id.value(),
                  "subject",
                  subject,
                  "changes",
                  TenantJson.diff(
                      before.map(b -> TenantJson.object("role", b.role())).orElse(null),
                      TenantJson.object("role", role)));
          receipts.append(
              tx,
              draft(
                  LogId.tenant(id),
                  ReceiptTypes.MEMBER_CHANGED,
                  actor,
                  "member.write",
                  id,
                  decision,
                  payload));
          notifyAfterCommit(tx, id);
          return m;
        });
  }

  /** Removes a member; {@code member_not_found} when there is none. */
  public void removeMember(
      Actor actor, TenantScope scope, TenantId id, String subject, Decision decision) {
    db.useTransaction(
        scope,
        tx -> {
          store.findForUpdate(tx, id).orElseThrow(() -> notFound(id));
          Member before =
              store
                  .member(tx, id, subject)
                  .orElseThrow(
                      () ->
                          MaestroException.of(
                              TenancyErrors.MEMBER_NOT_FOUND,
                              subject + " is not a member of " + id));
          store.deleteMember(tx, id, subject);
          ObjectNode payload =
              TenantJson.object(
                  "tenant",
                  id.value(),
                  "subject",
                  subject,
                  "changes",
                  TenantJson.diff(TenantJson.object("role", before.role()), null));
          receipts.append(
              tx,
              draft(
                  LogId.tenant(id),
                  ReceiptTypes.MEMBER_CHANGED,
                  actor,
                  "member.remove",
                  id,
                  decision,
                  payload));
          notifyAfterCommit(tx, id);
        });
  }

  private void notifyAfterCommit(Tx tx, TenantId id) {
    tx.afterCommit(() -> listeners.forEach(l -> l.accept(id)));
  }

  private static ReceiptDraft draft(
      LogId log,
      ReceiptType type,
      Actor actor,
      String action,
      TenantId tenant,
      Decision decision,
      ObjectNode payload) {
    return ReceiptDraft.of(
            log, type, actor, action, ReceiptDraft.Subject.of("tenant", tenant.value()))
        .withDecision(decision)
        .withPayload(payload);
  }

  private void requireProfile(String profile) {
    if (profile == null || !profileExists.test(profile)) {
      throw MaestroException.of(
          TenancyErrors.UNKNOWN_PROFILE, "no policy profile named " + profile + " is loaded");
    }
  }

  private static void checkName(String name) {
    if (name.isBlank() || name.length() > 200) {
      throw invalid("name must be 1-200 characters");
    }
  }

  private static void checkBudget(BigDecimal budget) {
    if (budget.signum() < 0 || budget.scale() > 2 || budget.precision() - budget.scale() > 10) {
      throw invalid("daily_max_usd must be a non-negative amount with at most 2 decimals");
    }
  }

  static void checkSubject(String subject) {
    if (subject == null || !SUBJECT.matcher(subject).matches()) {
      throw invalid("a subject is 1-200 printable characters without spaces");
    }
  }

  private static MaestroException notFound(TenantId id) {
    return MaestroException.of(TenancyErrors.TENANT_NOT_FOUND, "no tenant " + id);
  }

  private static MaestroException invalid(String detail) {
    return MaestroException.of(CoreErrors.VALIDATION_FAILED, detail);
  }
}
