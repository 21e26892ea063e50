package io.maestro.lifecycle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.Ids;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.core.purge.PurgedItem;
import io.maestro.lifecycle.internal.PurgeStore;
import io.maestro.lifecycle.manifest.PurgeManifest;
import io.maestro.provenance.LogId;
import io.maestro.provenance.ProvenanceErrors;
import io.maestro.provenance.ReceiptDraft;
import io.maestro.provenance.ReceiptLog;
import io.maestro.provenance.ReceiptType;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.provenance.Receipts;
import io.maestro.provenance.attest.Dsse;
import io.maestro.provenance.keys.Signer;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Dual-control purges: a request (scope, cut-off, reason), distinct approvals up to the number the
 * policy demanded, a delay during which anyone allowed may cancel, then execution by {@link
 * #runDue} — the owning modules delete through their {@link PurgeTarget}s, receipt payloads become
 * tombstones, and a signed {@link PurgeManifest} is stored with its receipts, all in one
 * transaction of the tenant. Who may request, approve and cancel — separation of duties included —
 * is the policy's decision, made before these methods are called; this class keeps the states.
 * Thread-safe.
 */
public final class Purges {
  private static final Logger LOG = Logger.getLogger(Purges.class.getName());
  private static final int MAX_REASON = 1000;

  private final Database db;
  private final Receipts receipts;
  private final ReceiptLog log;
  private final List<PurgeTarget> targets;
  private final Supplier<Optional<Signer>> signer;
  private final Clock clock;
  private final Ids ids;
  private final PurgeStore store = new PurgeStore();

  /**
   * @param targets the owning modules' purge adapters; receipt payloads are erased here
   * @param signer the server's checkpoint signer, empty while it is unavailable
   */
  public Purges(
      Database db,
      Receipts receipts,
      ReceiptLog log,
      List<PurgeTarget> targets,
      Supplier<Optional<Signer>> signer,
      Clock clock,
      Ids ids) {
    this.db = db;
    this.receipts = receipts;
    this.log = log;
    this.targets = List.copyOf(targets);
    this.signer = signer;
    this.clock = clock;
    this.ids = ids;
  }

  /** What a request asks for; the policy has already allowed it and said how many approve. */
  public record Request(
      PurgeScope scope,
      Optional<Instant> before,
      String reason,
      Duration delay,
      int approvalsRequired) {}

  public Purge request(Actor actor, Decision decision, TenantId tenant, Request r) {
    String why = r.reason() == null ? "" : r.reason().strip();
    if (why.isEmpty() || why.length() > MAX_REASON) {
      throw invalid("a purge needs a reason of 1-" + MAX_REASON + " characters");
    }
    if (r.scope() != PurgeScope.TENANT && r.before().isEmpty()) {
      throw invalid("name the cut-off with before (data that ended before it is purged)");
    }
    if (r.delay().isNegative()) {
      throw invalid("the delay must not be negative");
    }
    if (r.approvalsRequired() < 2) {
      throw invalid("a purge needs at least two approvers besides the requester");
    }
    Instant now = clock.instant();
    Purge p =
        new Purge(
            ids.next("prg"),
            tenant.value(),
            r.scope(),
            r.scope() == PurgeScope.TENANT ? Optional.empty() : r.before(),
            why,
            actor.subject(),
            decision.id(),
            r.approvalsRequired(),
            r.delay(),
            Purge.AWAITING_APPROVAL,
            now,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            List.of());
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          store.insert(tx, p);
          append(
              tx,
              tenant,
              ReceiptTypes.PURGE_REQUESTED,
              actor,
              "purge.request",
              p,
              decision,
              PurgeJson.of(p, null));
          return p;
        });
  }

  /**
   * Records one approval; with enough distinct approvers the purge is scheduled to run after its
   * delay. The policy has already refused the requester and anyone who approved before.
   */
  public Purge approve(Actor actor, Decision decision, TenantId tenant, String id) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          Purge p = find(tx, tenant, id);
          if (!p.state().equals(Purge.AWAITING_APPROVAL)) {
            throw MaestroException.of(
                LifecycleErrors.PURGE_NOT_PENDING, "purge " + id + " is " + p.state());
          }
          Instant now = clock.instant();
          store.addApproval(
              tx, tenant.value(), id, new Purge.Approval(actor.subject(), decision.id(), now));
          if (p.approvals().size() + 1 >= p.approvalsRequired()) {
            store.transition(
                tx,
                tenant.value(),
                id,
                Purge.AWAITING_APPROVAL,
                Purge.SCHEDULED,
                "execute_after",
                now.plus(p.delay()));
          }
          Purge after = find(tx, tenant, id);
          ObjectNode payload = PurgeJson.of(after, null);
          payload.put("approver", actor.subject());
          append(
              tx,
              tenant,
              ReceiptTypes.PURGE_APPROVED,
              actor,
              "purge.approve",
              after,
              decision,
              payload);
          return after;
        });
  }

  /** Cancels a purge that has not run yet. */
  public Purge cancel(Actor actor, Decision decision, TenantId tenant, String id) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          Purge p = find(tx, tenant, id);
          Instant now = clock.instant();
          boolean done =
              (p.state().equals(Purge.AWAITING_APPROVAL) || p.state().equals(Purge.SCHEDULED))
                  && store.transition(
                      tx, tenant.value(), id, p.state(), Purge.CANCELLED, "cancelled_at", now);
          if (!done) {
            throw MaestroException.of(
                LifecycleErrors.PURGE_NOT_PENDING, "purge " + id + " is " + p.state());
          }
          store.cancelled(tx, tenant.value(), id, actor.subject());
          Purge after = find(tx, tenant, id);
          append(
              tx,
              tenant,
              ReceiptTypes.PURGE_CANCELLED,
              actor,
              "purge.cancel",
              after,
              decision,
              PurgeJson.of(after, null));
          return after;
        });
  }

  public Purge get(TenantId tenant, String id) {
    return db.inTransaction(TenantScope.of(tenant), tx -> find(tx, tenant, id));
  }

  public List<Purge> list(TenantId tenant) {
    return db.inTransaction(TenantScope.of(tenant), tx -> store.list(tx, tenant.value()));
  }

  /** The signed manifest of an executed purge: a DSSE envelope as JSON text. */
  public String manifest(TenantId tenant, String id) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          find(tx, tenant, id);
          return store
              .manifest(tx, tenant.value(), id)
              .orElseThrow(
                  () ->
                      MaestroException.of(
                          LifecycleErrors.PURGE_MANIFEST_NOT_FOUND,
                          "purge " + id + " has not run yet"));
        });
  }

  /**
   * Executes every scheduled purge whose delay has passed; returns how many ran. While the signer
   * is unavailable nothing runs (a purge without its signed manifest would be an unprovable
   * deletion): the purges stay scheduled and run once signing resumes.
   */
  public int runDue() {
    List<String[]> due =
        db.inTransaction(TenantScope.platform(), tx -> store.due(tx, clock.instant()));
    int n = 0;
    for (String[] d : due) {
      try {
        if (execute(TenantId.of(d[0]), d[1]).isPresent()) {
          n++;
        }
      } catch (MaestroException e) {
        LOG.warning("purge " + d[1] + " of " + d[0] + " did not run: " + e.getMessage());
      }
    }
    return n;
  }

  /**
   * Executes one purge if it is scheduled and due and the tenant is not on legal hold; empty when
   * it was not (or ran elsewhere).
   */
  public Optional<Purge> execute(TenantId tenant, String id) {
    Signer key =
        signer
            .get()
            .orElseThrow(
                () ->
                    MaestroException.of(
                        ProvenanceErrors.SIGNER_UNAVAILABLE,
                        "no signing key is usable; purges wait until the manifest can be signed"));
    LogId logId = LogId.tenant(tenant);
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          Purge p = find(tx, tenant, id);
          Instant now = clock.instant();
          if (io.maestro.lifecycle.retention.LegalHolds.held(tx, tenant)) {
            // A legal hold stops every deletion: the purge stays scheduled until it is released.
            return Optional.<Purge>empty();
          }
          if (!p.state().equals(Purge.SCHEDULED)
              || p.executeAfter().map(now::isBefore).orElse(true)
              || !store.transition(
                  tx, tenant.value(), id, Purge.SCHEDULED, Purge.EXECUTED, "executed_at", now)) {
            return Optional.<Purge>empty();
          }
          var checkpointBefore = log.latestCheckpoint(tx, logId);
          ReceiptLog.TreeHead before = log.head(tx, logId);
          List<PurgedItem> items = new ArrayList<>();
          for (PurgeTarget t : targets) {
            items.addAll(t.purge(tx, tenant, p.scope(), p.before()));
          }
          if (p.scope() == PurgeScope.RECEIPT_PAYLOADS || p.scope() == PurgeScope.TENANT) {
            items.addAll(receipts.erasePayloads(tx, logId, p.before()));
          }
          Purge done = find(tx, tenant, id);
          ObjectNode header = PurgeJson.of(done, null);
          header.remove("state");
          header.put("purge_id", done.id());
          header.remove("id");
          List<PurgedItem> ordered = PurgeManifest.ordered(items);
          ObjectNode summary = header.deepCopy();
          ObjectNode classes = summary.putObject("classes");
          PurgeManifest.counts(ordered).forEach(classes::put);
          summary.put("item_count", ordered.size());
          summary.put("merkle_root", PurgeManifest.root(ordered).toString());
          Actor system = Actor.system("lifecycle");
          append(
              tx,
              tenant,
              ReceiptTypes.PURGE_EXECUTED,
              system,
              "purge.execute",
              done,
              null,
              summary);
          ReceiptLog.TreeHead after = log.head(tx, logId);
          ObjectNode manifest =
              PurgeManifest.build(header, ordered, checkpointBefore, before, after);
          Dsse.Envelope env = PurgeManifest.sign(manifest, key);
          String digest = PurgeManifest.digest(env);
          store.storeManifest(tx, tenant.value(), id, digest, env.toJson().toString());
          ObjectNode signed = io.maestro.core.json.Json.MAPPER.createObjectNode();
          signed.put("purge_id", id);
          signed.put("manifest_digest", digest);
          signed.put("key_id", key.key().keyId());
          signed.put("merkle_root", manifest.path("merkle_root").asText());
          append(
              tx,
              tenant,
              ReceiptTypes.PURGE_MANIFEST_SIGNED,
              system,
              "purge.execute",
              done,
              null,
              signed);
          return Optional.of(find(tx, tenant, id));
        });
  }

  private Purge find(Tx tx, TenantId tenant, String id) {
    return store
        .find(tx, tenant.value(), id)
        .orElseThrow(() -> MaestroException.of(LifecycleErrors.PURGE_NOT_FOUND, "no purge " + id));
  }

  private void append(
      Tx tx,
      TenantId tenant,
      ReceiptType type,
      Actor actor,
      String action,
      Purge p,
      Decision decision,
      ObjectNode payload) {
    ReceiptDraft d =
        ReceiptDraft.of(
                LogId.tenant(tenant), type, actor, action, ReceiptDraft.Subject.of("purge", p.id()))
            .withPayload(payload);
    receipts.append(tx, decision == null ? d : d.withDecision(decision));
  }

  private static MaestroException invalid(String detail) {
    return MaestroException.of(LifecycleErrors.PURGE_INVALID, detail);
  }
}
