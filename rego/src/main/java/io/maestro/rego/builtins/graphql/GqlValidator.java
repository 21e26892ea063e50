package io.maestro.rego.builtins.graphql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates an executable document against a schema with the rules of gqlparser's validator (the
 * GraphQL specification's validation section): known fields, arguments, types, fragments and
 * directives, required arguments, leaf selections, variable definition and use, uniqueness and
 * literal value types. Reports the first violation in document order.
 */
final class GqlValidator {

  /** A validation failure with its position in the query. */
  static final class Violation extends Exception {
    private static final long serialVersionUID = 1L;
    final int[] position;

    Violation(String message, int[] position) {
      super(message, null, false, false);
      this.position = position;
    }
  }

  private final GqlSchema schema;
  private final Node doc;
  private final Map<String, Node> fragments = new HashMap<>();
  private Set<String> usedVariables;
  private final Set<String> usedFragments = new HashSet<>();

  private GqlValidator(GqlSchema schema, Node doc) {
    this.schema = schema;
    this.doc = doc;
  }

  static void validate(GqlSchema schema, Node doc) throws Violation {
    new GqlValidator(schema, doc).run();
  }

  private void run() throws Violation {
    List<Node> ops = doc.nodes("Operations");
    for (Node f : doc.nodes("Fragments")) {
      if (fragments.put(f.str("Name"), f) != null) {
        throw new Violation(
            "There can be only one fragment named \"" + f.str("Name") + "\".", f.position());
      }
    }
    Set<String> opNames = new HashSet<>();
    for (Node op : ops) {
      String name = op.str("Name");
      if (name.isEmpty() && ops.size() > 1) {
        throw new Violation(
            "This anonymous operation must be the only defined operation.", op.position());
      }
      if (!name.isEmpty() && !opNames.add(name)) {
        throw new Violation(
            "There can be only one operation named \"" + name + "\".", op.position());
      }
      operation(op);
    }
    for (Node f : doc.nodes("Fragments")) {
      String cond = f.str("TypeCondition");
      Node def = schema.type(cond);
      if (def == null) {
        throw new Violation("Unknown type \"" + cond + "\".", f.position());
      }
      if (!isComposite(def)) {
        throw new Violation(
            "Fragment \""
                + f.str("Name")
                + "\" cannot condition on non composite type \""
                + cond
                + "\".",
            f.position());
      }
      directives(f.nodes("Directives"), "FRAGMENT_DEFINITION");
      usedVariables = new HashSet<>();
      selections(f.nodes("SelectionSet"), def);
      if (!usedFragments.contains(f.str("Name"))) {
        throw new Violation("Fragment \"" + f.str("Name") + "\" is never used.", f.position());
      }
      cycles(f, new LinkedHashSet<>());
    }
  }

  private static boolean isComposite(Node def) {
    String k = def.str("Kind");
    return k.equals("OBJECT") || k.equals("INTERFACE") || k.equals("UNION");
  }

  private void operation(Node op) throws Violation {
    String kind = op.str("Operation").isEmpty() ? "query" : op.str("Operation");
    Node root = schema.rootType(kind);
    if (root == null) {
      throw new Violation("Schema does not support operation type \"" + kind + "\"", op.position());
    }
    Map<String, Node> vars = new HashMap<>();
    for (Node v : op.nodes("VariableDefinitions")) {
      String name = v.str("Variable");
      if (vars.put(name, v) != null) {
        throw new Violation(
            "There can be only one variable named \"$" + name + "\".", v.position());
      }
      Node typeDef = schema.type(GqlSchema.named(v.node("Type")));
      if (typeDef == null) {
        throw new Violation(
            "Unknown type \"" + GqlSchema.named(v.node("Type")) + "\".", v.position());
      }
      if (!GqlSchema.isInputKind(typeDef.str("Kind"))) {
        throw new Violation(
            "Variable \"$"
                + name
                + "\" cannot be non-input type \""
                + GqlSchema.typeString(v.node("Type"))
                + "\".",
            v.position());
      }
      if (v.node("DefaultValue") != null) {
        value(v.node("DefaultValue"), v.node("Type"));
      }
      directives(v.nodes("Directives"), "VARIABLE_DEFINITION");
    }
    directives(op.nodes("Directives"), kind.toUpperCase(java.util.Locale.ROOT));
    usedVariables = new LinkedHashSet<>();
    selections(op.nodes("SelectionSet"), root);
    Set<String> reachable = new LinkedHashSet<>(usedVariables);
    collectFragmentVariables(op.nodes("SelectionSet"), reachable, new HashSet<>());
    String opName = op.str("Name");
    for (String used : reachable) {
      if (!vars.containsKey(used)) {
        throw new Violation(
            opName.isEmpty()
                ? "Variable \"$" + used + "\" is not defined."
                : "Variable \"$" + used + "\" is not defined by operation \"" + opName + "\".",
            op.position());
      }
    }
    for (Node v : op.nodes("VariableDefinitions")) {
      if (!reachable.contains(v.str("Variable"))) {
        String name = v.str("Variable");
        throw new Violation(
            opName.isEmpty()
                ? "Variable \"$" + name + "\" is never used."
                : "Variable \"$" + name + "\" is never used in operation \"" + opName + "\".",
            v.position());
      }
    }
  }

  /** Variables used inside the fragments an operation spreads, transitively. */
  private void collectFragmentVariables(List<Node> sels, Set<String> out, Set<String> seen) {
    for (Node s : sels) {
      String name = s.str("Name");
      boolean spread = !s.containsKey("Alias") && !s.containsKey("TypeCondition");
      if (spread && fragments.containsKey(name) && seen.add(name)) {
        Node f = fragments.get(name);
        variablesIn(f, out);
        collectFragmentVariables(f.nodes("SelectionSet"), out, seen);
      }
      collectFragmentVariables(s.nodes("SelectionSet"), out, seen);
    }
  }

  private static void variablesIn(Object o, Set<String> out) {
    if (o instanceof Node n) {
      if (n.get("Kind") instanceof Integer k && k == GqlParser.VARIABLE && n.containsKey("Raw")) {
        out.add(n.str("Raw"));
      }
      for (Object v : n.values()) {
        variablesIn(v, out);
      }
    } else if (o instanceof List<?> l) {
      for (Object e : l) {
        variablesIn(e, out);
      }
    }
  }

  private void cycles(Node f, Set<String> path) throws Violation {
    if (!path.add(f.str("Name"))) {
      throw new Violation(
          "Cannot spread fragment \"" + f.str("Name") + "\" within itself.", f.position());
    }
    List<String> spreads = new ArrayList<>();
    spreadsIn(f.nodes("SelectionSet"), spreads);
    for (String s : spreads) {
      Node target = fragments.get(s);
      if (target != null) {
        cycles(target, new LinkedHashSet<>(path));
      }
    }
  }

  private static void spreadsIn(List<Node> sels, List<String> out) {
    for (Node s : sels) {
      if (!s.containsKey("Alias") && !s.containsKey("TypeCondition")) {
        out.add(s.str("Name"));
      }
      spreadsIn(s.nodes("SelectionSet"), out);
    }
  }

  private void selections(List<Node> sels, Node parent) throws Violation {
    for (Node s : sels) {
      if (s.containsKey("Alias")) {
        field(s, parent);
      } else if (s.containsKey("TypeCondition")) {
        Node type = parent;
        String cond = s.str("TypeCondition");
        if (!cond.isEmpty()) {
          type = schema.type(cond);
          if (type == null) {
            throw new Violation("Unknown type \"" + cond + "\".", s.position());
          }
          if (!isComposite(type)) {
            throw new Violation(
                "Fragment cannot condition on non composite type \"" + cond + "\".", s.position());
          }
        }
        directives(s.nodes("Directives"), "INLINE_FRAGMENT");
        selections(s.nodes("SelectionSet"), type);
      } else {
        String name = s.str("Name");
        if (!fragments.containsKey(name)) {
          throw new Violation("Unknown fragment \"" + name + "\".", s.position());
        }
        usedFragments.add(name);
        directives(s.nodes("Directives"), "FRAGMENT_SPREAD");
      }
    }
  }

  private void field(Node f, Node parent) throws Violation {
    String name = f.str("Name");
    Node def = schema.field(parent, name);
    if (def == null) {
      throw new Violation(
          "Cannot query field \"" + name + "\" on type \"" + parent.str("Name") + "\".",
          f.position());
    }
    arguments(
        f.nodes("Arguments"),
        def.nodes("Arguments"),
        f.position(),
        "field \"" + parent.str("Name") + "." + name + "\"",
        "Field \"" + name + "\"");
    directives(f.nodes("Directives"), "FIELD");
    Node typeDef = schema.type(GqlSchema.named(def.node("Type")));
    List<Node> sub = f.nodes("SelectionSet");
    if (typeDef != null && (isComposite(typeDef))) {
      if (sub.isEmpty()) {
        throw new Violation(
            "Field \""
                + name
                + "\" of type \""
                + GqlSchema.typeString(def.node("Type"))
                + "\" must have a selection of subfields. Did you mean \""
                + name
                + " { ... }\"?",
            f.position());
      }
      selections(sub, typeDef);
    } else if (!sub.isEmpty()) {
      throw new Violation(
          "Field \""
              + name
              + "\" must not have a selection since type \""
              + GqlSchema.typeString(def.node("Type"))
              + "\" has no subfields.",
          f.position());
    }
  }

  private void arguments(
      List<Node> given, List<Node> defs, int[] at, String owner, String requiredOwner)
      throws Violation {
    Set<String> seen = new HashSet<>();
    for (Node a : given) {
      String name = a.str("Name");
      if (!seen.add(name)) {
        throw new Violation("There can be only one argument named \"" + name + "\".", a.position());
      }
      Node def = null;
      for (Node d : defs) {
        if (d.str("Name").equals(name)) {
          def = d;
        }
      }
      if (def == null) {
        throw new Violation("Unknown argument \"" + name + "\" on " + owner + ".", a.position());
      }
      value(a.node("Value"), def.node("Type"));
    }
    for (Node d : defs) {
      Node type = d.node("Type");
      if (type != null
          && type.bool("NonNull")
          && d.node("DefaultValue") == null
          && !seen.contains(d.str("Name"))) {
        throw new Violation(
            requiredOwner
                + " argument \""
                + d.str("Name")
                + "\" of type \""
                + GqlSchema.typeString(type)
                + "\" is required, but it was not provided.",
            at);
      }
    }
  }

  private void directives(List<Node> uses, String location) throws Violation {
    Set<String> seen = new HashSet<>();
    for (Node d : uses) {
      String name = d.str("Name");
      Node def = schema.directives.get(name);
      if (def == null) {
        throw new Violation("Unknown directive \"@" + name + "\".", d.position());
      }
      if (!def.strings("Locations").contains(location)) {
        throw new Violation(
            "Directive \"@" + name + "\" may not be used on " + location + ".", d.position());
      }
      if (!def.bool("IsRepeatable") && !seen.add(name)) {
        throw new Violation(
            "The directive \"@" + name + "\" can only be used once at this location.",
            d.position());
      }
      arguments(
          d.nodes("Arguments"),
          def.nodes("Arguments"),
          d.position(),
          "directive \"@" + name + "\"",
          "Directive \"@" + name + "\"");
    }
  }

  /** Literal values against their expected type (ValuesOfCorrectType, simplified). */
  private void value(Node v, Node type) throws Violation {
    if (v == null || type == null) {
      return;
    }
    int kind = v.get("Kind") instanceof Integer k ? k : -1;
    String raw = v.str("Raw");
    if (kind == GqlParser.VARIABLE) {
      if (usedVariables != null) {
        usedVariables.add(raw);
      }
      return;
    }
    if (kind == GqlParser.NULL) {
      if (type.bool("NonNull")) {
        throw new Violation(
            "Expected value of type \"" + GqlSchema.typeString(type) + "\", found null.",
            v.position());
      }
      return;
    }
    if (type.node("Elem") != null) {
      if (kind == GqlParser.LIST) {
        for (Node c : v.nodes("Children")) {
          value(c.node("Value"), type.node("Elem"));
        }
      } else {
        value(v, type.node("Elem"));
      }
      return;
    }
    Node def = schema.type(type.str("NamedType"));
    if (def == null) {
      return;
    }
    String tname = def.str("Name");
    switch (def.str("Kind")) {
      case "INPUT_OBJECT" -> {
        if (kind != GqlParser.OBJECT) {
          throw new Violation(
              "Expected value of type \""
                  + GqlSchema.typeString(type)
                  + "\", found "
                  + shown(v)
                  + ".",
              v.position());
        }
        Set<String> given = new HashSet<>();
        for (Node c : v.nodes("Children")) {
          Node fdef = null;
          for (Node f : def.nodes("Fields")) {
            if (f.str("Name").equals(c.str("Name"))) {
              fdef = f;
            }
          }
          if (fdef == null) {
            throw new Violation(
                "Field \"" + c.str("Name") + "\" is not defined by type \"" + tname + "\".",
                c.position());
          }
          given.add(c.str("Name"));
          value(c.node("Value"), fdef.node("Type"));
        }
        for (Node f : def.nodes("Fields")) {
          if (f.node("Type") != null
              && f.node("Type").bool("NonNull")
              && f.node("DefaultValue") == null
              && !given.contains(f.str("Name"))) {
            throw new Violation(
                "Field \""
                    + tname
                    + "."
                    + f.str("Name")
                    + "\" of required type \""
                    + GqlSchema.typeString(f.node("Type"))
                    + "\" was not provided.",
                v.position());
          }
        }
      }
      case "ENUM" -> {
        if (kind != GqlParser.ENUM) {
          throw new Violation(
              "Enum \"" + tname + "\" cannot represent non-enum value: " + shown(v) + ".",
              v.position());
        }
        boolean found = false;
        for (Node e : def.nodes("EnumValues")) {
          found |= e.str("Name").equals(raw);
        }
        if (!found) {
          throw new Violation(
              "Value \"" + raw + "\" does not exist in \"" + tname + "\" enum.", v.position());
        }
      }
      case "SCALAR" -> {
        boolean ok =
            switch (tname) {
              case "Int" -> kind == GqlParser.INT;
              case "Float" -> kind == GqlParser.INT || kind == GqlParser.FLOAT;
              case "String" -> kind == GqlParser.STRING || kind == GqlParser.BLOCK;
              case "Boolean" -> kind == GqlParser.BOOLEAN;
              case "ID" -> kind == GqlParser.STRING || kind == GqlParser.INT;
              default -> true;
            };
        if (!ok) {
          String what =
              switch (tname) {
                case "Int" -> "non-integer value";
                case "Float" -> "non numeric value";
                case "String" -> "non string value";
                case "Boolean" -> "non boolean value";
                default -> "value";
              };
          throw new Violation(tname + " cannot represent " + what + ": " + shown(v), v.position());
        }
      }
      default -> {}
    }
  }

  private static String shown(Node v) {
    int kind = v.get("Kind") instanceof Integer k ? k : -1;
    return switch (kind) {
      case GqlParser.STRING, GqlParser.BLOCK -> GqlLexer.quote(v.str("Raw"));
      case GqlParser.LIST -> "[...]";
      case GqlParser.OBJECT -> "{...}";
      default -> v.str("Raw");
    };
  }
}
