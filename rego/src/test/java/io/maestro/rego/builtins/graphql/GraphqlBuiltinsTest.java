package io.maestro.rego.builtins.graphql;

import static io.maestro.rego.builtins.net.BuiltinHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.rego.builtins.net.BuiltinHarness;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.Value;
import org.junit.jupiter.api.Test;

class GraphqlBuiltinsTest {
  private final BuiltinHarness gql = new BuiltinHarness(new GraphqlBuiltins());

  private static final String SCHEMA =
      """
      type Employee { id: String! salary: Int! }
      schema { query: Query }
      type Query { employeeByID(id: String): Employee }
      """;

  @Test
  void parseQuery_returnsGqlparserAstShape() {
    assertThat(gql.call("graphql.parse_query", "{ node(id: 4) { id, name } }"))
        .isEqualTo(
            json(
                "{\"Operations\": [{\"Name\": \"\", \"Operation\": \"query\", \"SelectionSet\":"
                    + " [{\"Alias\": \"node\", \"Arguments\": [{\"Name\": \"id\", \"Value\":"
                    + " {\"ExpectedTypeHasDefault\": false, \"Kind\": 1, \"Raw\": \"4\"}}], \"Name\":"
                    + " \"node\", \"SelectionSet\": [{\"Alias\": \"id\", \"Name\": \"id\"}, {\"Alias\":"
                    + " \"name\", \"Name\": \"name\"}]}]}]}"));
  }

  @Test
  void parseQuery_reportsGqlparserErrorsWithPositions() {
    assertThatThrownBy(() -> gql.call("graphql.parse_query", "{"))
        .hasMessage(
            "graphql.parse_query: Expected Name, found <EOF> in GraphQL string at location 1:2");
    assertThatThrownBy(() -> gql.call("graphql.parse_query", "{...{__typename{...{}}}}"))
        .hasMessageContaining(
            "expected at least one definition, found } in GraphQL string at location 1:21");
  }

  @Test
  void parseSchema_reportsPositionsOfStringsAfterTheQuote() {
    assertThatThrownBy(
            () ->
                gql.call(
                    "graphql.parse_schema", "\n  extend \"Description\" type Hello { w: String }"))
        .hasMessageContaining(
            "Unexpected String \"Description\" in GraphQL string at location 2:11");
    assertThatThrownBy(() -> gql.call("graphql.parse_schema", "type o{d(g:["))
        .hasMessageContaining("Expected Name, found <EOF>");
  }

  @Test
  void isValid_checksQueriesAgainstTheSchema() {
    assertThat(
            gql.call(
                "graphql.is_valid", "query { employeeByID(id: \"alice\") { salary } }", SCHEMA))
        .isEqualTo(BooleanValue.TRUE);
    assertThat(
            gql.call("graphql.is_valid", "query { employeeByID(id: \"alice\") { bonus } }", SCHEMA))
        .isEqualTo(BooleanValue.FALSE);
    assertThat(
            gql.call(
                "graphql.is_valid", "query { employeeByID(name: \"alice\") { salary } }", SCHEMA))
        .isEqualTo(BooleanValue.FALSE);
    assertThat(gql.call("graphql.is_valid", "query { employeeByID(id: \"alice\") }", SCHEMA))
        .as("a composite field needs a selection")
        .isEqualTo(BooleanValue.FALSE);
  }

  @Test
  void parse_reportsRequiredArgumentsLikeOpa() {
    String schema =
        "extend type Query { myAction(myEnum: Locale!): SomeResult! }\n"
            + "type SomeResult { id: String }\nenum Locale { EN LT DE }";
    assertThatThrownBy(() -> gql.call("graphql.parse", "query Op {\n  myAction { id }\n}", schema))
        .hasMessage(
            "graphql.parse: Field \"myAction\" argument \"myEnum\" of type \"Locale!\" is required,"
                + " but it was not provided in GraphQL string at location 2:3");
  }

  @Test
  void astObjects_areAcceptedBackAsOperands() {
    Value schemaAst = gql.call("graphql.parse_schema", SCHEMA);
    Value queryAst =
        gql.call("graphql.parse_query", "query { employeeByID(id: \"a\") { salary } }");
    ArrayValue verified = (ArrayValue) gql.call("graphql.parse_and_verify", queryAst, schemaAst);
    assertThat(verified.get(0)).isEqualTo(BooleanValue.TRUE);
    assertThat(verified.get(1)).isEqualTo(queryAst);
    assertThat(verified.get(2)).isEqualTo(schemaAst);
  }

  @Test
  void schemaIsValid_appliesSchemaRules() {
    assertThat(gql.call("graphql.schema_is_valid", SCHEMA)).isEqualTo(BooleanValue.TRUE);
    assertThat(gql.call("graphql.schema_is_valid", "union Hello = World"))
        .isEqualTo(BooleanValue.FALSE);
    assertThat(gql.call("graphql.schema_is_valid", "schema { query: Query }"))
        .isEqualTo(BooleanValue.FALSE);
    assertThat(
            gql.call(
                "graphql.schema_is_valid",
                "interface IA { id: ID! } interface IIA implements IA { id: ID! }"
                    + " type A implements IIA { id: ID! }"))
        .as("transitive interfaces must be declared")
        .isEqualTo(BooleanValue.FALSE);
    assertThat(gql.call("graphql.schema_is_valid", "extend type User { id: ID! }"))
        .as("extending an unknown type declares it")
        .isEqualTo(BooleanValue.TRUE);
  }
}
