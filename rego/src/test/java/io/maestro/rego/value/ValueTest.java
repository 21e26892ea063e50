package io.maestro.rego.value;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValueTest {
  @Test
  void compareTo_ordersTypesLikeOpa() {
    List<Value> vs =
        new ArrayList<>(
            List.of(
                SetValue.of(NumberValue.of(1)),
                ObjectValue.EMPTY,
                ArrayValue.EMPTY,
                StringValue.of("a"),
                NumberValue.of(1),
                BooleanValue.TRUE,
                Value.NULL));
    vs.sort(null);
    assertThat(vs)
        .extracting(Value::typeName)
        .containsExactly("null", "boolean", "number", "string", "array", "object", "set");
  }

  @Test
  void numbers_equalNumericallyAcrossRepresentations() {
    assertThat(NumberValue.parse("1.0")).isEqualTo(NumberValue.of(1));
    assertThat(NumberValue.parse("1.0").hashCode()).isEqualTo(NumberValue.of(1).hashCode());
    assertThat(NumberValue.parse("1e30"))
        .isEqualTo(NumberValue.parse("1000000000000000000000000000000"));
    assertThat(NumberValue.parse("2.50")).isEqualTo(NumberValue.parse("2.5"));
  }

  @Test
  void sets_iterateSortedAndBecomeSortedArrays() {
    SetValue s = SetValue.of(StringValue.of("b"), StringValue.of("a"), NumberValue.of(3));
    assertThat(s.toJson().toString()).isEqualTo("[3,\"a\",\"b\"]");
  }

  @Test
  void objects_withNonStringKeys_renderKeysAsJsonText() {
    ObjectValue o =
        ObjectValue.of(
            Map.of(
                NumberValue.of(1),
                StringValue.of("x"),
                ArrayValue.of(StringValue.of("k")),
                Value.NULL));
    assertThat(o.toJson().toString()).isEqualTo("{\"1\":\"x\",\"[\\\"k\\\"]\":null}");
  }

  @Test
  void jackson_roundTripKeepsExactDecimals() throws Exception {
    ObjectMapper m = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    Value v = Value.fromJson(m.readTree("{\"a\":[1,2.000000000000000000001,{\"b\":null}]}"));
    assertThat(Value.fromJson(v.toJson())).isEqualTo(v);
    assertThat(((ObjectValue) v).get("a").toRego())
        .isEqualTo("[1, 2.000000000000000000001, {\"b\": null}]");
  }

  @Test
  void fromJava_convertsCollectionsRecursively() {
    Value v = Value.fromJava(Map.of("s", Set.of(1, 2), "l", List.of(true)));
    assertThat(v.toRego()).isEqualTo("{\"l\": [true], \"s\": {1, 2}}");
  }
}
