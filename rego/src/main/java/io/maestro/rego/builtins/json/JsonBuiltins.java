package io.maestro.rego.builtins.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.rego.builtins.Args;
import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.BuiltinFamily;
import io.maestro.rego.builtins.BuiltinRegistry;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code json.filter}, {@code json.remove}, {@code json.patch}, {@code json.verify_schema} and
 * {@code json.match_schema}.
 */
public final class JsonBuiltins implements BuiltinFamily {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  @Override
  public void register(BuiltinRegistry r) {
    r.register(
        "json.filter",
        "(object[any: any], any<array[any<string, array[any]>], set[any<string, array[any]>]>) => object[any: any]",
        (ctx, a) -> {
          var obj = Args.object("json.filter", a, 0);
          return JsonPaths.filter(obj, JsonPaths.Tree.of("json.filter", a.get(1)));
        });
    r.register(
        "json.remove",
        "(object[any: any], any<array[any<string, array[any]>], set[any<string, array[any]>]>) => object[any: any]",
        (ctx, a) -> {
          var obj = Args.object("json.remove", a, 0);
          return JsonPaths.remove(obj, JsonPaths.Tree.of("json.remove", a.get(1)));
        });
    r.register(
        "json.patch",
        "(any, array[object<op: string, path: any>[any: any]]) => any",
        (ctx, a) -> JsonPatch.apply(a.get(0), Args.array("json.patch", a, 1)));
    r.register(
        "json.verify_schema",
        "(any<string, object[any: any]>) => array<boolean, any<null, string>>",
        (ctx, a) -> verifySchema(a));
    r.register(
        "json.match_schema",
        "(any<string, object[any: any]>, any<string, object[any: any]>) => array<boolean, array[object<desc: string, error: string, field: string, type: string>]>",
        (ctx, a) -> matchSchema(a));
  }

  /** A schema or document operand: an object (or other value), or JSON text. */
  private static Value operand(String builtin, Value v, int operand) {
    if (v instanceof StringValue s) {
      try {
        return Value.fromJson(MAPPER.readTree(s.value()));
      } catch (IOException e) {
        throw BuiltinException.error(builtin, "operand " + operand + " is not valid JSON");
      }
    }
    return v;
  }

  private static Value verifySchema(List<Value> args) {
    String b = "json.verify_schema";
    Value schema = operand(b, args.get(0), 1);
    try {
      JsonSchema.load(schema);
      return ArrayValue.of(List.of(BooleanValue.TRUE, Value.NULL));
    } catch (JsonSchema.InvalidSchema e) {
      return ArrayValue.of(
          List.of(BooleanValue.FALSE, StringValue.of("jsonschema: " + e.getMessage())));
    }
  }

  private static Value matchSchema(List<Value> args) {
    String b = "json.match_schema";
    Value doc = operand(b, args.get(0), 1);
    Value schemaValue = operand(b, args.get(1), 2);
    JsonSchema schema;
    try {
      schema = JsonSchema.load(schemaValue);
    } catch (JsonSchema.InvalidSchema e) {
      throw BuiltinException.error(b, e.getMessage());
    }
    List<Value> errors = new ArrayList<>();
    for (JsonSchema.Error e : schema.validate(doc)) {
      errors.add(e.toValue());
    }
    return ArrayValue.of(List.of(BooleanValue.of(errors.isEmpty()), ArrayValue.of(errors)));
  }
}
