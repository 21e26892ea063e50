package io.maestro.rego.builtins.core;

import io.maestro.rego.RegoException;
import io.maestro.rego.ast.Module;
import io.maestro.rego.ast.Rule;
import io.maestro.rego.ast.Term;
import io.maestro.rego.builtins.Args;
import io.maestro.rego.builtins.BuiltinContext;
import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.BuiltinRegistry;
import io.maestro.rego.parser.Parser;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * rego.parse_module: parses a module and returns an outline of OPA's AST JSON — the package path,
 * the imports and each rule's head reference (with its default flag). Rule bodies are not rendered.
 */
final class ParseModule {
  private ParseModule() {}

  static void register(BuiltinRegistry r) {
    r.register("rego.parse_module", "(string, string) => object[string: any]", ParseModule::parse);
  }

  private static Value parse(BuiltinContext c, List<Value> a) {
    String file = Args.string("rego.parse_module", a, 0);
    String src = Args.string("rego.parse_module", a, 1);
    Module m;
    try {
      m = Parser.parseModule(file, src);
    } catch (RegoException e) {
      throw BuiltinException.error("rego.parse_module", e.code() + ": " + e.detail());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    List<Object> pkgPath = new ArrayList<>();
    pkgPath.add(term("var", "data"));
    m.pkg().forEach(p -> pkgPath.add(term("string", p)));
    out.put("package", Map.of("path", pkgPath));
    List<Object> imports = new ArrayList<>();
    for (Module.Import imp : m.imports()) {
      List<Object> path = new ArrayList<>();
      path.add(term("var", imp.path().get(0)));
      imp.path().subList(1, imp.path().size()).forEach(p -> path.add(term("string", p)));
      Map<String, Object> i = new LinkedHashMap<>();
      i.put("path", Map.of("type", "ref", "value", path));
      if (imp.alias() != null) {
        i.put("alias", imp.alias());
      }
      imports.add(i);
    }
    if (!imports.isEmpty()) {
      out.put("imports", imports);
    }
    List<Object> rules = new ArrayList<>();
    for (Rule r : m.rules()) {
      List<Object> ref = new ArrayList<>();
      for (Term t : r.ref()) {
        if (t instanceof Term.Scalar s && s.value() instanceof StringValue sv) {
          ref.add(term(ref.isEmpty() ? "var" : "string", sv.value()));
        } else {
          ref.add(Map.of("type", "var", "value", "_"));
        }
      }
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put("head", Map.of("name", r.name(), "ref", ref));
      if (r.isDefault()) {
        rule.put("default", true);
      }
      rules.add(rule);
    }
    if (!rules.isEmpty()) {
      out.put("rules", rules);
    }
    return Value.fromJava(out);
  }

  private static Map<String, Object> term(String type, String value) {
    return Map.of("type", type, "value", value);
  }
}
