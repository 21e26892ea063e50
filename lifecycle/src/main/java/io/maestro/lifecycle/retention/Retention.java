package io.maestro.lifecycle.retention;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.Ids;
import io.maestro.core.TenantId;
import io.maestro.core.json.Json;
import io.maestro.core.problem.MaestroException;
import io.maestro.core.purge.PurgedItem;
import io.maestro.lifecycle.LifecycleErrors;
import io.maestro.lifecycle.manifest.PurgeManifest;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptDraft;
import io.maestro.provenance.ReceiptType;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.provenance.Receipts;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Per-tenant retention: a rule per {@link DataClass} (how many days the tenant keeps it, within the
 * platform's {@link RetentionBounds}), legal holds that stop every deletion of the tenant, and the
 * job that removes expired data in bounded batches through the owning modules' {@link
 * RetentionTarget}s. Each batch is one transaction of the tenant with one {@code retention.batch}
 * receipt (counts by class, the Merkle root over the removed items' digests, and the items) and one
 * row in {@code lifecycle_retention_batches}; neither is ever deleted, and receipt payloads of
 * {@code retention.*} receipts are never erased.
 *
 * <p>Who may change rules and holds is the policy's decision, made before these methods are called
 * (the decision, with the policy version that made it, is recorded in the receipt). Thread-safe;
 * the job itself runs on one thread.
 */
public final class Retention {
  private static final Logger LOG = Logger.getLogger(Retention.class.getName());
  private static final int MAX_REASON = 1000;

  private final Database db;
  private final Receipts receipts;
  private final Map<DataClass, RetentionTarget> targets;
  private final Settings settings;
  private final Clock clock;
  private final Ids ids;
  private final RetentionStore store = new RetentionStore();

  /**
   * How the job runs.
   *
   * @param bounds the platform's minimum and maximum retention
   * @param defaults each tenant's defaults and minimums: those of its policy profile
   * @param batchSize rows (for runs: runs) removed per batch and transaction
   * @param maxBatches batches per tenant and class in one run of the job; the rest waits for the
   *     next run, so one tenant's backlog cannot starve the others
   */
  public record Settings(
      RetentionBounds bounds,
      java.util.function.Function<TenantId, RetentionDefaults> defaults,
      int batchSize,
      int maxBatches) {
    public Settings {
      if (batchSize < 1 || maxBatches < 1) {
        throw new IllegalArgumentException("batch size and batch count are at least 1");
      }
    }
  }

  /**
   * What one run of the job did for one tenant.
   *
   * @param removed rows removed (or payloads erased) by the owners' data classes ({@code runs},
   *     {@code steps}, {@code run_logs}, {@code receipt_payloads}, …)
   * @param more whether a class still had expired data when its batch limit was reached
   */
  public record Outcome(
      String tenant, boolean held, int batches, Map<String, Long> removed, boolean more) {
    public Outcome {
      removed = Map.copyOf(removed);
    }
  }

  public Retention(
      Database db,
      Receipts receipts,
      Map<DataClass, RetentionTarget> targets,
      Settings settings,
      Clock clock,
      Ids ids) {
    this.db = db;
    this.receipts = receipts;
    this.targets = Map.copyOf(new EnumMap<>(targets));
    this.settings = settings;
    this.clock = clock;
    this.ids = ids;
  }

  public RetentionBounds bounds() {
    return settings.bounds();
  }

  /** The defaults and minimums of {@code tenant}'s policy profile. */
  public RetentionDefaults defaults(TenantId tenant) {
    return settings.defaults().apply(tenant);
  }

  /**
   * The rule the job applies to each class: the tenant's own, else its profile's default (see
   * {@link RetentionDefaults}); a class with neither is kept for good and absent here. A tenant
   * rule shorter than its profile's minimum (set before the tenant moved to a stricter profile) is
   * applied at the minimum, with source {@code profile:<id>:minimum}: the job never deletes what
   * the profile says to keep.
   */
  public List<Applied> applied(TenantId tenant) {
    Map<DataClass, RetentionRule> own = new EnumMap<>(DataClass.class);
    rules(tenant).forEach(r -> own.put(r.dataClass(), r));
    RetentionDefaults defaults = defaults(tenant);
    List<Applied> out = new ArrayList<>();
    for (DataClass c : DataClass.values()) {
      RetentionRule r = own.get(c);
      Optional<Integer> min = defaults.minimum(c);
      if (r != null && min.isPresent() && r.keepDays() < min.get()) {
        out.add(
            new Applied(
                c, min.get(), defaults.source() + ":minimum", r.decisionId(), Optional.of(r)));
      } else if (r != null) {
        out.add(new Applied(c, r.keepDays(), "tenant", r.decisionId(), Optional.of(r)));
      } else {
        defaults
            .of(c)
            .ifPresent(
                d ->
                    out.add(
                        new Applied(c, d, defaults.source(), "", Optional.<RetentionRule>empty())));
      }
    }
    return out;
  }

  /**
   * A rule in force for one class.
   *
   * @param source {@code tenant} for the tenant's own rule, else where the default came from
   *     ({@code profile:regulated}; {@code profile:regulated:minimum} when the tenant's rule was
   *     raised to the profile's minimum)
   * @param decisionId the decision that allowed the tenant's rule; empty for a default
   */
  public record Applied(
      DataClass dataClass,
      int keepDays,
      String source,
      String decisionId,
      Optional<RetentionRule> rule) {}

  public List<RetentionRule> rules(TenantId tenant) {
    return db.inTransaction(TenantScope.of(tenant), tx -> store.rules(tx, tenant.value()));
  }

  /** Sets (or replaces) the tenant's rule for a class; the policy has checked the bounds. */
  public RetentionRule setRule(
      Actor actor, Decision decision, TenantId tenant, DataClass c, int keepDays) {
    if (keepDays < 1 || keepDays > 36_500) {
      throw invalid("keepDays must be a whole number of days from 1 to 36500");
    }
    RetentionRule rule =
        new RetentionRule(
            c,
            keepDays,
            actor.subject(),
            decision.id(),
            decision.bundleRevision(),
            clock.instant());
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          Optional<RetentionRule> before =
              store.rules(tx, tenant.value()).stream().filter(r -> r.dataClass() == c).findFirst();
          store.putRule(tx, tenant.value(), rule);
          ObjectNode p = ruleJson(rule);
          before.ifPresentOrElse(
              b -> p.put("previous_keep_days", b.keepDays()),
              () -> p.putNull("previous_keep_days"));
          append(
              tx,
              tenant,
              ReceiptTypes.RETENTION_RULE_SET,
              actor,
              "retention.write",
              "retention_rule",
              c.wire(),
              decision,
              p);
          return rule;
        });
  }

  /** Removes the tenant's rule for a class: the class is kept for good again. */
  public void removeRule(Actor actor, Decision decision, TenantId tenant, DataClass c) {
    db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          if (!store.removeRule(tx, tenant.value(), c)) {
            throw MaestroException.of(
                LifecycleErrors.RETENTION_RULE_NOT_FOUND,
                "tenant " + tenant + " has no retention rule for " + c.wire());
          }
          ObjectNode p = Json.MAPPER.createObjectNode();
          p.put("data_class", c.wire());
          p.put("policy_version", decision.bundleRevision());
          append(
              tx,
              tenant,
              ReceiptTypes.RETENTION_RULE_REMOVED,
              actor,
              "retention.write",
              "retention_rule",
              c.wire(),
              decision,
              p);
          return null;
        });
  }

  public List<LegalHold> holds(TenantId tenant) {
    return db.inTransaction(TenantScope.of(tenant), tx -> store.holds(tx, tenant.value()));
  }

  /** Whether the tenant has an active legal hold (nothing of it may be deleted). */
  public boolean held(TenantId tenant) {
    return db.inTransaction(TenantScope.of(tenant), tx -> store.held(tx, tenant.value()));
  }

  public LegalHold placeHold(Actor actor, Decision decision, TenantId tenant, String reason) {
    String why = reason(reason);
    LegalHold h =
        new LegalHold(
            ids.next("hld"),
            why,
            actor.subject(),
            clock.instant(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          store.insertHold(tx, tenant.value(), h);
          append(
              tx,
              tenant,
              ReceiptTypes.LEGAL_HOLD_PLACED,
              actor,
              "retention.hold",
              "legal_hold",
              h.id(),
              decision,
              holdJson(h, decision));
          return h;
        });
  }

  public LegalHold releaseHold(
      Actor actor, Decision decision, TenantId tenant, String id, String reason) {
    String why = reason(reason);
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          LegalHold h =
              store
                  .hold(tx, tenant.value(), id)
                  .orElseThrow(
                      () ->
                          MaestroException.of(
                              LifecycleErrors.LEGAL_HOLD_NOT_FOUND, "no legal hold " + id));
          if (!store.release(tx, tenant.value(), id, actor.subject(), clock.instant(), why)) {
            throw MaestroException.of(
                LifecycleErrors.LEGAL_HOLD_NOT_ACTIVE,
                "legal hold " + id + " was released on " + h.releasedAt().orElse(null));
          }
          LegalHold after = store.hold(tx, tenant.value(), id).orElseThrow();
          append(
              tx,
              tenant,
              ReceiptTypes.LEGAL_HOLD_RELEASED,
              actor,
              "retention.hold",
              "legal_hold",
              id,
              decision,
              holdJson(after, decision));
          return after;
        });
  }

  public List<RetentionBatch> batches(TenantId tenant, int limit) {
    return db.inTransaction(TenantScope.of(tenant), tx -> store.batches(tx, tenant.value(), limit));
  }

  /**
   * One run of the job over every tenant that has rules and every tenant {@code everyone} names
   * (their profiles' defaults apply to them); a failing tenant does not stop others.
   */
  public List<Outcome> runAll(java.util.function.Supplier<List<String>> everyone) {
    java.util.Set<String> tenants = new java.util.TreeSet<String>();
    tenants.addAll(db.inTransaction(TenantScope.platform(), tx -> store.tenantsWithRules(tx)));
    tenants.addAll(everyone.get());
    List<Outcome> out = new ArrayList<>();
    for (String t : tenants) {
      try {
        out.add(run(TenantId.of(t)));
      } catch (RuntimeException e) {
        LOG.warning("retention of " + t + " failed: " + e.getMessage());
      }
    }
    return out;
  }

  /**
   * One run of the job for one tenant: for each rule, batches of expired data until none is left or
   * {@link Settings#maxBatches} ran. Nothing is removed while the tenant is on legal hold; the hold
   * is checked again inside each batch's transaction, so a hold placed mid-run stops it.
   */
  public Outcome run(TenantId tenant) {
    Instant now = clock.instant();
    List<Applied> rules = applied(tenant);
    Map<String, Long> removed = new java.util.TreeMap<>();
    if (held(tenant)) {
      return new Outcome(tenant.value(), true, 0, removed, false);
    }
    int batches = 0;
    boolean more = false;
    for (Applied rule : rules) {
      RetentionTarget target = targets.get(rule.dataClass());
      if (target == null) {
        continue;
      }
      Instant cutoff = now.minus(Duration.ofDays(rule.keepDays()));
      for (int i = 0; ; i++) {
        if (i == settings.maxBatches()) {
          more = true;
          break;
        }
        Optional<RetentionBatch> b = batch(tenant, rule, target, cutoff);
        if (b.isEmpty()) {
          if (held(tenant)) {
            return new Outcome(tenant.value(), true, batches, removed, more);
          }
          break;
        }
        batches++;
        b.get().counts().forEach((k, v) -> removed.merge(k, v, Long::sum));
        if (b.get().itemCount() < settings.batchSize()) {
          break;
        }
      }
    }
    return new Outcome(tenant.value(), false, batches, removed, more);
  }

  /**
   * One bounded batch in one transaction, under a lock on the rule (another server running the job
   * waits, then finds the batch gone); empty when nothing was expired, the rule was removed or the
   * tenant is held.
   */
  private Optional<RetentionBatch> batch(
      TenantId tenant, Applied rule, RetentionTarget target, Instant cutoff) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          // A tenant's own rule is locked (and must still exist); a default has no row to lock.
          boolean ruleGone =
              rule.rule().isPresent() && !store.lockRule(tx, tenant.value(), rule.dataClass());
          if (ruleGone || store.held(tx, tenant.value())) {
            return Optional.<RetentionBatch>empty();
          }
          List<PurgedItem> items =
              PurgeManifest.ordered(target.expire(tx, tenant, cutoff, settings.batchSize()));
          if (items.isEmpty()) {
            return Optional.<RetentionBatch>empty();
          }
          String id = ids.next("rtb");
          Map<String, Long> counts = PurgeManifest.counts(items);
          String root = PurgeManifest.root(items).toString();
          ObjectNode p = Json.MAPPER.createObjectNode();
          p.put("batch_id", id);
          p.put("data_class", rule.dataClass().wire());
          p.put("keep_days", rule.keepDays());
          p.put("rule_decision", rule.decisionId());
          p.put("rule_source", rule.source());
          p.put("cutoff", cutoff.toString());
          ObjectNode classes = p.putObject("classes");
          counts.forEach(classes::put);
          p.put("item_count", items.size());
          p.put("merkle_root", root);
          ArrayNode list = p.putArray("items");
          for (PurgedItem item : items) {
            list.addObject()
                .put("class", item.dataClass())
                .put("key", item.key())
                .put("digest", item.digest());
          }
          Receipt r =
              append(
                  tx,
                  tenant,
                  ReceiptTypes.RETENTION_BATCH,
                  Actor.system("retention"),
                  "retention.run",
                  "retention_batch",
                  id,
                  null,
                  p);
          RetentionBatch batch =
              new RetentionBatch(
                  id,
                  rule.dataClass(),
                  cutoff,
                  items.size(),
                  root,
                  counts,
                  r.id(),
                  clock.instant());
          store.insertBatch(tx, tenant.value(), batch);
          return Optional.of(batch);
        });
  }

  private Receipt append(
      Tx tx,
      TenantId tenant,
      ReceiptType type,
      Actor actor,
      String action,
      String subjectType,
      String subjectId,
      Decision decision,
      ObjectNode payload) {
    ReceiptDraft d =
        ReceiptDraft.of(
                LogId.tenant(tenant),
                type,
                actor,
                action,
                ReceiptDraft.Subject.of(subjectType, subjectId))
            .withPayload(payload);
    return receipts.append(tx, decision == null ? d : d.withDecision(decision));
  }

  /** A rule in force as JSON (API): the tenant's rule with its decision, or a default. */
  public static ObjectNode appliedJson(Applied a) {
    ObjectNode n =
        a.rule().map(Retention::ruleJson).orElseGet(() -> Json.MAPPER.createObjectNode());
    n.put("data_class", a.dataClass().wire());
    n.put("keep_days", a.keepDays());
    n.put("source", a.source());
    if (a.source().endsWith(":minimum")) {
      a.rule().ifPresent(r -> n.put("tenant_keep_days", r.keepDays()));
    }
    return n;
  }

  /** A rule as JSON (API and receipts). */
  public static ObjectNode ruleJson(RetentionRule r) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("data_class", r.dataClass().wire());
    n.put("keep_days", r.keepDays());
    n.put("set_by", r.setBy());
    n.put("set_at", r.setAt().toString());
    n.put("decision_id", r.decisionId());
    n.put("policy_version", r.policyVersion());
    return n;
  }

  /** A hold as JSON (API). */
  public static ObjectNode holdJson(LegalHold h) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("id", h.id());
    n.put("active", h.active());
    n.put("reason", h.reason());
    n.put("placed_by", h.placedBy());
    n.put("placed_at", h.placedAt().toString());
    h.releasedBy().ifPresent(v -> n.put("released_by", v));
    h.releasedAt().ifPresent(v -> n.put("released_at", v.toString()));
    h.releaseReason().ifPresent(v -> n.put("release_reason", v));
    return n;
  }

  /** A batch as JSON (API). */
  public static ObjectNode batchJson(RetentionBatch b) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("id", b.id());
    n.put("data_class", b.dataClass().wire());
    n.put("cutoff", b.cutoff().toString());
    n.put("item_count", b.itemCount());
    ObjectNode c = n.putObject("classes");
    new java.util.TreeMap<>(b.counts()).forEach(c::put);
    n.put("merkle_root", b.merkleRoot());
    n.put("receipt_id", b.receiptId());
    n.put("ran_at", b.ranAt().toString());
    return n;
  }

  private static ObjectNode holdJson(LegalHold h, Decision decision) {
    ObjectNode n = holdJson(h);
    n.put("policy_version", decision.bundleRevision());
    return n;
  }

  private static String reason(String reason) {
    String why = reason == null ? "" : reason.strip();
    if (why.isEmpty() || why.length() > MAX_REASON) {
      throw invalid(
          "a legal hold and its release need a reason of 1-" + MAX_REASON + " characters");
    }
    return why;
  }

  private static MaestroException invalid(String detail) {
    return MaestroException.of(LifecycleErrors.RETENTION_INVALID, detail);
  }
}
