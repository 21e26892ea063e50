package io.maestro.metering.internal;

import io.maestro.core.TenantId;
import io.maestro.metering.Reservation;
import io.maestro.store.Tx;
import java.math.BigDecimal;
import java.util.Optional;

/** SQL for {@code metering_reservations}, one row per run admitted under a budget (ADR 0030). */
public final class ReservationTable {
  private ReservationTable() {}

  private static final String COLUMNS =
      "run_id, decision_id, day_bucket, month_bucket, estimated_usd, held_usd, created_at,"
          + " released_at";

  /** Inserts a reservation once; false if the run already has one. */
  public static boolean insert(Tx tx, TenantId tenant, Reservation r) {
    return tx.update(
            "INSERT INTO metering_reservations (tenant_id, "
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            tenant.value(),
            r.runId(),
            r.decisionId(),
            r.day(),
            r.month(),
            r.estimatedUsd(),
            r.heldUsd(),
            r.createdAt(),
            r.releasedAt().orElse(null))
        == 1;
  }

  public static Optional<Reservation> find(Tx tx, TenantId tenant, String runId) {
    return tx.queryOne(
        "SELECT " + COLUMNS + " FROM metering_reservations WHERE tenant_id = ? AND run_id = ?",
        rs ->
            new Reservation(
                rs.getString("run_id"),
                rs.getString("decision_id"),
                Tx.instant(rs, "day_bucket"),
                Tx.instant(rs, "month_bucket"),
                rs.getBigDecimal("estimated_usd"),
                rs.getBigDecimal("held_usd"),
                Tx.instant(rs, "created_at"),
                rs.getObject("released_at") == null
                    ? Optional.empty()
                    : Optional.of(Tx.instant(rs, "released_at"))),
        tenant.value(),
        runId);
  }

  /** Sets what the reservation still holds (and, when released, when). */
  public static void update(
      Tx tx,
      TenantId tenant,
      String runId,
      BigDecimal held,
      Optional<java.time.Instant> releasedAt) {
    tx.update(
        "UPDATE metering_reservations SET held_usd = ?, released_at = ? WHERE tenant_id = ?"
            + " AND run_id = ?",
        held,
        releasedAt.orElse(null),
        tenant.value(),
        runId);
  }

  /**
   * Takes {@code usd} out of what an open reservation holds, never below zero, in one statement; a
   * released reservation, or one that holds nothing, is left as it is.
   */
  public static void consume(Tx tx, TenantId tenant, String runId, BigDecimal usd) {
    tx.update(
        "UPDATE metering_reservations SET held_usd = CASE WHEN held_usd > ? THEN held_usd - ?"
            + " ELSE 0 END WHERE tenant_id = ? AND run_id = ? AND released_at IS NULL"
            + " AND held_usd > 0",
        usd,
        usd,
        tenant.value(),
        runId);
  }
}
