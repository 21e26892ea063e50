package io.maestro.rego.builtins.graphql;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A loaded schema: the prelude (built-in scalars, directives, introspection types) merged with a
 * schema document, extensions applied and checked with gqlparser's schema rules.
 */
final class GqlSchema {

  /** A schema rule violation. */
  static final class SchemaError extends Exception {
    private static final long serialVersionUID = 1L;
    final int[] position;

    SchemaError(String message, int[] position) {
      super(message, null, false, false);
      this.position = position;
    }
  }

  private static final String PRELUDE =
      """
      scalar Int
      scalar Float
      scalar String
      scalar Boolean
      scalar ID
      directive @include(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
      directive @skip(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
      directive @deprecated(reason: String = "No longer supported") on FIELD_DEFINITION | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION | ENUM_VALUE
      directive @specifiedBy(url: String!) on SCALAR
      directive @defer(if: Boolean = true, label: String) on FRAGMENT_SPREAD | INLINE_FRAGMENT
      directive @oneOf on INPUT_OBJECT
      type __Schema { description: String types: [__Type!]! queryType: __Type! mutationType: __Type subscriptionType: __Type directives: [__Directive!]! }
      type __Type { kind: __TypeKind! name: String description: String fields(includeDeprecated: Boolean = false): [__Field!] interfaces: [__Type!] possibleTypes: [__Type!] enumValues(includeDeprecated: Boolean = false): [__EnumValue!] inputFields: [__InputValue!] ofType: __Type specifiedByURL: String }
      type __Field { name: String! description: String args: [__InputValue!]! type: __Type! isDeprecated: Boolean! deprecationReason: String }
      type __InputValue { name: String! description: String type: __Type! defaultValue: String }
      type __EnumValue { name: String! description: String isDeprecated: Boolean! deprecationReason: String }
      enum __TypeKind { SCALAR OBJECT INTERFACE UNION ENUM INPUT_OBJECT LIST NON_NULL }
      type __Directive { name: String! description: String locations: [__DirectiveLocation!]! args: [__InputValue!]! isRepeatable: Boolean! }
      enum __DirectiveLocation { QUERY MUTATION SUBSCRIPTION FIELD FRAGMENT_DEFINITION FRAGMENT_SPREAD INLINE_FRAGMENT VARIABLE_DEFINITION SCHEMA SCALAR OBJECT FIELD_DEFINITION ARGUMENT_DEFINITION INTERFACE UNION ENUM ENUM_VALUE INPUT_OBJECT INPUT_FIELD_DEFINITION }
      """;

  private static final Node PRELUDE_DOC;

  static {
    try {
      PRELUDE_DOC = GqlParser.parseSchema(PRELUDE);
    } catch (GqlParser.SyntaxError e) {
      throw new IllegalStateException("the GraphQL prelude does not parse", e);
    }
  }

  final Map<String, Node> types = new LinkedHashMap<>();
  final Map<String, Node> directives = new LinkedHashMap<>();
  final Set<String> builtIn = new HashSet<>();
  String query;
  String mutation;
  String subscription;

  private GqlSchema() {}

  static GqlSchema load(Node doc) throws SchemaError {
    GqlSchema s = new GqlSchema();
    for (Node d : PRELUDE_DOC.nodes("Definitions")) {
      s.types.put(d.str("Name"), d);
      s.builtIn.add(d.str("Name"));
    }
    for (Node d : PRELUDE_DOC.nodes("Directives")) {
      s.directives.put(d.str("Name"), d);
      s.builtIn.add("@" + d.str("Name"));
    }
    for (Node d : doc.nodes("Definitions")) {
      String name = d.str("Name");
      if (s.types.containsKey(name) && !s.builtIn.contains(name)) {
        throw new SchemaError("Cannot redeclare type " + name + ".", d.position());
      }
      s.types.put(name, copy(d));
      s.builtIn.remove(name);
    }
    for (Node ext : doc.nodes("Extensions")) {
      String name = ext.str("Name");
      Node def = s.types.get(name);
      if (def == null) {
        // Extending an unknown type declares it (as federated schemas expect).
        def = new Node().with("Kind", ext.str("Kind")).with("Name", name);
        def.put(Node.POSITION, ext.position());
        s.types.put(name, def);
      } else if (!def.str("Kind").equals(ext.str("Kind"))) {
        throw new SchemaError(
            "Cannot extend type "
                + name
                + " because the base type is a "
                + def.str("Kind")
                + ", not "
                + ext.str("Kind")
                + ".",
            ext.position());
      }
      for (String k : List.of("Directives", "Interfaces", "Fields", "Types", "EnumValues")) {
        List<Object> merged = new ArrayList<>();
        if (def.get(k) instanceof List<?> l) {
          merged.addAll(l);
        }
        if (ext.get(k) instanceof List<?> l) {
          merged.addAll(l);
        }
        def.put(k, merged);
      }
    }
    for (Node d : doc.nodes("Directives")) {
      String name = d.str("Name");
      if (s.directives.containsKey(name) && !s.builtIn.contains("@" + name)) {
        throw new SchemaError("Cannot redeclare directive " + name + ".", d.position());
      }
      s.directives.put(name, d);
      s.builtIn.remove("@" + name);
    }
    for (Node def : s.types.values()) {
      s.validateDefinition(def);
    }
    for (Node dir : s.directives.values()) {
      s.validateArguments(dir.nodes("Arguments"), "@" + dir.str("Name"));
    }
    List<Node> schemas = doc.nodes("Schema");
    if (schemas.size() > 1) {
      throw new SchemaError(
          "Cannot have multiple schema entry points, consider schema extensions instead.",
          schemas.get(1).position());
    }
    List<Node> roots = new ArrayList<>(schemas);
    roots.addAll(doc.nodes("SchemaExtension"));
    for (Node sd : roots) {
      s.validateDirectives(sd.nodes("Directives"), "SCHEMA");
      for (Node op : sd.nodes("OperationTypes")) {
        String type = op.str("Type");
        Node def = s.types.get(type);
        if (def == null) {
          throw new SchemaError(
              "Schema root "
                  + op.str("Operation")
                  + " refers to a type "
                  + type
                  + " that does not exist.",
              op.position());
        }
        switch (op.str("Operation")) {
          case "query" -> s.query = type;
          case "mutation" -> s.mutation = type;
          default -> s.subscription = type;
        }
      }
    }
    if (schemas.isEmpty()) {
      s.query = s.query != null ? s.query : s.types.containsKey("Query") ? "Query" : null;
      s.mutation =
          s.mutation != null ? s.mutation : s.types.containsKey("Mutation") ? "Mutation" : null;
      s.subscription =
          s.subscription != null
              ? s.subscription
              : s.types.containsKey("Subscription") ? "Subscription" : null;
    }
    return s;
  }

  private static Node copy(Node d) {
    Node n = new Node();
    for (Map.Entry<String, Object> e : d.entrySet()) {
      n.put(e.getKey(), e.getValue() instanceof List<?> l ? new ArrayList<>(l) : e.getValue());
    }
    return n;
  }

  private static String kindOf(GqlSchema s, Node type) {
    Node t = type;
    while (t != null && t.node("Elem") != null) {
      t = t.node("Elem");
    }
    if (t == null) {
      return null;
    }
    Node def = s.types.get(t.str("NamedType"));
    return def == null ? null : def.str("Kind");
  }

  static String named(Node type) {
    Node t = type;
    while (t != null && t.node("Elem") != null) {
      t = t.node("Elem");
    }
    return t == null ? "" : t.str("NamedType");
  }

  /** gqlparser's Type.String(): [Elem]! etc. */
  static String typeString(Node type) {
    if (type == null) {
      return "";
    }
    String base =
        type.node("Elem") != null
            ? "[" + typeString(type.node("Elem")) + "]"
            : type.str("NamedType");
    return type.bool("NonNull") ? base + "!" : base;
  }

  private void validateName(Node def, String name) throws SchemaError {
    if (name.startsWith("__") && !builtIn.contains(def.str("Name"))) {
      throw new SchemaError(
          "Name \""
              + name
              + "\" must not begin with \"__\", which is reserved by GraphQL introspection.",
          def.position());
    }
  }

  private void validateDefinition(Node def) throws SchemaError {
    String name = def.str("Name");
    String kind = def.str("Kind");
    validateName(def, name);
    validateDirectives(def.nodes("Directives"), kind);
    switch (kind) {
      case "OBJECT", "INTERFACE" -> {
        List<Node> fields = def.nodes("Fields");
        if (fields.isEmpty()) {
          throw new SchemaError(
              kind + " " + name + ": must define one or more fields.", def.position());
        }
        Set<String> seen = new HashSet<>();
        for (Node f : fields) {
          if (!seen.add(f.str("Name"))) {
            throw new SchemaError(
                "Field " + name + "." + f.str("Name") + " can only be defined once.", f.position());
          }
          validateName(f, f.str("Name"));
          String fk = requireType(f.node("Type"), f);
          if (fk.equals("INPUT_OBJECT")) {
            throw new SchemaError(
                "OBJECT field must be one of SCALAR, OBJECT, INTERFACE, UNION, ENUM.",
                f.position());
          }
          validateArguments(f.nodes("Arguments"), name + "." + f.str("Name"));
          validateDirectives(f.nodes("Directives"), "FIELD_DEFINITION");
        }
        validateImplements(def);
      }
      case "UNION" -> {
        List<String> members = def.strings("Types");
        if (members.isEmpty()) {
          throw new SchemaError(
              "UNION " + name + ": must define one or more unique member types.", def.position());
        }
        for (String m : members) {
          Node t = types.get(m);
          if (t == null) {
            throw new SchemaError("Undefined type \"" + m + "\".", def.position());
          }
          if (!t.str("Kind").equals("OBJECT")) {
            throw new SchemaError("UNION type \"" + m + "\" must be OBJECT.", def.position());
          }
        }
      }
      case "ENUM" -> {
        List<Node> values = def.nodes("EnumValues");
        if (values.isEmpty()) {
          throw new SchemaError(
              "ENUM " + name + ": must define one or more unique enum values.", def.position());
        }
        for (Node v : values) {
          String vn = v.str("Name");
          if (vn.equals("true") || vn.equals("false") || vn.equals("null")) {
            throw new SchemaError("ENUM " + name + ": non-enum value " + vn + ".", v.position());
          }
          validateDirectives(v.nodes("Directives"), "ENUM_VALUE");
        }
      }
      case "INPUT_OBJECT" -> {
        List<Node> fields = def.nodes("Fields");
        if (fields.isEmpty()) {
          throw new SchemaError(
              "INPUT_OBJECT " + name + ": must define one or more input fields.", def.position());
        }
        for (Node f : fields) {
          String fk = requireType(f.node("Type"), f);
          if (!isInputKind(fk)) {
            throw new SchemaError(
                "INPUT_OBJECT field must be one of SCALAR, ENUM, INPUT_OBJECT.", f.position());
          }
          validateDirectives(f.nodes("Directives"), "INPUT_FIELD_DEFINITION");
        }
      }
      default -> {}
    }
  }

  static boolean isInputKind(String kind) {
    return kind.equals("SCALAR") || kind.equals("ENUM") || kind.equals("INPUT_OBJECT");
  }

  private String requireType(Node type, Node at) throws SchemaError {
    String k = kindOf(this, type);
    if (k == null) {
      throw new SchemaError("Undefined type " + named(type) + ".", at.position());
    }
    return k;
  }

  private void validateArguments(List<Node> args, String owner) throws SchemaError {
    Set<String> seen = new HashSet<>();
    for (Node a : args) {
      if (!seen.add(a.str("Name"))) {
        throw new SchemaError(
            "Argument " + owner + "." + a.str("Name") + " can only be defined once.", a.position());
      }
      String k = requireType(a.node("Type"), a);
      if (!isInputKind(k)) {
        throw new SchemaError(
            "cannot use "
                + typeString(a.node("Type"))
                + " as argument "
                + a.str("Name")
                + " because "
                + k
                + " is not a valid input type",
            a.position());
      }
      validateDirectives(a.nodes("Directives"), "ARGUMENT_DEFINITION");
    }
  }

  private void validateDirectives(List<Node> uses, String location) throws SchemaError {
    for (Node d : uses) {
      Node def = directives.get(d.str("Name"));
      if (def == null) {
        throw new SchemaError("Undefined directive " + d.str("Name") + ".", d.position());
      }
      if (!def.strings("Locations").contains(location)) {
        throw new SchemaError(
            "Directive " + d.str("Name") + " is not applicable on " + location + ".", d.position());
      }
    }
  }

  private void validateImplements(Node def) throws SchemaError {
    String name = def.str("Name");
    Set<String> declared = new HashSet<>(def.strings("Interfaces"));
    for (String iname : def.strings("Interfaces")) {
      Node iface = types.get(iname);
      if (iface == null) {
        throw new SchemaError("Undefined type " + iname + ".", def.position());
      }
      if (!iface.str("Kind").equals("INTERFACE")) {
        throw new SchemaError(
            def.str("Kind") + " " + name + " implements non-interface type " + iname + ".",
            def.position());
      }
      for (Node f : iface.nodes("Fields")) {
        boolean found = false;
        for (Node own : def.nodes("Fields")) {
          if (own.str("Name").equals(f.str("Name"))) {
            found = true;
          }
        }
        if (!found) {
          throw new SchemaError(
              "For "
                  + name
                  + " to implement "
                  + iname
                  + " it must have a field called "
                  + f.str("Name")
                  + ".",
              def.position());
        }
      }
      for (String transitive : iface.strings("Interfaces")) {
        if (!declared.contains(transitive)) {
          throw new SchemaError(
              def.str("Kind")
                  + " "
                  + name
                  + " must implement "
                  + transitive
                  + " because it is implemented by "
                  + iname
                  + ".",
              def.position());
        }
      }
    }
  }

  Node type(String name) {
    return types.get(name);
  }

  Node rootType(String operation) {
    String n =
        switch (operation) {
          case "query" -> query;
          case "mutation" -> mutation;
          default -> subscription;
        };
    return n == null ? null : types.get(n);
  }

  /** The field definition on a composite type, including the introspection meta fields. */
  Node field(Node parent, String name) {
    if (parent == null) {
      return null;
    }
    switch (name) {
      case "__typename":
        return meta("__typename", "String", true);
      case "__schema":
        if (parent.str("Name").equals(query)) {
          return meta("__schema", "__Schema", true);
        }
        break;
      case "__type":
        if (parent.str("Name").equals(query)) {
          Node f = meta("__type", "__Type", false);
          Node arg = new Node().with("Name", "name");
          arg.put("Type", new Node().with("NamedType", "String").with("NonNull", true));
          f.put("Arguments", List.of(arg));
          return f;
        }
        break;
      default:
        break;
    }
    for (Node f : parent.nodes("Fields")) {
      if (f.str("Name").equals(name)) {
        return f;
      }
    }
    return null;
  }

  private static Node meta(String name, String type, boolean nonNull) {
    return new Node()
        .with("Name", name)
        .with("Type", new Node().with("NamedType", type).with("NonNull", nonNull));
  }

  /** Object types that may appear where the given composite type is expected. */
  Set<String> possibleTypes(Node def) {
    Set<String> out = new HashSet<>();
    switch (def.str("Kind")) {
      case "OBJECT" -> out.add(def.str("Name"));
      case "UNION" -> out.addAll(def.strings("Types"));
      case "INTERFACE" -> {
        for (Node t : types.values()) {
          if (t.strings("Interfaces").contains(def.str("Name"))) {
            if (t.str("Kind").equals("OBJECT")) {
              out.add(t.str("Name"));
            } else {
              out.addAll(possibleTypes(t));
            }
          }
        }
      }
      default -> {}
    }
    return out;
  }
}
