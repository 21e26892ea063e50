package io.maestro.provenance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.problem.MaestroException;
import io.maestro.provenance.internal.Json;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the server does when the log it is about to serve or sign does not verify — a receipt row
 * edited or deleted underneath the application, a tree that no longer extends the last signed
 * checkpoint: it counts the violation (an alert metric), writes a {@code log_integrity_violation}
 * receipt into the platform log, logs it, and the caller fails the request with {@link
 * ProvenanceErrors#INTEGRITY_VIOLATION} instead of serving a partial or unverifiable answer.
 *
 * <p>The platform receipt is written in its own transaction on a separate thread: the reader that
 * found the violation is inside a tenant-scoped transaction. The same violation (log and finding)
 * is recorded once per process, so a client retrying against a damaged row does not flood the
 * platform log. Thread-safe.
 */
public final class LogIntegrity {
  private static final Logger LOG = Logger.getLogger(LogIntegrity.class.getName());
  private static final int REMEMBERED = 1000;

  private final Database db;
  private final Receipts receipts;
  private final AtomicLong violations = new AtomicLong();
  private final Set<String> reported =
      Collections.synchronizedSet(
          Collections.newSetFromMap(
              new LinkedHashMap<>() {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > REMEMBERED;
                }
              }));

  private LogIntegrity(Database db, Receipts receipts) {
    this.db = db;
    this.receipts = receipts;
  }

  /** Records each violation as a receipt in the platform log of {@code db}. */
  public static LogIntegrity recording(Database db, Receipts receipts) {
    return new LogIntegrity(db, receipts);
  }

  /** Counts and logs violations without writing receipts (offline tools, tests of the reader). */
  public static LogIntegrity unrecorded() {
    return new LogIntegrity(null, null);
  }

  /** Violations detected since start (the {@code maestro_log_integrity_violations} metric). */
  public long violations() {
    return violations.get();
  }

  /**
   * Records a violation found in {@code log} and returns the exception the caller throws.
   *
   * @param finding what does not verify, e.g. {@code receipt 17 does not match its digest}
   */
  public MaestroException violation(LogId log, String finding) {
    String detail = "the receipt log of " + log + " does not verify: " + finding;
    if (reported.add(log.storageKey() + "\n" + finding)) {
      violations.incrementAndGet();
      LOG.severe("log_integrity_violation: " + detail);
      if (db != null) {
        Thread.ofVirtual().name("maestro-integrity-receipt").start(() -> record(log, finding));
      }
    }
    return MaestroException.of(ProvenanceErrors.INTEGRITY_VIOLATION, detail);
  }

  private void record(LogId log, String finding) {
    ObjectNode payload = Json.object();
    payload.put("log", log.storageKey());
    payload.put("finding", finding);
    try {
      db.useTransaction(
          TenantScope.platform(),
          tx ->
              receipts.append(
                  tx,
                  ReceiptDraft.of(
                          LogId.platform(),
                          ReceiptTypes.LOG_INTEGRITY_VIOLATION,
                          Actor.system("provenance"),
                          "log_integrity_violation",
                          ReceiptDraft.Subject.of("receipt_log", log.storageKey()))
                      .withPayload(payload)));
    } catch (RuntimeException e) {
      // The platform log itself may be what is damaged; the metric and the log line still tell.
      LOG.log(Level.SEVERE, "cannot record the log_integrity_violation receipt", e);
    }
  }
}
