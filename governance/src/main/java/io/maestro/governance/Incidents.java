package io.maestro.governance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.Ids;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.governance.internal.IncidentStore;
import io.maestro.governance.internal.ReceiptSupport;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptType;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Incidents on ramped workflow versions and their timelines. Every step (opened, mitigation applied
 * or refused, recovered, closed) is a receipt in the tenant's log and a timeline row, written in
 * one transaction.
 */
public final class Incidents {
  public static final String BREACH_DETECTED = "breach_detected";
  public static final String MITIGATION_APPLIED = "mitigation_applied";
  public static final String MITIGATION_REFUSED = "mitigation_refused";
  public static final String RECOVERED = "recovered";
  public static final String CLOSED = "closed";

  private final Database db;
  private final IncidentStore store = new IncidentStore();
  private final ReceiptSupport receipts;
  private final Clock clock;
  private final Ids ids;

  Incidents(Database db, ReceiptSupport receipts, Clock clock, Ids ids) {
    this.db = db;
    this.receipts = receipts;
    this.clock = clock;
    this.ids = ids;
  }

  /**
   * Records a breach of {@code workflow@version}: opens an incident with the breach as its first
   * step, or adds the breach to the incident already open on that version. Returns the incident.
   */
  public Incident breach(
      Actor controller, TenantId tenant, String workflow, String version, ObjectNode numbers) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          Optional<Incident> open = store.open(tx, tenant.value(), workflow, version);
          if (open.isEmpty()) {
            String id = ids.next("inc");
            boolean opened =
                store.insert(
                    tx,
                    new Incident(
                        id,
                        tenant.value(),
                        workflow,
                        version,
                        Incident.OPEN,
                        workflow + "@" + version + " breached its error budget while ramped",
                        clock.instant(),
                        Optional.empty(),
                        Optional.empty(),
                        List.of()));
            if (opened) {
              step(
                  tx,
                  controller,
                  null,
                  tenant,
                  id,
                  ReceiptTypes.INCIDENT_OPENED,
                  BREACH_DETECTED,
                  numbers);
              return store.get(tx, tenant.value(), id).orElseThrow();
            }
            // Another server opened it in the meantime: join that incident.
            open = store.open(tx, tenant.value(), workflow, version);
          }
          String id = open.orElseThrow().id();
          step(
              tx,
              controller,
              null,
              tenant,
              id,
              ReceiptTypes.INCIDENT_UPDATED,
              BREACH_DETECTED,
              numbers);
          return store.get(tx, tenant.value(), id).orElseThrow();
        });
  }

  /**
   * Adds a step ({@link #MITIGATION_APPLIED}, {@link #MITIGATION_REFUSED}, {@link #RECOVERED}) to
   * an open incident's timeline.
   *
   * @param decision the decision behind the step, when one was made
   */
  public Incident note(
      Actor actor,
      Optional<Decision> decision,
      TenantId tenant,
      String id,
      String kind,
      ObjectNode detail) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          Incident i = require(tx, tenant, id);
          if (!Incident.OPEN.equals(i.status())) {
            throw MaestroException.of(
                ControlErrors.INCIDENT_CLOSED, "incident " + id + " is closed");
          }
          step(
              tx,
              actor,
              decision.orElse(null),
              tenant,
              id,
              ReceiptTypes.INCIDENT_UPDATED,
              kind,
              detail);
          return store.get(tx, tenant.value(), id).orElseThrow();
        });
  }

  /** Closes an open incident: the last step of its timeline, with who closed it and why. */
  public Incident close(
      Actor actor, Decision decision, TenantId tenant, String id, Optional<String> comment) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          require(tx, tenant, id);
          if (!store.close(tx, tenant.value(), id, actor.subject(), clock.instant())) {
            throw MaestroException.of(
                ControlErrors.INCIDENT_CLOSED, "incident " + id + " is already closed");
          }
          ObjectNode detail = ReceiptSupport.JSON.createObjectNode();
          comment.ifPresent(c -> detail.put("comment", c));
          step(tx, actor, decision, tenant, id, ReceiptTypes.INCIDENT_CLOSED, CLOSED, detail);
          return store.get(tx, tenant.value(), id).orElseThrow();
        });
  }

  /** Newest first, at most {@code limit} (1–500), without timelines. */
  public List<Incident> list(TenantId tenant, Optional<String> status, int limit) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> store.list(tx, tenant.value(), status, Math.max(1, Math.min(limit, 500))));
  }

  public Optional<Incident> get(TenantId tenant, String id) {
    return db.inTransaction(TenantScope.of(tenant), tx -> store.get(tx, tenant.value(), id));
  }

  /** Every tenant's open incidents, with their timelines (for the rollback controller). */
  public List<Incident> openEverywhere() {
    return db.inTransaction(TenantScope.platform(), store::openEverywhere);
  }

  /** The incident open on {@code workflow@version}, if any. */
  public Optional<Incident> openOn(TenantId tenant, String workflow, String version) {
    return db.inTransaction(
        TenantScope.of(tenant), tx -> store.open(tx, tenant.value(), workflow, version));
  }

  private Incident require(Tx tx, TenantId tenant, String id) {
    return store
        .get(tx, tenant.value(), id)
        .orElseThrow(
            () -> MaestroException.of(ControlErrors.INCIDENT_NOT_FOUND, "no incident " + id));
  }

  private void step(
      Tx tx,
      Actor actor,
      Decision decision,
      TenantId tenant,
      String id,
      ReceiptType type,
      String kind,
      ObjectNode detail) {
    ObjectNode payload = ReceiptSupport.JSON.createObjectNode();
    payload.put("incident", id);
    payload.put("step", kind);
    payload.set("detail", detail.deepCopy());
    Receipt r =
        receipts.append(
            tx, tenant.value(), type, actor, "incident." + kind, "incident", id, decision, payload);
    store.addEvent(
        tx, tenant.value(), id, clock.instant(), kind, detail.toString(), actor.subject(), r.id());
  }
}
