package io.maestro.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.store.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the embedded file database a transaction that changes something holds the store's write lock
 * until it ends, so that no store captures part of it (ADR 0058); readers never wait for it.
 */
class StoreWritesH2FileTest {
  @TempDir Path dir;
  // Each task on its own thread: the common pool may have a single one on a small machine.
  final java.util.concurrent.ExecutorService threads =
      java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
  TestDatabase tdb;
  Database db;

  @BeforeEach
  void open() {
    tdb = TestDatabase.h2File(dir.resolve("data"));
    db = tdb.database();
    db.useTransaction(
        TenantScope.platform(), tx -> tx.update("CREATE TABLE notes (body VARCHAR(100))"));
  }

  @AfterEach
  void close() {
    threads.shutdownNow();
    tdb.close();
  }

  private void insert(String body) {
    db.useTransaction(
        TenantScope.platform(), tx -> tx.update("INSERT INTO notes (body) VALUES (?)", body));
  }

  private long count() {
    return db.inTransaction(
        TenantScope.platform(),
        tx -> tx.queryOne("SELECT count(*) FROM notes", rs -> rs.getLong(1)).orElseThrow());
  }

  /**
   * Runs {@code firstChange} in a transaction that stays open, then a second writer, and checks
   * that the second writer's change waits until the first transaction has ended; {@code whileOpen}
   * runs while both are pending.
   */
  private void secondWriterWaitsFor(Database.TxConsumer firstChange, Runnable whileOpen)
      throws Exception {
    CountDownLatch changed = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> first =
        CompletableFuture.runAsync(
            () ->
                db.useTransaction(
                    TenantScope.platform(),
                    tx -> {
                      firstChange.accept(tx);
                      changed.countDown();
                      try {
                        release.await();
                      } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                      }
                    }),
            threads);
    assertThat(changed.await(10, TimeUnit.SECONDS)).isTrue();
    AtomicBoolean secondChanged = new AtomicBoolean();
    CompletableFuture<Void> second =
        CompletableFuture.runAsync(
            () ->
                db.useTransaction(
                    TenantScope.platform(),
                    tx -> {
                      tx.update("INSERT INTO notes (body) VALUES ('second')");
                      secondChanged.set(true);
                    }),
            threads);
    whileOpen.run();
    Thread.sleep(300);
    assertThat(secondChanged).as("the second writer's change waits for the first").isFalse();
    release.countDown();
    first.get(10, TimeUnit.SECONDS);
    second.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aSecondWriter_waitsUntilTheFirstHasEnded_whileReadersDoNot() throws Exception {
    secondWriterWaitsFor(
        tx -> tx.update("INSERT INTO notes (body) VALUES ('first')"),
        () -> assertThat(count()).as("a reader does not wait, sees nothing uncommitted").isZero());
    assertThat(count()).isEqualTo(2);
  }

  @Test
  void aQueryThatChangesRows_holdsTheLockLikeAnUpdate() throws Exception {
    insert("counter");
    secondWriterWaitsFor(
        tx ->
            tx.query(
                "SELECT body FROM FINAL TABLE (UPDATE notes SET body = 'first')",
                rs -> rs.getString(1)),
        () -> {});
    assertThat(count()).isEqualTo(2);
  }

  @Test
  void aTransactionCommittedInsideAWritingOne_flushesByItself() throws Exception {
    CompletableFuture<Void> nested =
        CompletableFuture.runAsync(
            () ->
                db.useTransaction(
                    TenantScope.platform(),
                    tx -> {
                      tx.update("INSERT INTO notes (body) VALUES ('outer')");
                      insert("inner"); // commits durably while the outer one holds the lock
                    }),
            threads);
    nested.get(Duration.ofSeconds(20).toSeconds(), TimeUnit.SECONDS);
    assertThat(count()).isEqualTo(2);
    insert("after"); // the lock was released
    assertThat(count()).isEqualTo(3);
  }

  @Test
  void aFailedWriter_releasesTheLock() throws Exception {
    try {
      db.useTransaction(
          TenantScope.platform(),
          tx -> {
            tx.update("INSERT INTO notes (body) VALUES ('doomed')");
            throw new IllegalStateException("the change failed");
          });
    } catch (IllegalStateException expected) {
      // rolled back
    }
    CompletableFuture.runAsync(() -> insert("next"), threads).get(10, TimeUnit.SECONDS);
    assertThat(count()).isEqualTo(1);
  }

  @Test
  void aTransactionOpenedInsideAWritingOne_getsAConnection_whileWaitingWritersHoldThePool()
      throws Exception {
    // Two connections: the writer holds one, a second writer takes the other and waits for the
    // lock.
    try (Database small =
        Database.open(Database.embeddedUrl(dir.resolve("small")), "", "", 2, "")) {
      small.useTransaction(
          TenantScope.platform(), tx -> tx.update("CREATE TABLE notes (body VARCHAR(100))"));
      CountDownLatch changed = new CountDownLatch(1);
      CountDownLatch poolHeld = new CountDownLatch(1);
      CompletableFuture<Long> writer =
          CompletableFuture.supplyAsync(
              () ->
                  small.inTransaction(
                      TenantScope.platform(),
                      tx -> {
                        tx.update("INSERT INTO notes (body) VALUES ('first')");
                        changed.countDown();
                        await(poolHeld);
                        // A read in a transaction of its own, as a cache miss does mid-transaction.
                        return small.inTransaction(
                            TenantScope.platform(),
                            inner ->
                                inner
                                    .queryOne("SELECT count(*) FROM notes", rs -> rs.getLong(1))
                                    .orElseThrow());
                      }),
              threads);
      assertThat(changed.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Void> second =
          CompletableFuture.runAsync(
              () ->
                  small.useTransaction(
                      TenantScope.platform(),
                      tx -> tx.update("INSERT INTO notes (body) VALUES ('second')")),
              threads);
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (small.pool().getHikariPoolMXBean().getActiveConnections() < 2
          && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      assertThat(small.pool().getHikariPoolMXBean().getActiveConnections()).isEqualTo(2);
      poolHeld.countDown();
      // Before, the inner transaction waited for the pool's 10 s timeout and failed.
      assertThat(writer.get(5, TimeUnit.SECONDS)).as("the inner read sees committed rows").isZero();
      second.get(10, TimeUnit.SECONDS);
      long rows =
          small.inTransaction(
              TenantScope.platform(),
              tx -> tx.queryOne("SELECT count(*) FROM notes", rs -> rs.getLong(1)).orElseThrow());
      assertThat(rows).isEqualTo(2);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
