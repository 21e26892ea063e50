package io.maestro.metering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The event contract billing sinks rely on: every event type, as a CloudEvents 1.0 JSON document,
 * carries every required attribute and every data field, and the four dimensions (tenant, env,
 * actor type, workflow type) are never missing or empty.
 */
class MeteringCloudEventsTest {
  static final List<String> ATTRIBUTES =
      List.of("specversion", "id", "source", "type", "time", "subject");
  static final List<String> DIMENSIONS = List.of("tenant_id", "env", "actor_type", "workflow_type");
  static final List<String> DATA_FIELDS =
      List.of(
          "tenant_id",
          "env",
          "actor_type",
          "workflow_type",
          "workflow",
          "version",
          "run_id",
          "quantity",
          "unit");

  final Metering metering = Metering.standard();
  final ObjectMapper json = new ObjectMapper();

  @TestFactory
  List<DynamicTest> everyEventType_carriesEveryAttributeAndDimension() {
    List<DynamicTest> tests = new ArrayList<>();
    for (EventType type : EventType.values()) {
      tests.add(
          DynamicTest.dynamicTest(
              type.wire(),
              () -> {
                StoredEvent stored = metering.price(Events.sample(type));
                JsonNode doc = json.readTree(MeteringCloudEvents.toJson(stored));
                for (String a : ATTRIBUTES) {
                  assertThat(doc.path(a).asText()).as(a).isNotBlank();
                }
                assertThat(doc.path("specversion").asText()).isEqualTo("1.0");
                assertThat(doc.path("type").asText())
                    .isEqualTo("io.maestro.metering." + type.wire());
                JsonNode data = doc.path("data");
                assertThat(data.isObject()).as("data is inline JSON").isTrue();
                for (String f : DATA_FIELDS) {
                  assertThat(data.has(f)).as("data." + f).isTrue();
                }
                for (String d : DIMENSIONS) {
                  assertThat(data.path(d).asText()).as("dimension " + d).isNotBlank();
                }
                assertThat(data.path("unit").asText()).isEqualTo(type.unit());
                assertThat(data.path("quantity").asLong()).isEqualTo(3);
              }));
    }
    return tests;
  }

  @Test
  void toJson_readsBackWithTheCloudEventsSdk() {
    StoredEvent stored = metering.price(Events.sample(EventType.STEP_EXECUTED));
    CloudEvent back =
        EventFormatProvider.getInstance()
            .resolveFormat(JsonFormat.CONTENT_TYPE)
            .deserialize(MeteringCloudEvents.toJson(stored));
    assertThat(back.getId()).isEqualTo(stored.id());
    assertThat(back.getType()).isEqualTo("io.maestro.metering.step_executed");
    assertThat(back.getSource().toString()).isEqualTo("urn:maestro:metering:acme");
    assertThat(back.getSubject()).isEqualTo("run/run-1");
    assertThat(back.getTime().toInstant()).isEqualTo(Events.T0);
  }

  @Test
  void eventOutsideWorkflow_hasWorkflowTypeNoneAndNullRun() throws Exception {
    JsonNode data =
        json.readTree(
                MeteringCloudEvents.toJson(
                    metering.price(Events.sample(EventType.EVIDENCE_EXPORTED))))
            .path("data");
    assertThat(data.path("workflow_type").asText()).isEqualTo("none");
    assertThat(data.path("run_id").isNull()).isTrue();
  }

  @Test
  void eventId_isTheSameForTheSameActionAndDiffersAcrossTenantsAndTypes() {
    MeteredEvent e = Events.sample(EventType.RUN_STARTED);
    assertThat(Metering.eventId(e)).isEqualTo(Metering.eventId(e));
    assertThat(Metering.eventId(e))
        .isNotEqualTo(
            Metering.eventId(
                Events.of(EventType.RUN_STARTED, Events.GLOBEX, "rcp-run_started", Events.T0, 3)))
        .isNotEqualTo(
            Metering.eventId(
                Events.of(
                    EventType.RECEIPT_EMITTED, Events.ACME, "rcp-run_started", Events.T0, 3)));
  }
}
