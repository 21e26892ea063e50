package io.maestro.rego.builtins.graphql;

import io.maestro.rego.builtins.Args;
import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.BuiltinFamily;
import io.maestro.rego.builtins.BuiltinRegistry;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.util.List;
import java.util.Map;

/**
 * The {@code graphql.*} builtins. Queries and schemas are parsed and validated the way OPA's
 * embedded gqlparser does, and ASTs are exposed in its JSON shape (positions and empty fields
 * pruned); ASTs returned by {@code graphql.parse_query}/{@code parse_schema} are accepted back as
 * operands.
 */
public final class GraphqlBuiltins implements BuiltinFamily {

  @Override
  public void register(BuiltinRegistry r) {
    r.register("graphql.parse_query", "(string) => object[any: any]", (ctx, a) -> parseQuery(a));
    r.register("graphql.parse_schema", "(string) => object[any: any]", (ctx, a) -> parseSchema(a));
    r.register(
        "graphql.parse",
        "(any<string, object[any: any]>, any<string, object[any: any]>) => array<object[any: any], object[any: any]>",
        (ctx, a) -> parse(a));
    r.register(
        "graphql.parse_and_verify",
        "(any<string, object[any: any]>, any<string, object[any: any]>) => array<boolean, object[any: any], object[any: any]>",
        (ctx, a) -> parseAndVerify(a));
    r.register(
        "graphql.is_valid",
        "(any<string, object[any: any]>, any<string, object[any: any]>) => boolean",
        (ctx, a) -> isValid(a));
    r.register(
        "graphql.schema_is_valid",
        "(any<string, object[any: any]>) => boolean",
        (ctx, a) -> schemaIsValid(a));
  }

  /** A failure carrying the message OPA prints for it. */
  private static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message, null, false, false);
    }
  }

  private static String at(String message, int line, int column) {
    return message + " in GraphQL string at location " + line + ":" + column;
  }

  private static Node query(Value v, String builtin, int operand) throws Failure {
    if (v instanceof StringValue s) {
      try {
        return GqlParser.parseQuery(s.value());
      } catch (GqlParser.SyntaxError e) {
        throw new Failure(at(e.getMessage(), e.line, e.column));
      }
    }
    if (v instanceof ObjectValue o) {
      return (Node) Node.fromValue(o);
    }
    throw BuiltinException.typeError(builtin, operand, "string or object", v);
  }

  private static Node schemaDoc(Value v, String builtin, int operand) throws Failure {
    if (v instanceof StringValue s) {
      try {
        return GqlParser.parseSchema(s.value());
      } catch (GqlParser.SyntaxError e) {
        throw new Failure(at(e.getMessage(), e.line, e.column));
      }
    }
    if (v instanceof ObjectValue o) {
      return (Node) Node.fromValue(o);
    }
    throw BuiltinException.typeError(builtin, operand, "string or object", v);
  }

  private static GqlSchema load(Node doc) throws Failure {
    try {
      return GqlSchema.load(doc);
    } catch (GqlSchema.SchemaError e) {
      throw new Failure(
          at(trimDot(e.getMessage()), e.position[0], e.position[1])
              .replace("in GraphQL string", "in GraphQL schema string"));
    }
  }

  private static void validate(GqlSchema schema, Node query) throws Failure {
    try {
      GqlValidator.validate(schema, query);
    } catch (GqlValidator.Violation e) {
      throw new Failure(at(trimDot(e.getMessage()), e.position[0], e.position[1]));
    }
  }

  private static String trimDot(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private static Value ast(Node n) {
    Value v = n.toValue();
    return v == null ? ObjectValue.of(Map.of()) : v;
  }

  private static Value parseQuery(List<Value> args) {
    String b = "graphql.parse_query";
    String text = Args.string(b, args, 0);
    try {
      return ast(query(StringValue.of(text), b, 1));
    } catch (Failure f) {
      throw BuiltinException.error(b, f.getMessage());
    }
  }

  private static Value parseSchema(List<Value> args) {
    String b = "graphql.parse_schema";
    String text = Args.string(b, args, 0);
    try {
      return ast(schemaDoc(StringValue.of(text), b, 1));
    } catch (Failure f) {
      throw BuiltinException.error(b, f.getMessage());
    }
  }

  private static Value parse(List<Value> args) {
    String b = "graphql.parse";
    try {
      Node q = query(args.get(0), b, 1);
      Node s = schemaDoc(args.get(1), b, 2);
      Value queryAst = ast(q);
      Value schemaAst = ast(s);
      validate(load(s), q);
      return ArrayValue.of(List.of(queryAst, schemaAst));
    } catch (Failure f) {
      throw BuiltinException.error(b, f.getMessage());
    }
  }

  private static Value parseAndVerify(List<Value> args) {
    Value unverified =
        ArrayValue.of(
            List.of(BooleanValue.FALSE, ObjectValue.of(Map.of()), ObjectValue.of(Map.of())));
    if (!isString(args.get(0)) || !isString(args.get(1))) {
      if (!(args.get(0) instanceof ObjectValue || isString(args.get(0)))
          || !(args.get(1) instanceof ObjectValue || isString(args.get(1)))) {
        return unverified;
      }
    }
    try {
      Node q = query(args.get(0), "graphql.parse_and_verify", 1);
      Node s = schemaDoc(args.get(1), "graphql.parse_and_verify", 2);
      Value queryAst = ast(q);
      Value schemaAst = ast(s);
      validate(load(s), q);
      return ArrayValue.of(List.of(BooleanValue.TRUE, queryAst, schemaAst));
    } catch (Failure f) {
      return unverified;
    }
  }

  private static boolean isString(Value v) {
    return v instanceof StringValue;
  }

  private static Value isValid(List<Value> args) {
    Value a = args.get(0);
    Value s = args.get(1);
    if (!(a instanceof StringValue || a instanceof ObjectValue)
        || !(s instanceof StringValue || s instanceof ObjectValue)) {
      return BooleanValue.FALSE;
    }
    try {
      Node q = query(a, "graphql.is_valid", 1);
      validate(load(schemaDoc(s, "graphql.is_valid", 2)), q);
      return BooleanValue.TRUE;
    } catch (Failure | RuntimeException f) {
      return BooleanValue.FALSE;
    }
  }

  private static Value schemaIsValid(List<Value> args) {
    Value s = args.get(0);
    if (!(s instanceof StringValue || s instanceof ObjectValue)) {
      return BooleanValue.FALSE;
    }
    try {
      load(schemaDoc(s, "graphql.schema_is_valid", 1));
      return BooleanValue.TRUE;
    } catch (Failure | RuntimeException f) {
      return BooleanValue.FALSE;
    }
  }
}
