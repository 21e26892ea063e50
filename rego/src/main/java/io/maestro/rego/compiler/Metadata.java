package io.maestro.rego.compiler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.maestro.rego.RegoException;
import io.maestro.rego.ast.Module;
import io.maestro.rego.ast.Rule;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * METADATA annotations: parsed from comment blocks right above a package or rule, and served to
 * rego.metadata.rule() and rego.metadata.chain() as constants of the calling rule.
 */
final class Metadata {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Package path (dotted) to its package-scoped annotations. */
  private final Map<String, Value> packages = new HashMap<>();

  /** Rule path (dotted, full) to document-scoped annotations. */
  private final Map<String, Value> documents = new HashMap<>();

  /** A rule's own annotations (rule scope), keyed by identity of the parsed rule. */
  private final Map<Rule, Value> rules = new java.util.IdentityHashMap<>();

  void collect(Module m) {
    Map<Integer, Module.Annotation> byEnd = new HashMap<>();
    for (Module.Annotation a : m.annotations()) {
      byEnd.put(a.line(), a);
    }
    String pkg = String.join(".", m.pkg());
    Module.Annotation pa = byEnd.get(m.loc().line() - 1);
    if (pa != null) {
      packages.put(pkg, parse(pa, "package"));
    }
    for (Rule r : m.rules()) {
      Module.Annotation ra = byEnd.get(r.loc().line() - 1);
      if (ra == null) {
        continue;
      }
      Value v = parse(ra, "rule");
      String scope = ((StringValue) ((ObjectValue) v).get("scope")).value();
      if (scope.equals("document")) {
        documents.put(pkg + "." + r.name(), v);
      } else {
        rules.put(r, v);
      }
    }
  }

  private static Value parse(Module.Annotation a, String defaultScope) {
    JsonNode node;
    try {
      node = YAML.readTree(a.yaml());
    } catch (java.io.IOException e) {
      throw RegoException.parse("invalid METADATA: " + e.getMessage(), a.loc());
    }
    HashMap<Value, Value> m = new HashMap<>();
    if (node != null && node.isObject()) {
      ObjectValue o = (ObjectValue) Value.fromJson(node);
      m.putAll(o.unordered());
    }
    m.putIfAbsent(StringValue.of("scope"), StringValue.of(defaultScope));
    Value authors = m.get(StringValue.of("authors"));
    if (authors instanceof ArrayValue arr) {
      List<Value> out = new ArrayList<>();
      for (Value au : arr.elements()) {
        out.add(au instanceof StringValue s ? author(s.value()) : au);
      }
      m.put(StringValue.of("authors"), ArrayValue.of(out));
    }
    return ObjectValue.wrap(m);
  }

  private static Value author(String s) {
    HashMap<Value, Value> m = new HashMap<>();
    int lt = s.indexOf('<');
    if (lt >= 0 && s.endsWith(">")) {
      String name = s.substring(0, lt).strip();
      if (!name.isEmpty()) {
        m.put(StringValue.of("name"), StringValue.of(name));
      }
      m.put(StringValue.of("email"), StringValue.of(s.substring(lt + 1, s.length() - 1)));
    } else {
      m.put(StringValue.of("name"), StringValue.of(s.strip()));
    }
    return ObjectValue.wrap(m);
  }

  /** rego.metadata.rule(): the rule's own annotations, or {}. */
  Value rule(Rule r) {
    Value v = rules.get(r);
    return v == null ? ObjectValue.EMPTY : v;
  }

  /** rego.metadata.chain(): from the rule up through its document and packages. */
  Value chain(Rule r, List<String> pkg) {
    List<Value> out = new ArrayList<>();
    List<Value> rulePath = new ArrayList<>();
    pkg.forEach(p -> rulePath.add(StringValue.of(p)));
    for (String part : r.name().split("\\.")) {
      rulePath.add(StringValue.of(part));
    }
    Value own = rules.get(r);
    out.add(entry(rulePath, own));
    Value doc = documents.get(String.join(".", pkg) + "." + r.name());
    if (doc != null) {
      out.add(entry(rulePath, doc));
    }
    for (int k = pkg.size(); k >= 1; k--) {
      Value pa = packages.get(String.join(".", pkg.subList(0, k)));
      if (pa != null) {
        List<Value> p = new ArrayList<>();
        pkg.subList(0, k).forEach(x -> p.add(StringValue.of(x)));
        out.add(entry(p, pa));
      }
    }
    return ArrayValue.of(out);
  }

  private static Value entry(List<Value> path, Value annotations) {
    HashMap<Value, Value> m = new HashMap<>();
    m.put(StringValue.of("path"), ArrayValue.of(path));
    if (annotations != null) {
      m.put(StringValue.of("annotations"), annotations);
    }
    return ObjectValue.wrap(m);
  }
}
