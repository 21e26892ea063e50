package io.maestro.governance.internal;

import io.maestro.core.json.Json;
import io.maestro.governance.Incident;
import io.maestro.store.Tx;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The SQL of the incident tables; every method runs in the caller's transaction. */
public final class IncidentStore {

  /**
   * Inserts an open incident unless one is already open on its workflow version (committed by
   * another transaction, perhaps another server's, meanwhile: the unique open subject makes this
   * insert wait for it and then insert nothing). Returns whether it inserted.
   */
  public boolean insert(Tx tx, Incident i) {
    return tx.update(
            "INSERT INTO governance_incidents (id, tenant_id, workflow, version, status, title,"
                + " opened_at, open_subject) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO"
                + " NOTHING",
            i.id(),
            i.tenant(),
            i.workflow(),
            i.version(),
            i.status(),
            i.title(),
            i.openedAt(),
            i.workflow() + "@" + i.version())
        == 1;
  }

  /** Appends a timeline step; returns its sequence number. */
  public int addEvent(
      Tx tx,
      String tenant,
      String incident,
      Instant at,
      String kind,
      String detail,
      String actor,
      String receiptId) {
    int seq =
        tx.queryOne(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM governance_incident_events"
                    + " WHERE tenant_id = ? AND incident_id = ?",
                rs -> rs.getInt(1),
                tenant,
                incident)
            .orElse(1);
    tx.update(
        "INSERT INTO governance_incident_events (tenant_id, incident_id, seq, at, kind, detail,"
            + " actor, receipt_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        tenant,
        incident,
        seq,
        at,
        kind,
        detail,
        actor,
        receiptId);
    return seq;
  }

  public boolean close(Tx tx, String tenant, String id, String by, Instant at) {
    return tx.update(
            "UPDATE governance_incidents SET status = ?, closed_at = ?, closed_by = ?,"
                + " open_subject = NULL WHERE tenant_id = ? AND id = ? AND status = ?",
            Incident.CLOSED,
            at,
            by,
            tenant,
            id,
            Incident.OPEN)
        == 1;
  }

  /** The open incident on a workflow version, locked for the caller's update. */
  public Optional<Incident> open(Tx tx, String tenant, String workflow, String version) {
    return tx.queryOne(
            "SELECT * FROM governance_incidents WHERE tenant_id = ? AND workflow = ?"
                + " AND version = ? AND status = ? FOR UPDATE",
            IncidentStore::row,
            tenant,
            workflow,
            version,
            Incident.OPEN)
        .map(i -> withTimeline(tx, i));
  }

  public List<Incident> openEverywhere(Tx tx) {
    return tx
        .query(
            "SELECT * FROM governance_incidents WHERE status = ? ORDER BY tenant_id, opened_at",
            IncidentStore::row,
            Incident.OPEN)
        .stream()
        .map(i -> withTimeline(tx, i))
        .toList();
  }

  public Optional<Incident> get(Tx tx, String tenant, String id) {
    return tx.queryOne(
            "SELECT * FROM governance_incidents WHERE tenant_id = ? AND id = ?",
            IncidentStore::row,
            tenant,
            id)
        .map(i -> withTimeline(tx, i));
  }

  /** Newest first, without timelines. */
  public List<Incident> list(Tx tx, String tenant, Optional<String> status, int limit) {
    return status.isPresent()
        ? tx.query(
            "SELECT * FROM governance_incidents WHERE tenant_id = ? AND status = ?"
                + " ORDER BY opened_at DESC, id DESC LIMIT "
                + limit,
            IncidentStore::row,
            tenant,
            status.get())
        : tx.query(
            "SELECT * FROM governance_incidents WHERE tenant_id = ?"
                + " ORDER BY opened_at DESC, id DESC LIMIT "
                + limit,
            IncidentStore::row,
            tenant);
  }

  private Incident withTimeline(Tx tx, Incident i) {
    List<Incident.Event> events =
        tx.query(
            "SELECT * FROM governance_incident_events WHERE tenant_id = ? AND incident_id = ?"
                + " ORDER BY seq",
            IncidentStore::event,
            i.tenant(),
            i.id());
    return new Incident(
        i.id(),
        i.tenant(),
        i.workflow(),
        i.version(),
        i.status(),
        i.title(),
        i.openedAt(),
        i.closedAt(),
        i.closedBy(),
        events);
  }

  private static Incident row(ResultSet rs) throws SQLException {
    return new Incident(
        rs.getString("id"),
        rs.getString("tenant_id"),
        rs.getString("workflow"),
        rs.getString("version"),
        rs.getString("status"),
        rs.getString("title"),
        Tx.instant(rs, "opened_at"),
        Optional.ofNullable(Tx.instant(rs, "closed_at")),
        Optional.ofNullable(rs.getString("closed_by")),
        List.of());
  }

  private static Incident.Event event(ResultSet rs) throws SQLException {
    try {
      return new Incident.Event(
          rs.getInt("seq"),
          Tx.instant(rs, "at"),
          rs.getString("kind"),
          Json.MAPPER.readTree(rs.getString("detail")),
          rs.getString("actor"),
          rs.getString("receipt_id"));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
