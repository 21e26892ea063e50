package io.maestro.metering;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import io.maestro.core.json.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Metered events as CloudEvents 1.0 (structured JSON mode): {@code id}, {@code source} ({@code
 * urn:maestro:metering:<tenant>}), {@code type} ({@code io.maestro.metering.<type>}), {@code time},
 * {@code subject}, and JSON {@code data} with {@code tenant_id}, {@code env}, {@code actor_type},
 * {@code workflow_type}, {@code workflow}, {@code version}, {@code run_id} (null outside a
 * workflow), {@code quantity}, {@code unit}, and the cost line ({@code cost_usd}, {@code sku},
 * {@code price_book}). Thread-safe.
 */
public final class MeteringCloudEvents {
  private static final ObjectMapper JSON = Json.MAPPER;
  private static final EventFormat FORMAT = new JsonFormat();

  private MeteringCloudEvents() {}

  public static CloudEvent toCloudEvent(StoredEvent stored) {
    MeteredEvent e = stored.event();
    return CloudEventBuilder.v1()
        .withId(stored.id())
        .withSource(URI.create("urn:maestro:metering:" + e.tenant().value()))
        .withType(e.type().cloudEventType())
        .withTime(OffsetDateTime.ofInstant(e.time(), ZoneOffset.UTC))
        .withSubject(e.subject())
        .withData("application/json", data(stored))
        .build();
  }

  /** The event in CloudEvents' JSON format, one line, UTF-8. */
  public static byte[] toJson(StoredEvent stored) {
    return FORMAT.serialize(toCloudEvent(stored));
  }

  public static String toJsonString(StoredEvent stored) {
    return new String(toJson(stored), StandardCharsets.UTF_8);
  }

  private static byte[] data(StoredEvent stored) {
    MeteredEvent e = stored.event();
    ObjectNode d = JSON.createObjectNode();
    d.put("tenant_id", e.tenant().value());
    d.put("env", e.env());
    d.put("actor_type", e.actorType().wire());
    d.put("workflow_type", e.workflow().type());
    d.put("workflow", e.workflow().isNone() ? null : e.workflow().name());
    d.put("version", e.workflow().isNone() ? null : e.workflow().version());
    d.put("run_id", e.workflow().isNone() ? null : e.workflow().runId());
    d.put("quantity", e.quantity());
    d.put("unit", e.type().unit());
    d.put("resource_class", e.resourceClass());
    d.put("cost_usd", stored.cost().usd().toPlainString());
    d.put("sku", stored.cost().sku());
    d.put("price_book", stored.cost().priceBook());
    try {
      return JSON.writeValueAsBytes(d);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e1) {
      throw new IllegalStateException("a JSON tree always serializes", e1);
    }
  }
}
