package io.maestro.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit on the embedded H2 file database: concurrent commits share syncs. */
class GroupSyncTest {
  @TempDir Path dataDir;

  @Test
  void aLoneCommit_waitsForExactlyOneSync() {
    try (Database db = Database.open(Database.embeddedUrl(dataDir), "", "", 4, "")) {
      db.useTransaction(TenantScope.platform(), tx -> tx.update("CREATE TABLE t (n INT)"));
      long before = db.commitSyncs();
      db.useTransaction(TenantScope.platform(), tx -> tx.update("INSERT INTO t VALUES (1)"));
      assertThat(db.commitSyncs() - before).isEqualTo(1);
    }
  }

  @Test
  void concurrentCommits_shareSyncs_andEveryRowIsStoredAfterReopening() throws Exception {
    int threads = 16;
    int perThread = 25;
    try (Database db = Database.open(Database.embeddedUrl(dataDir), "", "", threads, "")) {
      db.useTransaction(TenantScope.platform(), tx -> tx.update("CREATE TABLE t (n INT)"));
      long before = db.commitSyncs();
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int base = t * perThread;
        workers.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      try {
                        go.await();
                      } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                      }
                      for (int i = 0; i < perThread; i++) {
                        int n = base + i;
                        db.useTransaction(
                            TenantScope.platform(), tx -> tx.update("INSERT INTO t VALUES (?)", n));
                      }
                    }));
      }
      go.countDown();
      for (Thread w : workers) {
        w.join();
      }
      long syncs = db.commitSyncs() - before;
      assertThat(syncs).as("every commit was made durable by some sync").isPositive();
      assertThat(syncs)
          .as("%d commits shared %d syncs", threads * perThread, syncs)
          .isLessThan(threads * perThread);
    }
    try (Database db = Database.open(Database.embeddedUrl(dataDir), "", "", 2, "")) {
      long rows =
          db.inTransaction(
              TenantScope.platform(),
              tx -> tx.queryOne("SELECT count(*) FROM t", rs -> rs.getLong(1)).orElseThrow());
      assertThat(rows).isEqualTo(threads * perThread);
    }
  }
}
