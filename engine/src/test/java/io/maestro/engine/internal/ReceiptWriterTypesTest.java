package io.maestro.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.engine.run.RunStatus;
import io.maestro.engine.run.StepStatus;
import io.maestro.provenance.ReceiptType;
import io.maestro.provenance.ReceiptTypes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiptWriterTypesTest {
  @Test
  void everyStepEdge_hasItsOwnCataloguedType() {
    List<ReceiptType> types = new ArrayList<>();
    for (var edge : StepStatus.TRANSITIONS.edges()) {
      ReceiptType type = ReceiptWriter.stepType(edge.event());
      assertThat(ReceiptTypes.ALL).as("catalogue has the type of %s", edge).contains(type);
      types.add(type);
    }
    // One type per event: every event leads to exactly one state, so no two events may share one.
    assertThat(Arrays.stream(StepStatus.Event.values()).map(ReceiptWriter::stepType))
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(types.stream().distinct().toList());
  }

  @Test
  void everyRunEdge_hasItsOwnCataloguedType() {
    for (var edge : RunStatus.TRANSITIONS.edges()) {
      assertThat(ReceiptTypes.ALL).contains(ReceiptWriter.runType(edge.event()));
    }
    List<ReceiptType> all = new ArrayList<>();
    all.add(ReceiptWriter.runType(null));
    Arrays.stream(RunStatus.Event.values()).map(ReceiptWriter::runType).forEach(all::add);
    assertThat(all).doesNotHaveDuplicates();
    assertThat(ReceiptWriter.runType(null)).isEqualTo(ReceiptTypes.RUN_STARTED);
  }

  @Test
  void timeouts_areNotRecordedAsFailures() {
    assertThat(ReceiptWriter.runType(RunStatus.Event.TIME_OUT))
        .isEqualTo(ReceiptTypes.RUN_TIMED_OUT);
    assertThat(ReceiptWriter.stepType(StepStatus.Event.TIME_OUT))
        .isEqualTo(ReceiptTypes.STEP_TIMED_OUT);
    assertThat(ReceiptWriter.stepType(StepStatus.Event.SKIP)).isEqualTo(ReceiptTypes.STEP_SKIPPED);
  }
}
