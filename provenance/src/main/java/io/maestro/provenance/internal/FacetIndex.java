package io.maestro.provenance.internal;

import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptJson;
import io.maestro.store.StoreException;
import io.maestro.store.Tx;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The receipt search's facet index ({@code provenance_receipt_facet}): each placed receipt's actor
 * and, for a refusal, its reason codes, one row per value, so a search by actor or deny reason
 * reads an index rather than the log, and the filtered page read that joins it with the subject
 * index and the receipts.
 */
public final class FacetIndex {
  private FacetIndex() {}

  /** A facet of a receipt the search finds it by ({@code provenance_receipt_facet}). */
  public enum Facet {
    /** The actor's subject. */
    ACTOR("actor"),
    /** A reason code of a refusing decision. */
    REASON("reason");

    private final String column;

    Facet(String column) {
      this.column = column;
    }

    String column() {
      return column;
    }
  }

  /** The longest facet value indexed (the column's width); longer values are not searchable. */
  public static final int FACET_MAX = 400;

  /**
   * Indexes each placed receipt's actor and, for a refusal, its reason codes ({@code
   * provenance_receipt_facet}), so the search by actor or deny reason reads an index rather than
   * the log. Called in the transaction that places the receipts.
   */
  public static void insertFacets(Tx tx, List<ReceiptJson.Built> receipts) {
    List<Object[]> rows = new ArrayList<>();
    for (ReceiptJson.Built built : receipts) {
      Receipt r = built.receipt();
      String tenant = r.log().storageKey();
      if (r.actor().sub().length() <= FACET_MAX) {
        rows.add(new Object[] {tenant, r.seq(), Facet.ACTOR.column, r.actor().sub()});
      }
      r.decision()
          .filter(d -> !d.allow())
          .ifPresent(
              d ->
                  d.reasons().stream()
                      .map(io.maestro.core.Decision.Reason::code)
                      .filter(c -> !c.isEmpty() && c.length() <= FACET_MAX)
                      .distinct()
                      .forEach(
                          c -> rows.add(new Object[] {tenant, r.seq(), Facet.REASON.column, c})));
    }
    for (int from = 0; from < rows.size(); from += LogStore.INSERT_CHUNK) {
      List<Object[]> chunk =
          rows.subList(from, Math.min(rows.size(), from + LogStore.INSERT_CHUNK));
      StringBuilder sql =
          new StringBuilder(
              "INSERT INTO provenance_receipt_facet (tenant_id, seq, facet, facet_value) VALUES ");
      for (int i = 0; i < chunk.size(); i++) {
        sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?)");
      }
      try (PreparedStatement ps = tx.connection().prepareStatement(sql.toString())) {
        int p = 1;
        for (Object[] row : chunk) {
          ps.setString(p++, (String) row[0]);
          ps.setLong(p++, (Long) row[1]);
          ps.setString(p++, (String) row[2]);
          ps.setString(p++, (String) row[3]);
        }
        ps.executeUpdate();
      } catch (SQLException e) {
        throw new StoreException("cannot index receipts: " + e.getMessage(), e);
      }
    }
  }

  /**
   * What a page of receipts is filtered by: the subject's root, type, time, digest and facets (each
   * an index: the subject index, the type index, the digest index, the facet table).
   */
  public record Filter(
      Optional<String> subjectRoot,
      Optional<String> type,
      Optional<Instant> since,
      Optional<byte[]> digest,
      Map<Facet, String> facets) {
    public Filter {
      facets = Map.copyOf(facets);
    }
  }

  /** Receipts after {@code afterSeq} that pass {@code f}, in log order. */
  public static List<Receipt> list(
      Tx tx, io.maestro.provenance.LogId log, Filter f, long afterSeq, int limit) {
    StringBuilder sql =
        new StringBuilder("SELECT r.seq, r.digest, r.body, r.payload FROM provenance_receipt r");
    List<Object> args = new ArrayList<>();
    // The page is driven by the most selective index present; its ORDER BY names that index's
    // columns, as H2 reads a page off an index only when the ORDER BY starts with them (otherwise
    // it sorts every receipt of the tenant to return the first page).
    String order;
    String drive;
    if (f.subjectRoot().isPresent()) {
      sql.append(
          " JOIN provenance_receipt_subject s ON s.tenant_id = r.tenant_id AND s.seq = r.seq"
              + " AND s.subject_root = ?");
      args.add(f.subjectRoot().get());
      order = " ORDER BY s.seq";
      drive = "s";
    } else {
      order = null;
      drive = "r";
    }
    int n = 0;
    for (Map.Entry<Facet, String> e : new java.util.TreeMap<>(f.facets()).entrySet()) {
      String a = "f" + n++;
      sql.append(" JOIN provenance_receipt_facet ")
          .append(a)
          .append(" ON ")
          .append(a)
          .append(".tenant_id = r.tenant_id AND ")
          .append(a)
          .append(".seq = r.seq AND ")
          .append(a)
          .append(".facet = ? AND ")
          .append(a)
          .append(".facet_value = ?");
      args.add(e.getKey().column());
      args.add(e.getValue());
      if (order == null) {
        order =
            " ORDER BY " + a + ".tenant_id, " + a + ".facet, " + a + ".facet_value, " + a + ".seq";
        drive = a;
      }
    }
    sql.append(" WHERE ")
        .append(drive)
        .append(".tenant_id = ? AND ")
        .append(drive)
        .append(".seq > ?");
    args.add(log.storageKey());
    args.add(afterSeq);
    f.digest()
        .ifPresent(
            d -> {
              sql.append(" AND r.digest = ?");
              args.add(d);
            });
    f.type()
        .ifPresent(
            t -> {
              sql.append(" AND r.type = ?");
              args.add(t);
            });
    f.since()
        .ifPresent(
            s -> {
              sql.append(" AND r.occurred_at >= ?");
              args.add(s);
            });
    if (order == null) {
      order =
          f.digest().isPresent()
              ? " ORDER BY r.seq"
              : f.type().isPresent()
                  ? " ORDER BY r.tenant_id, r.type, r.seq"
                  : " ORDER BY r.tenant_id, r.seq";
    }
    sql.append(order).append(" LIMIT ?");
    args.add(limit);
    return tx.query(sql.toString(), LogStore::mapReceipt, args.toArray());
  }
}
