package io.maestro.rego.ast;

import java.util.List;

/** A parsed Rego module. */
public record Module(
    String file,
    List<String> pkg,
    List<Import> imports,
    List<Rule> rules,
    List<Annotation> annotations,
    Location loc) {
  public Module {
    pkg = List.copyOf(pkg);
    imports = List.copyOf(imports);
    rules = List.copyOf(rules);
    annotations = List.copyOf(annotations);
  }

  /** `import path [as alias]`; path starts with "data" or "input" (or future/rego). */
  public record Import(List<String> path, String alias, Location loc) {
    public String name() {
      return alias != null ? alias : path.get(path.size() - 1);
    }
  }

  /** A METADATA comment block; scope resolved by the compiler. */
  public record Annotation(String yaml, int line, Location loc) {}
}
