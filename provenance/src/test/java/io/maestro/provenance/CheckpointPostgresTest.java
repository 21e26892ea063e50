package io.maestro.provenance;

import static io.maestro.provenance.Fixtures.ACME;
import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.RequiresPostgres;
import io.maestro.store.testing.TestDatabase;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

@RequiresPostgres
class CheckpointPostgresTest extends CheckpointContract {
  @Override
  Backend backend() {
    return Backend.POSTGRESQL;
  }

  @Test
  void runOnce_skipsWhileAnotherProcessHoldsTheCheckpointerLock() throws Exception {
    appendMany(ACME, 3, 3);
    // A second connection pool on the same schema stands in for another server process.
    try (Database other =
        Database.open(
            TestDatabase.postgresUrl(), TestDatabase.postgresUser(), "", 2, db.schema())) {
      CountDownLatch locked = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Thread holder =
          Thread.ofPlatform()
              .start(
                  () ->
                      other.useTransaction(
                          TenantScope.platform(),
                          tx -> {
                            tx.queryOne(
                                "SELECT pg_advisory_xact_lock(?) IS NULL AS x",
                                rs -> rs.getBoolean("x"),
                                Checkpointer.ADVISORY_LOCK_KEY);
                            locked.countDown();
                            try {
                              release.await();
                            } catch (InterruptedException e) {
                              Thread.currentThread().interrupt();
                            }
                          }));
      locked.await();
      try {
        assertThat(provenance.checkpointer().runOnce()).isEqualTo(new Checkpointer.Run.Busy());
        java.util.Optional<Checkpoint> none =
            db.inTransaction(
                TenantScope.of(ACME),
                tx -> provenance.log().latestCheckpoint(tx, LogId.tenant(ACME)));
        assertThat(none).isEmpty();
      } finally {
        release.countDown();
        holder.join();
      }
      assertThat(provenance.checkpointer().runOnce()).isEqualTo(new Checkpointer.Run.Signed(1));
    }
  }
}
