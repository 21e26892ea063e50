package io.maestro.rego.builtins.uuid;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.rego.builtins.text.BuiltinHarness;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UuidBuiltinsTest {
  private final BuiltinHarness h = new BuiltinHarness(new UuidBuiltins());

  @Test
  void parse_decodesVersionTwoFields() {
    Map<String, Object> expected =
        Map.of(
            "clocksequence",
            12800,
            "domain",
            "Person",
            "id",
            1000,
            "macvariables",
            "local:unicast",
            "nodeid",
            "32-50-96-b3-9f-47",
            "time",
            1693566990121469600L,
            "variant",
            "RFC4122",
            "version",
            2);
    assertThat(h.call("uuid.parse", "000003e8-48b9-21ee-b200-325096b39f47"))
        .isEqualTo(Value.fromJava(expected));
    assertThat(h.call("uuid.parse", "urn:uuid:000003e8-48b9-21ee-b200-325096b39f47"))
        .isEqualTo(Value.fromJava(expected));
  }

  @Test
  void parse_acceptsGoogleUuidForms() {
    Value v4 = Value.fromJava(Map.of("variant", "RFC4122", "version", 4));
    assertThat(h.call("uuid.parse", "{00000000-0000-4000-8000-000000000000}")).isEqualTo(v4);
    assertThat(h.call("uuid.parse", "6bea8ef2d3d33cd184e09bab06a52ece"))
        .isEqualTo(Value.fromJava(Map.of("variant", "RFC4122", "version", 3)));
    assertThat(h.call("uuid.parse", "not-a-uuid")).isNull();
  }

  @Test
  void rfc4122_isStablePerKeyAndVersionFour() {
    Value a = h.call("uuid.rfc4122", "k");
    String s = ((StringValue) a).value();
    assertThat(s).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(h.call("uuid.parse", s).toString()).contains("\"version\": 4");
  }
}
