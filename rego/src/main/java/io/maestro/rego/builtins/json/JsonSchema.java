package io.maestro.rego.builtins.json;

import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.NullValue;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.SetValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A JSON Schema (draft 4 to 7 keywords) validator whose schema checks and error records follow
 * gojsonschema, the library behind OPA's {@code json.verify_schema} and {@code json.match_schema}:
 * the same error types, descriptions and field paths.
 */
final class JsonSchema {

  /** A schema that fails to load, with gojsonschema's message. */
  static final class InvalidSchema extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidSchema(String message) {
      super(message, null, false, false);
    }
  }

  /** One validation error, as gojsonschema's ResultError renders. */
  record Error(String type, String field, String description) {
    Value toValue() {
      return ObjectValue.of(
          Map.of(
              StringValue.of("error"), StringValue.of(field + ": " + description),
              StringValue.of("type"), StringValue.of(type),
              StringValue.of("field"), StringValue.of(field),
              StringValue.of("desc"), StringValue.of(description)));
    }
  }

  private static final Set<String> TYPES =
      Set.of("array", "boolean", "integer", "number", "null", "object", "string");

  private final Value root;

  private JsonSchema(Value root) {
    this.root = root;
  }

  static JsonSchema load(Value schema) throws InvalidSchema {
    check(schema);
    return new JsonSchema(schema);
  }

  /** Structural checks gojsonschema performs while loading a schema. */
  private static void check(Value schema) throws InvalidSchema {
    if (schema instanceof BooleanValue) {
      return;
    }
    if (!(schema instanceof ObjectValue o)) {
      throw new InvalidSchema("Invalid type. Expected: object, given: " + goType(schema));
    }
    Value type = o.get("type");
    if (type != null) {
      List<Value> types = type instanceof ArrayValue a ? a.elements() : List.of(type);
      for (Value t : types) {
        if (!(t instanceof StringValue s)) {
          throw new InvalidSchema("Invalid type. Expected: string/array of strings, given: type");
        }
        if (!TYPES.contains(s.value())) {
          throw new InvalidSchema(
              "has a primitive type that is NOT VALID -- given: /"
                  + s.value()
                  + "/ Expected valid values are:[array boolean integer number null object"
                  + " string]");
        }
      }
    }
    for (String k : List.of("properties", "patternProperties", "definitions", "$defs")) {
      if (o.get(k) instanceof ObjectValue props) {
        for (Value sub : props.entries().values()) {
          check(sub);
        }
      } else if (o.get(k) != null) {
        throw new InvalidSchema("Invalid type. Expected: object, given: " + k);
      }
    }
    for (String k :
        List.of("items", "additionalProperties", "additionalItems", "not", "contains")) {
      Value sub = o.get(k);
      if (sub instanceof ArrayValue a) {
        for (Value e : a.elements()) {
          check(e);
        }
      } else if (sub instanceof ObjectValue) {
        check(sub);
      }
    }
    for (String k : List.of("allOf", "anyOf", "oneOf")) {
      Value sub = o.get(k);
      if (sub instanceof ArrayValue a) {
        for (Value e : a.elements()) {
          check(e);
        }
      } else if (sub != null) {
        throw new InvalidSchema(k + " must be of an array");
      }
    }
    if (o.get("required") != null && !(o.get("required") instanceof ArrayValue)) {
      throw new InvalidSchema("required must be of an array");
    }
    if (o.get("pattern") instanceof StringValue p) {
      try {
        Pattern.compile(p.value());
      } catch (PatternSyntaxException e) {
        throw new InvalidSchema("Invalid regex pattern '" + p.value() + "'");
      }
    }
  }

  List<Error> validate(Value doc) {
    List<Error> errors = new ArrayList<>();
    validate(root, doc, "(root)", errors);
    return errors;
  }

  private void validate(Value schema, Value doc, String field, List<Error> errors) {
    if (schema instanceof BooleanValue b) {
      if (!b.value()) {
        errors.add(new Error("false", field, "False always fails validation"));
      }
      return;
    }
    if (!(schema instanceof ObjectValue s)) {
      return;
    }
    if (s.get("$ref") instanceof StringValue ref) {
      Value target = resolve(ref.value());
      if (target != null) {
        validate(target, doc, field, errors);
        return;
      }
    }
    Value type = s.get("type");
    if (type != null) {
      List<Value> types = type instanceof ArrayValue a ? a.elements() : List.of(type);
      boolean ok = false;
      for (Value t : types) {
        ok |= hasType(doc, ((StringValue) t).value());
      }
      if (!ok) {
        List<String> names = new ArrayList<>();
        for (Value t : types) {
          names.add(((StringValue) t).value());
        }
        errors.add(
            new Error(
                "invalid_type",
                field,
                "Invalid type. Expected: " + String.join(", ", names) + ", given: " + goType(doc)));
        return;
      }
    }
    if (s.get("enum") instanceof ArrayValue en && !en.elements().contains(doc)) {
      List<String> allowed = new ArrayList<>();
      for (Value e : en.elements()) {
        allowed.add(e.toJson().toString());
      }
      errors.add(
          new Error(
              "enum",
              field,
              field + " must be one of the following: " + String.join(", ", allowed)));
    }
    if (s.get("const") != null && !s.get("const").equals(doc)) {
      errors.add(new Error("const", field, field + " does not match: " + s.get("const").toJson()));
    }
    switch (doc) {
      case ObjectValue o -> validateObject(s, o, field, errors);
      case ArrayValue a -> validateArray(s, a, field, errors);
      case StringValue str -> validateString(s, str.value(), field, errors);
      case NumberValue n -> validateNumber(s, n.decimal(), field, errors);
      default -> {}
    }
    if (s.get("allOf") instanceof ArrayValue all) {
      boolean ok = true;
      for (Value sub : all.elements()) {
        List<Error> inner = new ArrayList<>();
        validate(sub, doc, field, inner);
        ok &= inner.isEmpty();
        errors.addAll(inner);
      }
      if (!ok) {
        errors.add(new Error("number_all_of", field, "Must validate all the schemas (allOf)"));
      }
    }
    if (s.get("anyOf") instanceof ArrayValue any) {
      boolean ok = false;
      for (Value sub : any.elements()) {
        List<Error> inner = new ArrayList<>();
        validate(sub, doc, field, inner);
        ok |= inner.isEmpty();
      }
      if (!ok) {
        errors.add(new Error("number_any_of", field, "Must validate at least one schema (anyOf)"));
      }
    }
    if (s.get("oneOf") instanceof ArrayValue one) {
      int passed = 0;
      for (Value sub : one.elements()) {
        List<Error> inner = new ArrayList<>();
        validate(sub, doc, field, inner);
        if (inner.isEmpty()) {
          passed++;
        }
      }
      if (passed != 1) {
        errors.add(
            new Error("number_one_of", field, "Must validate one and only one schema (oneOf)"));
      }
    }
    if (s.get("not") != null) {
      List<Error> inner = new ArrayList<>();
      validate(s.get("not"), doc, field, inner);
      if (inner.isEmpty()) {
        errors.add(new Error("number_not", field, "Must not validate the schema (not)"));
      }
    }
  }

  private Value resolve(String ref) {
    if (!ref.startsWith("#")) {
      return null;
    }
    Value cur = root;
    String ptr = ref.substring(1);
    if (ptr.isEmpty()) {
      return root;
    }
    for (String part : ptr.replaceFirst("^/", "").split("/")) {
      String key = part.replace("~1", "/").replace("~0", "~");
      if (!(cur instanceof ObjectValue o) || o.get(key) == null) {
        return null;
      }
      cur = o.get(key);
    }
    return cur;
  }

  private static String child(String field, String key) {
    return field.equals("(root)") ? key : field + "." + key;
  }

  private void validateObject(ObjectValue s, ObjectValue o, String field, List<Error> errors) {
    if (s.get("required") instanceof ArrayValue req) {
      for (Value r : req.elements()) {
        if (r instanceof StringValue name && o.get(name.value()) == null) {
          errors.add(new Error("required", field, name.value() + " is required"));
        }
      }
    }
    ObjectValue props = s.get("properties") instanceof ObjectValue p ? p : null;
    ObjectValue patterns = s.get("patternProperties") instanceof ObjectValue p ? p : null;
    for (Map.Entry<Value, Value> e : o.entries().entrySet()) {
      String key = e.getKey() instanceof StringValue k ? k.value() : e.getKey().toJson().toString();
      boolean matched = false;
      if (props != null && props.get(key) != null) {
        matched = true;
        validate(props.get(key), e.getValue(), child(field, key), errors);
      }
      if (patterns != null) {
        for (Map.Entry<Value, Value> p : patterns.entries().entrySet()) {
          if (Pattern.compile(((StringValue) p.getKey()).value()).matcher(key).find()) {
            matched = true;
            validate(p.getValue(), e.getValue(), child(field, key), errors);
          }
        }
      }
      if (!matched) {
        Value additional = s.get("additionalProperties");
        if (additional instanceof BooleanValue b && !b.value()) {
          errors.add(
              new Error(
                  "additional_property_not_allowed",
                  field,
                  "Additional property " + key + " is not allowed"));
        } else if (additional instanceof ObjectValue) {
          validate(additional, e.getValue(), child(field, key), errors);
        }
      }
    }
    if (s.get("minProperties") instanceof NumberValue n && o.size() < n.decimal().intValue()) {
      errors.add(
          new Error(
              "array_min_properties", field, "Must have at least " + n.decimal() + " properties"));
    }
    if (s.get("maxProperties") instanceof NumberValue n && o.size() > n.decimal().intValue()) {
      errors.add(
          new Error(
              "array_max_properties", field, "Must have at most " + n.decimal() + " properties"));
    }
  }

  private void validateArray(ObjectValue s, ArrayValue a, String field, List<Error> errors) {
    Value items = s.get("items");
    for (int i = 0; i < a.size(); i++) {
      String f = child(field, Integer.toString(i));
      if (items instanceof ObjectValue || items instanceof BooleanValue) {
        validate(items, a.get(i), f, errors);
      } else if (items instanceof ArrayValue tuple) {
        if (i < tuple.size()) {
          validate(tuple.get(i), a.get(i), f, errors);
        } else if (s.get("additionalItems") instanceof BooleanValue b && !b.value()) {
          errors.add(
              new Error(
                  "array_no_additional_items", field, "No additional items allowed on array"));
          break;
        }
      }
    }
    if (s.get("minItems") instanceof NumberValue n && a.size() < n.decimal().intValue()) {
      errors.add(
          new Error(
              "array_min_items", field, "Array must have at least " + n.decimal() + " items"));
    }
    if (s.get("maxItems") instanceof NumberValue n && a.size() > n.decimal().intValue()) {
      errors.add(
          new Error("array_max_items", field, "Array must have at most " + n.decimal() + " items"));
    }
    if (s.get("uniqueItems") instanceof BooleanValue u && u.value()) {
      Set<Value> seen = new HashSet<>();
      for (int i = 0; i < a.size(); i++) {
        if (!seen.add(a.get(i))) {
          errors.add(new Error("unique", field, "array items must be unique"));
          break;
        }
      }
    }
    if (s.get("contains") != null) {
      boolean any = false;
      for (Value e : a.elements()) {
        List<Error> inner = new ArrayList<>();
        validate(s.get("contains"), e, field, inner);
        any |= inner.isEmpty();
      }
      if (!any) {
        errors.add(new Error("contains", field, "At least one of the items must match"));
      }
    }
  }

  private static void validateString(ObjectValue s, String str, String field, List<Error> errors) {
    int len = str.codePointCount(0, str.length());
    if (s.get("minLength") instanceof NumberValue n && len < n.decimal().intValue()) {
      errors.add(
          new Error(
              "string_gte",
              field,
              "String length must be greater than or equal to " + n.decimal()));
    }
    if (s.get("maxLength") instanceof NumberValue n && len > n.decimal().intValue()) {
      errors.add(
          new Error(
              "string_lte", field, "String length must be less than or equal to " + n.decimal()));
    }
    if (s.get("pattern") instanceof StringValue p
        && !Pattern.compile(p.value()).matcher(str).find()) {
      errors.add(new Error("pattern", field, "Does not match pattern '" + p.value() + "'"));
    }
  }

  private static void validateNumber(
      ObjectValue s, BigDecimal n, String field, List<Error> errors) {
    Value min = s.get("minimum");
    Value max = s.get("maximum");
    boolean exMinFlag = s.get("exclusiveMinimum") instanceof BooleanValue b && b.value();
    boolean exMaxFlag = s.get("exclusiveMaximum") instanceof BooleanValue b && b.value();
    if (min instanceof NumberValue m) {
      int c = n.compareTo(m.decimal());
      if (exMinFlag ? c <= 0 : c < 0) {
        errors.add(
            new Error(
                exMinFlag ? "number_gt" : "number_gte",
                field,
                (exMinFlag ? "Must be greater than " : "Must be greater than or equal to ")
                    + plain(m)));
      }
    }
    if (s.get("exclusiveMinimum") instanceof NumberValue m && n.compareTo(m.decimal()) <= 0) {
      errors.add(new Error("number_gt", field, "Must be greater than " + plain(m)));
    }
    if (max instanceof NumberValue m) {
      int c = n.compareTo(m.decimal());
      if (exMaxFlag ? c >= 0 : c > 0) {
        errors.add(
            new Error(
                exMaxFlag ? "number_lt" : "number_lte",
                field,
                (exMaxFlag ? "Must be less than " : "Must be less than or equal to ") + plain(m)));
      }
    }
    if (s.get("exclusiveMaximum") instanceof NumberValue m && n.compareTo(m.decimal()) >= 0) {
      errors.add(new Error("number_lt", field, "Must be less than " + plain(m)));
    }
    if (s.get("multipleOf") instanceof NumberValue m
        && m.decimal().signum() != 0
        && n.remainder(m.decimal()).signum() != 0) {
      errors.add(new Error("multiple_of", field, "Must be a multiple of " + plain(m)));
    }
  }

  private static String plain(NumberValue n) {
    return n.decimal().stripTrailingZeros().toPlainString();
  }

  private static boolean hasType(Value v, String type) {
    return switch (type) {
      case "object" -> v instanceof ObjectValue;
      case "array" -> v instanceof ArrayValue || v instanceof SetValue;
      case "string" -> v instanceof StringValue;
      case "boolean" -> v instanceof BooleanValue;
      case "null" -> v instanceof NullValue;
      case "number" -> v instanceof NumberValue;
      case "integer" -> v instanceof NumberValue n && n.isInteger();
      default -> false;
    };
  }

  /** gojsonschema's name for the type of a value (integers are "integer"). */
  static String goType(Value v) {
    return switch (v) {
      case NumberValue n -> n.isInteger() ? "integer" : "number";
      case SetValue s -> "array";
      default -> v.typeName();
    };
  }
}
