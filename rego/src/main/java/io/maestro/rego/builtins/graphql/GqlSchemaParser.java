package io.maestro.rego.builtins.graphql;

import io.maestro.rego.builtins.graphql.GqlLexer.Kind;
import io.maestro.rego.builtins.graphql.GqlLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The schema-document (SDL) half of the parser, with gqlparser's grammar and messages. */
final class GqlSchemaParser extends GqlParser {

  private static final Set<String> DIRECTIVE_LOCATIONS =
      Set.of(
          "QUERY",
          "MUTATION",
          "SUBSCRIPTION",
          "FIELD",
          "FRAGMENT_DEFINITION",
          "FRAGMENT_SPREAD",
          "INLINE_FRAGMENT",
          "VARIABLE_DEFINITION",
          "SCHEMA",
          "SCALAR",
          "OBJECT",
          "FIELD_DEFINITION",
          "ARGUMENT_DEFINITION",
          "INTERFACE",
          "UNION",
          "ENUM",
          "ENUM_VALUE",
          "INPUT_OBJECT",
          "INPUT_FIELD_DEFINITION");

  private GqlSchemaParser(String input) {
    super(input);
  }

  static Node parse(String input) throws SyntaxError {
    GqlSchemaParser p = new GqlSchemaParser(input);
    Node doc = p.schemaDocument();
    if (p.err != null) {
      throw p.err;
    }
    return doc;
  }

  private Node schemaDocument() {
    Node doc = new Node();
    List<Object> schema = new ArrayList<>();
    List<Object> schemaExt = new ArrayList<>();
    List<Object> directives = new ArrayList<>();
    List<Object> defs = new ArrayList<>();
    List<Object> exts = new ArrayList<>();
    while (peek().kind() != Kind.EOF && err == null) {
      String description = "";
      boolean hasDescription = false;
      if (peek().kind() == Kind.STRING || peek().kind() == Kind.BLOCK_STRING) {
        description = next().value();
        hasDescription = true;
      }
      Token t = peek();
      if (t.kind() != Kind.NAME) {
        unexpected();
        break;
      }
      switch (t.value()) {
        case "scalar", "type", "interface", "union", "enum", "input" ->
            defs.add(typeDefinition(description));
        case "schema" -> {
          Token start = next();
          Node s = new Node().at(start).with("Description", description);
          s.put("Directives", directives(true));
          List<Object> opTypes = new ArrayList<>();
          some(Kind.BRACE_L, Kind.BRACE_R, () -> opTypes.add(operationTypeDefinition()));
          s.put("OperationTypes", opTypes);
          schema.add(s);
        }
        case "directive" -> directives.add(directiveDefinition(description));
        case "extend" -> {
          if (hasDescription) {
            unexpected(prev);
          }
          extension(schemaExt, exts);
        }
        default -> unexpected();
      }
    }
    doc.put("Schema", schema);
    doc.put("SchemaExtension", schemaExt);
    doc.put("Directives", directives);
    doc.put("Definitions", defs);
    doc.put("Extensions", exts);
    return doc;
  }

  private Node operationTypeDefinition() {
    Node n = new Node().at(peek());
    n.put("Operation", operationType());
    expect(Kind.COLON);
    n.put("Type", name());
    return n;
  }

  private static Node definition(String kind, String description, Token at) {
    return new Node()
        .at(at)
        .with("Kind", kind)
        .with("Description", description)
        .with("Name", "")
        .with("BuiltIn", false);
  }

  private Node typeDefinition(String description) {
    Token kw = next();
    Node d;
    switch (kw.value()) {
      case "scalar" -> {
        d = definition("SCALAR", description, kw);
        d.put("Name", name());
        d.put("Directives", directives(true));
      }
      case "type", "interface" -> {
        d = definition(kw.value().equals("type") ? "OBJECT" : "INTERFACE", description, kw);
        d.put("Name", name());
        d.put("Interfaces", implementsInterfaces());
        d.put("Directives", directives(true));
        d.put("Fields", fieldsDefinition());
      }
      case "union" -> {
        d = definition("UNION", description, kw);
        d.put("Name", name());
        d.put("Directives", directives(true));
        d.put("Types", unionMembers());
      }
      case "enum" -> {
        d = definition("ENUM", description, kw);
        d.put("Name", name());
        d.put("Directives", directives(true));
        d.put("EnumValues", enumValues());
      }
      default -> {
        d = definition("INPUT_OBJECT", description, kw);
        d.put("Name", name());
        d.put("Directives", directives(true));
        d.put("Fields", inputFields());
      }
    }
    return d;
  }

  private void extension(List<Object> schemaExt, List<Object> exts) {
    expectKeyword("extend");
    Token t = peek();
    if (t.kind() != Kind.NAME) {
      unexpected();
      return;
    }
    switch (t.value()) {
      case "schema" -> {
        Token start = next();
        Node s = new Node().at(start).with("Description", "");
        List<Object> dirs = directives(true);
        s.put("Directives", dirs);
        List<Object> opTypes = new ArrayList<>();
        some(Kind.BRACE_L, Kind.BRACE_R, () -> opTypes.add(operationTypeDefinition()));
        s.put("OperationTypes", opTypes);
        if (dirs.isEmpty() && opTypes.isEmpty()) {
          unexpected();
        }
        schemaExt.add(s);
      }
      case "scalar", "type", "interface", "union", "enum", "input" -> {
        Node d = typeDefinition("");
        boolean empty =
            d.nodes("Directives").isEmpty()
                && d.strings("Interfaces").isEmpty()
                && d.nodes("Fields").isEmpty()
                && d.strings("Types").isEmpty()
                && d.nodes("EnumValues").isEmpty();
        if (empty) {
          unexpected();
        }
        exts.add(d);
      }
      default -> unexpected();
    }
  }

  private List<Object> implementsInterfaces() {
    List<Object> types = new ArrayList<>();
    if (peek().value().equals("implements")) {
      next();
      skip(Kind.AMP);
      types.add(name());
      while (skip(Kind.AMP) && err == null) {
        types.add(name());
      }
    }
    return types;
  }

  private List<Object> unionMembers() {
    List<Object> types = new ArrayList<>();
    if (skip(Kind.EQUALS)) {
      skip(Kind.PIPE);
      types.add(name());
      while (skip(Kind.PIPE) && err == null) {
        types.add(name());
      }
    }
    return types;
  }

  private String description() {
    Kind k = peek().kind();
    return k == Kind.STRING || k == Kind.BLOCK_STRING ? next().value() : "";
  }

  private List<Object> fieldsDefinition() {
    List<Object> fields = new ArrayList<>();
    some(
        Kind.BRACE_L,
        Kind.BRACE_R,
        () -> {
          String desc = description();
          Node f = new Node().at(peek()).with("Description", desc);
          f.put("Name", name());
          f.put("Arguments", argumentDefinitions());
          expect(Kind.COLON);
          f.put("Type", typeReference());
          f.put("Directives", directives(true));
          fields.add(f);
        });
    return fields;
  }

  private List<Object> argumentDefinitions() {
    List<Object> args = new ArrayList<>();
    some(Kind.PAREN_L, Kind.PAREN_R, () -> args.add(inputValueDefinition()));
    return args;
  }

  private Node inputValueDefinition() {
    String desc = description();
    Node a = new Node().at(peek()).with("Description", desc);
    a.put("Name", name());
    expect(Kind.COLON);
    a.put("Type", typeReference());
    if (skip(Kind.EQUALS)) {
      a.put("DefaultValue", value(true));
    }
    a.put("Directives", directives(true));
    return a;
  }

  private List<Object> inputFields() {
    List<Object> fields = new ArrayList<>();
    some(Kind.BRACE_L, Kind.BRACE_R, () -> fields.add(inputValueDefinition()));
    return fields;
  }

  private List<Object> enumValues() {
    List<Object> values = new ArrayList<>();
    some(
        Kind.BRACE_L,
        Kind.BRACE_R,
        () -> {
          String desc = description();
          Node v = new Node().at(peek()).with("Description", desc);
          v.put("Name", name());
          v.put("Directives", directives(true));
          values.add(v);
        });
    return values;
  }

  private Node directiveDefinition(String description) {
    Token start = expectKeyword("directive");
    Node d = new Node().at(start).with("Description", description);
    expect(Kind.AT);
    d.put("Name", name());
    d.put("Arguments", argumentDefinitions());
    boolean repeatable = false;
    if (peek().value().equals("repeatable")) {
      repeatable = true;
      next();
    }
    d.put("IsRepeatable", repeatable);
    expectKeyword("on");
    List<Object> locations = new ArrayList<>();
    skip(Kind.PIPE);
    locations.add(directiveLocation());
    while (skip(Kind.PIPE) && err == null) {
      locations.add(directiveLocation());
    }
    d.put("Locations", locations);
    return d;
  }

  private String directiveLocation() {
    Token t = expect(Kind.NAME);
    if (DIRECTIVE_LOCATIONS.contains(t.value())) {
      return t.value();
    }
    unexpected(t);
    return t.value();
  }
}
