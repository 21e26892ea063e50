package io.maestro.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.TenantId;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Transactions, scopes and migrations, run against every backend. */
abstract class DatabaseContract {
  abstract Backend backend();

  TestDatabase tdb;
  Database db;

  @BeforeEach
  void open() {
    tdb = backend().open();
    db = tdb.database();
    db.useTransaction(
        TenantScope.platform(),
        tx ->
            tx.update(
                "CREATE TABLE notes (tenant_id VARCHAR(63) NOT NULL, body VARCHAR(100) NOT NULL,"
                    + " at TIMESTAMP WITH TIME ZONE)"));
  }

  @AfterEach
  void close() {
    tdb.close();
  }

  private int count() {
    return db.inTransaction(
        TenantScope.platform(),
        tx -> tx.queryOne("SELECT count(*) AS n FROM notes", rs -> rs.getInt("n")).orElseThrow());
  }

  @Test
  void inTransaction_commitsEverythingTogether() {
    db.inTransaction(
        TenantScope.of(TenantId.of("acme")),
        tx -> {
          tx.update("INSERT INTO notes (tenant_id, body) VALUES (?, ?)", "acme", "one");
          return tx.update("INSERT INTO notes (tenant_id, body) VALUES (?, ?)", "acme", "two");
        });
    assertThat(count()).isEqualTo(2);
  }

  @Test
  void inTransaction_rollsBackEverythingOnFailure() {
    assertThatThrownBy(
            () ->
                db.inTransaction(
                    TenantScope.of(TenantId.of("acme")),
                    tx -> {
                      tx.update("INSERT INTO notes (tenant_id, body) VALUES (?, ?)", "acme", "one");
                      throw new IllegalStateException("boom");
                    }))
        .hasMessage("boom");
    assertThat(count()).isZero();
  }

  @Test
  void inTransaction_badSql_isAStoreExceptionAndNothingIsKept() {
    assertThatThrownBy(
            () ->
                db.inTransaction(
                    TenantScope.platform(),
                    tx -> {
                      tx.update("INSERT INTO notes (tenant_id, body) VALUES (?, ?)", "a", "x");
                      return tx.update("INSERT INTO nowhere VALUES (1)");
                    }))
        .isInstanceOf(StoreException.class)
        .satisfies(e -> assertThat(((StoreException) e).retryable()).isFalse());
    assertThat(count()).isZero();
  }

  @Test
  void afterCommit_runsOnlyAfterASuccessfulCommit() {
    List<String> events = new ArrayList<>();
    db.useTransaction(TenantScope.platform(), tx -> tx.afterCommit(() -> events.add("committed")));
    assertThatThrownBy(
            () ->
                db.useTransaction(
                    TenantScope.platform(),
                    tx -> {
                      tx.afterCommit(() -> events.add("must not run"));
                      throw new IllegalStateException("rollback");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(events).containsExactly("committed");
  }

  @Test
  void instants_roundTripAsTimestampsWithTimeZone() {
    Instant at = Instant.parse("2026-11-22T10:15:30.123456Z");
    db.useTransaction(
        TenantScope.platform(),
        tx -> tx.update("INSERT INTO notes (tenant_id, body, at) VALUES (?, ?, ?)", "a", "x", at));
    Instant read =
        db.inTransaction(
            TenantScope.platform(),
            tx -> tx.queryOne("SELECT at FROM notes", rs -> Tx.instant(rs, "at")).orElseThrow());
    assertThat(read).isEqualTo(at);
  }

  @Test
  void migrations_areUpToDateAfterMigrate() {
    Migrations.SchemaStatus status = Migrations.status(db);
    assertThat(status.upToDate()).isTrue();
    assertThat(status.applied()).isPositive();
    assertThat(Migrations.migrate(db)).as("a second run applies nothing").isZero();
  }

  @Test
  void inTransaction_isUsableFromManyThreads() throws InterruptedException {
    AtomicInteger failures = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      int n = i;
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      for (int j = 0; j < 10; j++) {
                        String body = "b" + j;
                        db.inTransaction(
                            TenantScope.platform(),
                            tx ->
                                tx.update(
                                    "INSERT INTO notes (tenant_id, body) VALUES (?, ?)",
                                    "t" + n,
                                    body));
                      }
                    } catch (RuntimeException e) {
                      failures.incrementAndGet();
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failures).hasValue(0);
    assertThat(count()).isEqualTo(80);
  }
}
