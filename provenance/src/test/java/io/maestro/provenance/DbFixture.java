package io.maestro.provenance;

import io.maestro.provenance.keys.FileKeyStore;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.TestDatabase;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh migrated database and a provenance instance with its keys in a temporary directory. */
abstract class DbFixture {
  abstract Backend backend();

  @TempDir Path dataDir;

  TestDatabase tdb;
  Database db;
  TestClock clock;
  Provenance provenance;

  @BeforeEach
  void openProvenance() {
    tdb = backend().open();
    db = tdb.database();
    clock = new TestClock(Instant.parse("2026-11-22T10:00:00Z"));
    provenance = openProvenance(dataDir.resolve("keys"));
  }

  Provenance openProvenance(Path keyDir) {
    return Provenance.open(
        db,
        new ProvenanceSettings("maestro.test", Duration.ofSeconds(1), 1000),
        new FileKeyStore(keyDir),
        clock,
        new SplittableRandom(7),
        new SecureRandom());
  }

  @AfterEach
  void closeProvenance() {
    provenance.checkpointer().close();
    tdb.close();
  }

  Receipt append(ReceiptDraft draft) {
    TenantScope scope =
        draft.log() instanceof LogId.Tenant t ? TenantScope.of(t.id()) : TenantScope.platform();
    return db.inTransaction(scope, tx -> provenance.receipts().append(tx, draft));
  }

  /** Appends {@code n} receipts to {@code tenant}'s log in batches of {@code batch}. */
  List<Receipt> appendMany(io.maestro.core.TenantId tenant, int n, int batch) {
    List<Receipt> out = new ArrayList<>();
    for (int i = 0; i < n; i += batch) {
      List<ReceiptDraft> drafts = new ArrayList<>();
      for (int j = i; j < Math.min(n, i + batch); j++) {
        drafts.add(Fixtures.runStarted(tenant, j));
      }
      out.addAll(
          db.inTransaction(
              TenantScope.of(tenant), tx -> provenance.receipts().appendAll(tx, drafts)));
      clock.advance(Duration.ofMillis(3));
    }
    return out;
  }

  Checkpoint checkpoint(LogId log) {
    provenance.checkpointer().runOnce();
    TenantScope scope =
        log instanceof LogId.Tenant t ? TenantScope.of(t.id()) : TenantScope.platform();
    return db.inTransaction(scope, tx -> provenance.log().latestCheckpoint(tx, log)).orElseThrow();
  }

  /**
   * Empties {@code table} and runs the {@code INSERT} statements of common migration {@code file}
   * again: what a backfill writes must equal what the write path wrote.
   */
  void rerunBackfill(String table, String file) throws java.io.IOException {
    String sql;
    try (java.io.InputStream in =
        DbFixture.class.getResourceAsStream("/db/migration/common/" + file)) {
      sql = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    List<String> inserts = new ArrayList<>();
    int from = sql.indexOf("INSERT INTO");
    while (from >= 0) {
      int end = sql.indexOf(';', from);
      inserts.add(sql.substring(from, end));
      from = sql.indexOf("INSERT INTO", end);
    }
    db.useTransaction(
        TenantScope.platform(),
        tx -> {
          tx.update("DELETE FROM " + table);
          inserts.forEach(tx::update);
        });
  }
}
