package io.maestro.lifecycle.support;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.Ids;
import io.maestro.core.Impersonation;
import io.maestro.core.PersonId;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.lifecycle.LifecycleErrors;
import io.maestro.provenance.LogId;
import io.maestro.provenance.ReceiptDraft;
import io.maestro.provenance.ReceiptType;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.provenance.Receipts;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Support impersonation sessions (ADR 0044): a support engineer asks to act as one member of a
 * tenant, with a reason and a time box; where the tenant's profile demands it, a tenant
 * administrator approves first. While the session is in force, requests that name it act as the
 * member (the member's role, never more) and every decision and receipt carries both identities.
 * Each step — requested, approved, started, stopped or expired — is a receipt in the tenant's log.
 * Who may do what is the policy's decision, made before these methods are called; this class keeps
 * the states. Thread-safe.
 */
public final class Impersonations {
  public static final String PENDING = "pending_approval";
  public static final String ACTIVE = "active";
  public static final String STOPPED = "stopped";
  public static final String EXPIRED = "expired";

  private static final int MAX_REASON = 1000;
  private static final String COLUMNS =
      "tenant_id, id, requested_by, requester_via, subject, role, reason, minutes, state,"
          + " request_decision, created_at, approved_by, started_at, expires_at, ended_at,"
          + " ended_by";

  private final Database db;
  private final Receipts receipts;
  private final Clock clock;
  private final Ids ids;

  /** One session as stored. */
  public record Session(
      String tenant,
      String id,
      String requestedBy,
      String requesterVia,
      String subject,
      String role,
      String reason,
      int minutes,
      String state,
      String requestDecision,
      Instant createdAt,
      Optional<String> approvedBy,
      Optional<Instant> startedAt,
      Optional<Instant> expiresAt,
      Optional<Instant> endedAt,
      Optional<String> endedBy) {

    /** Whether requests naming the session act as its member at {@code now}. */
    public boolean inForce(Instant now) {
      return ACTIVE.equals(state) && expiresAt.map(now::isBefore).orElse(false);
    }

    /** The state a reader should see: an active session past its time box is expired. */
    public String stateAt(Instant now) {
      return ACTIVE.equals(state) && !inForce(now) ? EXPIRED : state;
    }

    /** Whether {@code actor} is the engineer who asked for the session. */
    public boolean requestedBy(Actor actor) {
      return PersonId.of(actor).equals(new PersonId(requesterVia, PersonId.normalize(requestedBy)));
    }

    public ObjectNode json(Instant now) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("id", id);
      o.put("tenant", tenant);
      o.put("requested_by", requestedBy);
      o.put("subject", subject);
      o.put("role", role);
      o.put("reason", reason);
      o.put("minutes", minutes);
      o.put("state", stateAt(now));
      o.put("request_decision", requestDecision);
      o.put("created_at", createdAt.toString());
      approvedBy.ifPresent(a -> o.put("approved_by", a));
      startedAt.ifPresent(t -> o.put("started_at", t.toString()));
      expiresAt.ifPresent(t -> o.put("expires_at", t.toString()));
      if (inForce(now)) {
        o.put("seconds_left", java.time.Duration.between(now, expiresAt.get()).toSeconds());
      }
      endedAt.ifPresent(t -> o.put("ended_at", t.toString()));
      endedBy.ifPresent(b -> o.put("ended_by", b));
      return o;
    }
  }

  public Impersonations(Database db, Receipts receipts, Clock clock, Ids ids) {
    this.db = db;
    this.receipts = receipts;
    this.clock = clock;
    this.ids = ids;
  }

  /**
   * Records a request the policy allowed; with {@code approval} false the session starts at once.
   *
   * @param role the member's tenant role: what the engineer may do while acting as them
   */
  public Session request(
      Actor actor,
      Decision decision,
      TenantId tenant,
      String subject,
      String role,
      String reason,
      int minutes,
      boolean approval) {
    String why = reason == null ? "" : reason.strip();
    if (why.isEmpty() || why.length() > MAX_REASON) {
      throw invalid("an impersonation needs a reason of 1-" + MAX_REASON + " characters");
    }
    if (minutes < 1) {
      throw invalid("the time box is at least one minute");
    }
    Instant now = clock.instant();
    String id = ids.next("imp");
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          tx.update(
              "INSERT INTO lifecycle_impersonations (tenant_id, id, requested_by, requester_via,"
                  + " subject, role, reason, minutes, state, request_decision, created_at)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              tenant.value(),
              id,
              actor.subject(),
              actor.via(),
              subject,
              role,
              why,
              minutes,
              PENDING,
              decision.id(),
              now);
          Session s = find(tx, tenant, id);
          ObjectNode payload = s.json(now);
          payload.put("approval_required", approval);
          append(tx, s, ReceiptTypes.IMPERSONATION_REQUESTED, actor, "request", decision, payload);
          return approval ? s : start(tx, s, actor, decision, Optional.empty(), now);
        });
  }

  /** A tenant administrator's approval of a pending session, which starts it. */
  public Session approve(Actor actor, Decision decision, TenantId tenant, String id) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          Session s = find(tx, tenant, id);
          if (!PENDING.equals(s.state())) {
            throw MaestroException.of(
                LifecycleErrors.IMPERSONATION_NOT_PENDING,
                "impersonation " + id + " is " + s.state());
          }
          Instant now = clock.instant();
          ObjectNode payload = s.json(now);
          payload.put("approver", actor.subject());
          append(tx, s, ReceiptTypes.IMPERSONATION_APPROVED, actor, "approve", decision, payload);
          return start(tx, s, actor, decision, Optional.of(actor.subject()), now);
        });
  }

  private Session start(
      Tx tx, Session s, Actor actor, Decision decision, Optional<String> approver, Instant now) {
    Instant expires = now.plusSeconds(60L * s.minutes());
    int n =
        tx.update(
            "UPDATE lifecycle_impersonations SET state = ?, approved_by = ?, started_at = ?,"
                + " expires_at = ? WHERE tenant_id = ? AND id = ? AND state = ?",
            ACTIVE,
            approver.orElse(null),
            now,
            expires,
            s.tenant(),
            s.id(),
            PENDING);
    if (n != 1) {
      throw MaestroException.of(
          LifecycleErrors.IMPERSONATION_NOT_PENDING, "impersonation " + s.id() + " moved on");
    }
    Session after = find(tx, TenantId.of(s.tenant()), s.id());
    append(
        tx, after, ReceiptTypes.IMPERSONATION_STARTED, actor, "start", decision, after.json(now));
    return after;
  }

  /** Ends a pending or active session now. */
  public Session stop(Actor actor, Decision decision, TenantId tenant, String id) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          Session s = find(tx, tenant, id);
          Instant now = clock.instant();
          String state = s.stateAt(now);
          if (!(PENDING.equals(state) || ACTIVE.equals(state))) {
            throw MaestroException.of(
                LifecycleErrors.IMPERSONATION_NOT_ACTIVE, "impersonation " + id + " is " + state);
          }
          return end(tx, s, STOPPED, actor, decision, now);
        });
  }

  /**
   * Ends every active session whose time box ran out, each with its {@code impersonation.stopped}
   * receipt; returns how many. Runs under the platform scope.
   */
  public int expireDue() {
    Instant now = clock.instant();
    List<Session> due =
        db.inTransaction(
            TenantScope.platform(),
            tx ->
                tx.query(
                    "SELECT "
                        + COLUMNS
                        + " FROM lifecycle_impersonations WHERE state = ? AND expires_at <= ?"
                        + " ORDER BY expires_at LIMIT 100",
                    Impersonations::row,
                    ACTIVE,
                    now));
    int n = 0;
    for (Session s : due) {
      n +=
          db.inTransaction(
              TenantScope.of(TenantId.of(s.tenant())),
              tx -> {
                Session current = find(tx, TenantId.of(s.tenant()), s.id());
                if (!ACTIVE.equals(current.state())) {
                  return 0;
                }
                end(tx, current, EXPIRED, Actor.system("impersonation"), null, now);
                return 1;
              });
    }
    return n;
  }

  private Session end(Tx tx, Session s, String state, Actor actor, Decision decision, Instant now) {
    tx.update(
        "UPDATE lifecycle_impersonations SET state = ?, ended_at = ?, ended_by = ?"
            + " WHERE tenant_id = ? AND id = ? AND state = ?",
        state,
        now,
        actor.subject(),
        s.tenant(),
        s.id(),
        s.state());
    Session after = find(tx, TenantId.of(s.tenant()), s.id());
    ObjectNode payload = after.json(now);
    payload.put("how", state);
    append(tx, after, ReceiptTypes.IMPERSONATION_STOPPED, actor, "stop", decision, payload);
    return after;
  }

  public List<Session> list(TenantId tenant) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx ->
            tx.query(
                "SELECT "
                    + COLUMNS
                    + " FROM lifecycle_impersonations WHERE tenant_id = ?"
                    + " ORDER BY created_at DESC, id LIMIT 200",
                Impersonations::row,
                tenant.value()));
  }

  public Session get(TenantId tenant, String id) {
    return db.inTransaction(TenantScope.of(tenant), tx -> find(tx, tenant, id));
  }

  /**
   * What a request naming session {@code id} acts as: the member, with the role {@code roleOf} says
   * the member holds now (never more), when the session is in force and {@code caller} is the
   * engineer who asked for it; otherwise the caller itself, marked with a session that is not
   * active, which the policy refuses. Read under the platform scope: the caller's token names no
   * tenant.
   */
  public Actor actAs(
      Actor caller, String id, BiFunction<TenantId, String, Optional<String>> roleOf) {
    Optional<Session> found =
        db.inTransaction(
            TenantScope.platform(),
            tx ->
                tx.queryOne(
                    "SELECT " + COLUMNS + " FROM lifecycle_impersonations WHERE id = ?",
                    Impersonations::row,
                    id));
    Instant now = clock.instant();
    Optional<Session> mine = found.filter(s -> s.requestedBy(caller));
    Optional<String> role =
        mine.filter(s -> s.inForce(now))
            .flatMap(s -> roleOf.apply(TenantId.of(s.tenant()), s.subject()));
    if (role.isEmpty()) {
      String state =
          mine.map(s -> s.inForce(now) ? "member_removed" : s.stateAt(now)).orElse("unknown");
      return new Actor(
          caller.subject(),
          caller.tenant(),
          caller.roles(),
          caller.attributes(),
          caller.via(),
          Optional.of(new Impersonation(id, caller.subject(), caller.via(), false, state)));
    }
    Session s = mine.get();
    Impersonation i = new Impersonation(s.id(), caller.subject(), caller.via(), true, ACTIVE);
    return new Actor(
        s.subject(),
        Optional.of(TenantId.of(s.tenant())),
        List.of(role.get()),
        Map.of(),
        i.via(),
        Optional.of(i));
  }

  private Session find(Tx tx, TenantId tenant, String id) {
    return tx.queryOne(
            "SELECT " + COLUMNS + " FROM lifecycle_impersonations WHERE tenant_id = ? AND id = ?",
            Impersonations::row,
            tenant.value(),
            id)
        .orElseThrow(
            () ->
                MaestroException.of(
                    LifecycleErrors.IMPERSONATION_NOT_FOUND, "no impersonation " + id));
  }

  private void append(
      Tx tx,
      Session s,
      ReceiptType type,
      Actor actor,
      String verb,
      Decision decision,
      ObjectNode payload) {
    ReceiptDraft d =
        ReceiptDraft.of(
                LogId.tenant(TenantId.of(s.tenant())),
                type,
                actor,
                "impersonation." + verb,
                ReceiptDraft.Subject.of("impersonation", s.id()))
            .withPayload(payload);
    receipts.append(tx, decision == null ? d : d.withDecision(decision));
  }

  private static Session row(ResultSet rs) throws SQLException {
    return new Session(
        rs.getString("tenant_id"),
        rs.getString("id"),
        rs.getString("requested_by"),
        rs.getString("requester_via"),
        rs.getString("subject"),
        rs.getString("role"),
        rs.getString("reason"),
        rs.getInt("minutes"),
        rs.getString("state"),
        rs.getString("request_decision"),
        Tx.instant(rs, "created_at"),
        Optional.ofNullable(rs.getString("approved_by")),
        Optional.ofNullable(Tx.instant(rs, "started_at")),
        Optional.ofNullable(Tx.instant(rs, "expires_at")),
        Optional.ofNullable(Tx.instant(rs, "ended_at")),
        Optional.ofNullable(rs.getString("ended_by")));
  }

  private static MaestroException invalid(String detail) {
    return MaestroException.of(LifecycleErrors.IMPERSONATION_INVALID, detail);
  }
}
