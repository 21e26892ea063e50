package io.maestro.rego.builtins.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.text.BuiltinHarness;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.Value;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EncodingBuiltinsTest {
  private final BuiltinHarness h = new BuiltinHarness(new EncodingBuiltins());

  private static Value v(Object o) {
    return Value.fromJava(o);
  }

  @Test
  void base64_roundTripsAndRejectsMissingPadding() {
    assertThat(h.call("base64.encode", "subjects?_d")).isEqualTo(v("c3ViamVjdHM/X2Q="));
    assertThat(h.call("base64.decode", "aGVsbG8=")).isEqualTo(v("hello"));
    assertThat(h.call("base64.is_valid", "aGVsbG8")).isEqualTo(v(false));
    assertThat(h.call("base64.is_valid", "{'not':'base64'}")).isEqualTo(v(false));
    assertThat(h.call("base64.is_valid", 1)).isEqualTo(v(false));
    assertThatThrownBy(() -> h.call("base64.decode", "a$bc"))
        .hasMessage("base64.decode: illegal base64 data at input byte 1");
  }

  @Test
  void base64url_acceptsUnpaddedInput() {
    assertThat(h.call("base64url.encode", "hello")).isEqualTo(v("aGVsbG8="));
    assertThat(h.call("base64url.encode_no_pad", "hello")).isEqualTo(v("aGVsbG8"));
    assertThat(h.call("base64url.decode", "aGVsbG8")).isEqualTo(v("hello"));
    assertThat(h.call("base64url.decode", "_-8")).isEqualTo(h.call("base64url.decode", "_-8="));
  }

  @Test
  void hex_reportsGoErrors() {
    assertThat(h.call("hex.encode", "lorem ipsum")).isEqualTo(v("6c6f72656d20697073756d"));
    assertThat(h.call("hex.decode", "6C6f")).isEqualTo(v("lo"));
    assertThatThrownBy(() -> h.call("hex.decode", "fghijkl"))
        .hasMessage("hex.decode: encoding/hex: invalid byte: U+0067 'g'");
    assertThatThrownBy(() -> h.call("hex.decode", "abc"))
        .hasMessageContaining("odd length hex string");
  }

  @Test
  void jsonMarshal_sortsKeysAndEscapesHtml() {
    Value doc = v(Map.of("b", List.of(1, "<x>"), "a", Set.of(2, 1), "c", Map.of()));
    assertThat(h.call("json.marshal", doc))
        .isEqualTo(v("{\"a\":[1,2],\"b\":[1,\"\\u003cx\\u003e\"],\"c\":{}}"));
    assertThat(h.call("json.marshal_with_options", Map.of("a", List.of(1)), Map.of("indent", "  ")))
        .isEqualTo(v("{\n  \"a\": [\n    1\n  ]\n}"));
    assertThat(
            h.call(
                "json.marshal_with_options",
                Map.of("a", 1),
                Map.of("prefix", "--", "pretty", false)))
        .isEqualTo(v("{\"a\":1}"));
  }

  @Test
  void jsonMarshalWithOptions_wordsOptionErrorsLikeOpa() {
    assertThatThrownBy(() -> h.call("json.marshal_with_options", 1, Map.of("x", 1)))
        .hasMessage("json.marshal_with_options: operand 2 object contained unknown key \"x\"");
    assertThatThrownBy(() -> h.call("json.marshal_with_options", 1, Map.of("indent", 1, "a", "b")))
        .hasMessage("json.marshal_with_options: operand 2 object contained unknown key \"a\"");
    assertThatThrownBy(() -> h.call("json.marshal_with_options", 1, Map.of("b", 1, "prefix", 2)))
        .hasMessage("json.marshal_with_options: operand 2 object contained unknown key \"b\"");
    assertThatThrownBy(() -> h.call("json.marshal_with_options", 1, Map.of("indent", 2)))
        .hasMessage(
            "json.marshal_with_options: operand 2 key \"indent\" failed cast to string:"
                + " operand 0 must be string but got number");
    assertThatThrownBy(
            () -> h.call("json.marshal_with_options", 1, Map.of("indent", "", "prefix", true)))
        .hasMessage(
            "json.marshal_with_options: operand 2 key \"prefix\" failed cast to string:"
                + " operand 1 must be string but got boolean");
    assertThatThrownBy(() -> h.call("json.marshal_with_options", 1, Map.of("pretty", "yes")))
        .hasMessage("json.marshal_with_options: operand 2 key \"pretty\" failed cast to bool");
    assertThatThrownBy(() -> h.call("json.marshal_with_options", 1, Map.of(7, true)))
        .hasMessage(
            "json.marshal_with_options: operand 2 failed to stringify key 7 at index 0:"
                + " operand 0 must be string but got number");
  }

  @Test
  void jsonUnmarshal_keepsNumbersExactAndWordsErrorsLikeGo() {
    assertThat(h.call("json.unmarshal", "[{\"foo\":[1,2,3]}]"))
        .isEqualTo(v(List.of(Map.of("foo", List.of(1, 2, 3)))));
    assertThat(h.call("json.unmarshal", "123456789012345678901234567890.5"))
        .isEqualTo(NumberValue.parse("123456789012345678901234567890.5"));
    assertThatThrownBy(() -> h.call("json.unmarshal", "plainstring"))
        .hasMessage("json.unmarshal: invalid character 'p' looking for beginning of value");
    assertThatThrownBy(() -> h.call("json.unmarshal", "{"))
        .hasMessage("json.unmarshal: unexpected end of JSON input");
    assertThat(h.call("json.is_valid", "{\"json\": \"ok\"}")).isEqualTo(v(true));
    assertThat(h.call("json.is_valid", "[1,]")).isEqualTo(v(false));
    assertThat(h.call("json.is_valid", 1)).isEqualTo(v(false));
  }

  @Test
  void yaml_roundTripsAndReportsGoStyleErrors() {
    Value doc = v(List.of(Map.of("foo", Set.of(1, 2, 3), "bar", "true", "baz", Map.of("x", ""))));
    String text = ((io.maestro.rego.value.StringValue) h.call("yaml.marshal", doc)).value();
    assertThat(text)
        .isEqualTo("- bar: \"true\"\n  baz:\n    x: \"\"\n  foo:\n  - 1\n  - 2\n  - 3\n");
    assertThat(h.call("yaml.unmarshal", text))
        .isEqualTo(
            v(List.of(Map.of("foo", List.of(1, 2, 3), "bar", "true", "baz", Map.of("x", "")))));
    assertThat(h.call("yaml.unmarshal", "a: 2020-01-01\nb: yes\nc: ~\n"))
        .isEqualTo(v(Map.of("a", "2020-01-01", "b", true, "c", Value.NULL)));
    assertThat(h.call("yaml.is_valid", "foo:\n - qux: bar\n - baz: {")).isEqualTo(v(false));
    assertThatThrownBy(() -> h.call("yaml.unmarshal", "[1,2,3"))
        .isInstanceOf(BuiltinException.class)
        .hasMessageContaining("yaml: line 1: did not find");
  }

  @Test
  void urlquery_followsNetUrl() {
    assertThat(h.call("urlquery.encode", "a=b+1 c")).isEqualTo(v("a%3Db%2B1+c"));
    assertThat(h.call("urlquery.decode", "a%3Db%2B1")).isEqualTo(v("a=b+1"));
    assertThatThrownBy(() -> h.call("urlquery.decode", "%zz"))
        .hasMessage("urlquery.decode: invalid URL escape \"%zz\"");
    assertThat(h.call("urlquery.encode_object", Map.of("a", List.of("b+1", "c+2"), "c", "d")))
        .isEqualTo(v("a=b%2B1&a=c%2B2&c=d"));
    assertThat(h.call("urlquery.decode_object", "a=value_a1&b&a=value_a2"))
        .isEqualTo(v(Map.of("a", List.of("value_a1", "value_a2"), "b", List.of(""))));
    assertThat(h.call("urlquery.decode_object", "")).isEqualTo(v(Map.of()));
  }
}
