package io.maestro.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.engine.RunStatus;
import io.maestro.engine.StepStatus;
import io.maestro.store.testing.Backend;
import org.junit.jupiter.api.AfterAll;

class EngineH2Test extends EngineContract {
  @Override
  Backend backend() {
    return Backend.H2;
  }

  /**
   * Every edge of both state machines must be taken by the scenarios above; an edge nobody
   * exercises is an edge nobody knows works. (Run the whole class: a filtered run skips scenarios.)
   */
  @AfterAll
  void everyTransitionWasExercised() {
    assertThat(coverage.unexercised(RunStatus.TRANSITIONS)).as("run edges never taken").isEmpty();
    assertThat(coverage.unexercised(StepStatus.TRANSITIONS)).as("step edges never taken").isEmpty();
  }
}
