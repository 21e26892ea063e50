package io.maestro.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.engine.Engine;
import io.maestro.engine.EngineHarness;
import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.engine.StepView;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.RequiresPostgres;
import io.maestro.store.testing.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

@RequiresPostgres
class ChainedStepsPostgresTest extends ChainedStepsContract {
  @Override
  TestDatabase open(Path dir) {
    return TestDatabase.postgres();
  }

  @Test
  void aSuccessorThatFailsToStart_leavesItsPredecessorsOutcomeRecordedAlone() {
    Engine e = engine(EngineHarness.fastWorkers());
    // The first start of step s1 fails inside the database (a sequence is not rolled back, so only
    // the first try fails): that is the transaction recording s0's outcome and starting s1.
    tdb.database()
        .inTransaction(
            TenantScope.platform(),
            tx -> {
              tx.update("CREATE SEQUENCE chain_fault");
              tx.update(
                  "CREATE FUNCTION chain_fault() RETURNS trigger AS $$ BEGIN IF NEW.step_id ="
                      + " 's1' AND NEW.status = 'RUNNING' AND nextval('chain_fault') = 1 THEN"
                      + " RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END $$ LANGUAGE"
                      + " plpgsql");
              tx.update(
                  "CREATE TRIGGER chain_fault BEFORE UPDATE ON engine_steps FOR EACH ROW EXECUTE"
                      + " FUNCTION chain_fault()");
              return null;
            });
    EngineHarness.publish(e, steps("three", 3));
    e.startWorkers();
    String runId = EngineHarness.start(e, "three", Map.of());
    RunView run = EngineHarness.awaitEnd(e, runId);
    awaitHandled(3);

    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.steps())
        .as("s0's outcome was recorded once, s1 started on its second try without a redelivery")
        .extracting(StepView::deliveries)
        .containsOnly(1);
    assertThat(handled).extracting(Handled::stepId).containsExactly("s0", "s1", "s2");
    assertThat(handled.get(1).thread())
        .as("s1 was dispatched anew after the combined transaction failed")
        .isNotEqualTo(handled.get(0).thread());
    Long tries =
        tdb.database()
            .inTransaction(
                TenantScope.platform(),
                tx ->
                    tx.queryOne("SELECT last_value FROM chain_fault", rs -> rs.getLong(1))
                        .orElseThrow());
    assertThat(tries)
        .as("s1 was started twice: the failed chain, then its own dispatch")
        .isEqualTo(2);
  }
}
