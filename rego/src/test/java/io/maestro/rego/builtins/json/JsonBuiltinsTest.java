package io.maestro.rego.builtins.json;

import static io.maestro.rego.builtins.net.BuiltinHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.net.BuiltinHarness;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.SetValue;
import io.maestro.rego.value.Value;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonBuiltinsTest {
  private final BuiltinHarness json = new BuiltinHarness(new JsonBuiltins());

  @Test
  void filter_keepsOnlyListedPathsIncludingArrayIndices() {
    assertThat(
            json.call(
                "json.filter",
                json("{\"a\": {\"b\": {\"c\": 7, \"d\": 8}, \"e\": 9}}"),
                Set.of("a/b/c", "a/e")))
        .isEqualTo(json("{\"a\": {\"b\": {\"c\": 7}, \"e\": 9}}"));
    assertThat(
            json.call(
                "json.filter",
                json("{\"a\": [{\"b\": 7, \"c\": 8}, {\"d\": 9}]}"),
                Set.of("a/0/b", "a/1")))
        .isEqualTo(json("{\"a\": [{\"b\": 7}, {\"d\": 9}]}"));
    assertThat(
            json.call(
                "json.filter",
                json("{\"a\": {\"b\": {\"c\": 7, \"d\": 8, \"x\": 0}}, \"e\": 9}"),
                Set.of("a/b/d", List.of("a", "b", "c"))))
        .isEqualTo(json("{\"a\": {\"b\": {\"c\": 7, \"d\": 8}}}"));
  }

  @Test
  void remove_dropsPathsAndPrefixWins() {
    assertThat(json.call("json.remove", json("{\"a\": {\"b\": 7}, \"c\": 1}"), Set.of("a", "a/b")))
        .isEqualTo(json("{\"c\": 1}"));
    assertThat(
            json.call(
                "json.remove",
                json("{\"a\": [{\"1\": [\"b\", \"c\", \"d\"]}, {\"x\": \"y\"}]}"),
                Set.of("a/0/1/2")))
        .isEqualTo(json("{\"a\": [{\"1\": [\"b\", \"c\"]}, {\"x\": \"y\"}]}"));
  }

  @Test
  void remove_reportsOpaTypeErrors() {
    assertThatThrownBy(() -> json.call("json.remove", "x", Set.of("a")))
        .hasMessage("json.remove: operand 1 must be object but got string");
    assertThatThrownBy(() -> json.call("json.remove", json("{}"), "a"))
        .hasMessage("json.remove: operand 2 must be one of {set, array} but got string");
    assertThatThrownBy(() -> json.call("json.remove", json("{}"), Set.of(1)))
        .isInstanceOf(BuiltinException.class)
        .hasMessage(
            "json.remove: operand 2 must be one of {set, array} containing string paths or array"
                + " of path segments but got number");
  }

  @Test
  void patch_appliesRfc6902Operations() {
    Value doc = json("{\"foo\": [\"bar\", \"baz\"]}");
    assertThat(
            json.call(
                "json.patch",
                doc,
                json("[{\"op\": \"add\", \"path\": \"/foo/1\", \"value\": \"qux\"}]")))
        .isEqualTo(json("{\"foo\": [\"bar\", \"qux\", \"baz\"]}"));
    assertThat(
            json.call(
                "json.patch", doc, json("[{\"op\": \"add\", \"path\": \"/foo/-\", \"value\": 1}]")))
        .isEqualTo(json("{\"foo\": [\"bar\", \"baz\", 1]}"));
    assertThat(
            json.call(
                "json.patch",
                doc,
                json("[{\"op\": \"move\", \"from\": \"/foo/0\", \"path\": \"/x\"}]")))
        .isEqualTo(json("{\"foo\": [\"baz\"], \"x\": \"bar\"}"));
    assertThat(
            json.call(
                "json.patch", doc, json("[{\"op\": \"replace\", \"path\": \"\", \"value\": 1}]")))
        .isEqualTo(json("1"));
  }

  @Test
  void patch_isUndefinedWhenItDoesNotApply() {
    Value doc = json("{\"baz\": \"qux\"}");
    assertThat(
            json.call(
                "json.patch",
                doc,
                json("[{\"op\": \"test\", \"path\": \"/baz\", \"value\": \"bar\"}]")))
        .isNull();
    assertThat(
            json.call(
                "json.patch", doc, json("[{\"op\": \"add\", \"path\": \"/a/b\", \"value\": 1}]")))
        .isNull();
    assertThat(
            json.call(
                "json.patch",
                json("[1,2]"),
                json("[{\"op\": \"add\", \"path\": \"/1e0\", \"value\": 1}]")))
        .isNull();
    assertThat(
            json.call(
                "json.patch",
                json("[1,2,3]"),
                json("[{\"op\": \"add\", \"path\": \"1.2\", \"value\": 1}]")))
        .isNull();
  }

  @Test
  void patch_addressesSetsByElement() {
    Value doc = json("{\"foo\": [\"a\", \"b\", \"c\"]}");
    Value withSet =
        io.maestro.rego.value.ObjectValue.of(
            java.util.Map.of(
                io.maestro.rego.value.StringValue.of("foo"),
                SetValue.of(((ArrayValue) json("[\"a\",\"b\",\"c\"]")).elements())));
    assertThat(
            json.call("json.patch", withSet, json("[{\"op\": \"remove\", \"path\": \"foo/b\"}]"))
                .toJson()
                .toString())
        .isEqualTo("{\"foo\":[\"a\",\"c\"]}");
    assertThat(
            json.call(
                "json.patch",
                withSet,
                json("[{\"op\": \"add\", \"path\": \"foo/d\", \"value\": \"e\"}]")))
        .isNull();
    assertThat(doc).isNotNull();
  }

  @Test
  void schema_verifiesAndMatchesWithGojsonschemaMessages() {
    assertThat(json.call("json.verify_schema", "{\"type\": \"boolean\"}"))
        .isEqualTo(json("[true, null]"));
    assertThat(json.call("json.verify_schema", json("{\"type\": \"unknown_type\"}")))
        .isEqualTo(
            json(
                "[false, \"jsonschema: has a primitive type that is NOT VALID -- given: /unknown_type/ Expected valid values are:[array boolean integer number null object string]\"]"));
    Value schema =
        json("{\"properties\": {\"id\": {\"type\": \"integer\"}}, \"required\": [\"id\"]}");
    assertThat(json.call("json.match_schema", "{\"id\": 5}", schema)).isEqualTo(json("[true, []]"));
    assertThat(json.call("json.match_schema", json("{\"id\": \"foo\"}"), schema))
        .isEqualTo(
            json(
                "[false, [{\"desc\": \"Invalid type. Expected: integer, given: string\", \"error\": \"id: Invalid type. Expected: integer, given: string\", \"field\": \"id\", \"type\": \"invalid_type\"}]]"));
    assertThat(
            json.call("json.match_schema", json("{}"), schema)
                .toJson()
                .get(1)
                .get(0)
                .get("error")
                .asText())
        .isEqualTo("(root): id is required");
  }
}
