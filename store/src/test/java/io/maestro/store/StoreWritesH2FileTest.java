package io.maestro.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.store.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

  @Test
  void aSecondWriter_waitsUntilTheFirstHasEnded_whileReadersDoNot() throws Exception {
    CountDownLatch written = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> first =
        CompletableFuture.runAsync(
            () ->
                db.useTransaction(
                    TenantScope.platform(),
                    tx -> {
                      tx.update("INSERT INTO notes (body) VALUES ('first')");
                      written.countDown();
                      try {
                        release.await();
                      } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                      }
                    }),
            threads);
    assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
    java.util.concurrent.atomic.AtomicBoolean secondChanged =
        new java.util.concurrent.atomic.AtomicBoolean();
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

    assertThat(count()).as("a reader does not wait, and sees nothing uncommitted").isZero();
    Thread.sleep(300);
    assertThat(secondChanged).as("the second writer's change waits for the first").isFalse();

    release.countDown();
    first.get(10, TimeUnit.SECONDS);
    second.get(10, TimeUnit.SECONDS);
    assertThat(count()).isEqualTo(2);
  }

  @Test
  void aQueryThatChangesRows_holdsTheLockLikeAnUpdate() throws Exception {
    insert("counter");
    CountDownLatch changed = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> first =
        CompletableFuture.runAsync(
            () ->
                db.useTransaction(
                    TenantScope.platform(),
                    tx -> {
                      tx.query(
                          "SELECT body FROM FINAL TABLE (UPDATE notes SET body = 'first')",
                          rs -> rs.getString(1));
                      changed.countDown();
                      try {
                        release.await();
                      } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                      }
                    }),
            threads);
    assertThat(changed.await(10, TimeUnit.SECONDS)).isTrue();
    java.util.concurrent.atomic.AtomicBoolean secondChanged =
        new java.util.concurrent.atomic.AtomicBoolean();
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
    Thread.sleep(300);
    assertThat(secondChanged).as("the second writer waits for the first").isFalse();
    release.countDown();
    first.get(10, TimeUnit.SECONDS);
    second.get(10, TimeUnit.SECONDS);
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
}
