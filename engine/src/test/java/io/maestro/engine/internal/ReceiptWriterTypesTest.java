package io.maestro.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.engine.EngineReceipts.Type;
import io.maestro.engine.RunStatus;
import io.maestro.engine.StepStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiptWriterTypesTest {
  @Test
  void everyStepEdge_hasItsOwnType() {
    List<Type> types = new ArrayList<>();
    for (var edge : StepStatus.TRANSITIONS.edges()) {
      Type type = ReceiptWriter.stepType(edge.event());
      types.add(type);
    }
    // One type per event: every event leads to exactly one state, so no two events may share one.
    assertThat(Arrays.stream(StepStatus.Event.values()).map(ReceiptWriter::stepType))
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(types.stream().distinct().toList());
  }

  @Test
  void everyRunEdge_hasItsOwnType() {
    List<Type> all = new ArrayList<>();
    all.add(ReceiptWriter.runType(null));
    Arrays.stream(RunStatus.Event.values()).map(ReceiptWriter::runType).forEach(all::add);
    assertThat(all).doesNotHaveDuplicates();
    assertThat(ReceiptWriter.runType(null)).isEqualTo(Type.RUN_STARTED);
  }

  @Test
  void timeouts_areNotRecordedAsFailures() {
    assertThat(ReceiptWriter.runType(RunStatus.Event.TIME_OUT)).isEqualTo(Type.RUN_TIMED_OUT);
    assertThat(ReceiptWriter.stepType(StepStatus.Event.TIME_OUT)).isEqualTo(Type.STEP_TIMED_OUT);
    assertThat(ReceiptWriter.stepType(StepStatus.Event.SKIP)).isEqualTo(Type.STEP_SKIPPED);
  }
}
