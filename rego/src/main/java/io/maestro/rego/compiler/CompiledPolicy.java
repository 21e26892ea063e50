package io.maestro.rego.compiler;

import io.maestro.rego.ast.Module;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The compiled document tree plus name tables. Immutable after compilation; thread-safe. */
public final class CompiledPolicy {
  private final DocNode root;
  private final int nodeCount;
  private final Map<String, Integer> functions;
  private final Map<String, Integer> builtins;
  private final Map<String, DocNode> functionNodes = new HashMap<>();
  private final List<Module> modules;
  private final Map<String, CompiledQuery> queries = new ConcurrentHashMap<>();

  CompiledPolicy(
      DocNode root,
      int nodeCount,
      Map<String, Integer> functions,
      Map<String, Integer> builtins,
      List<Module> modules) {
    this.root = root;
    this.nodeCount = nodeCount;
    this.functions = Map.copyOf(functions);
    this.builtins = builtins;
    this.modules = List.copyOf(modules);
    for (String f : functions.keySet()) {
      DocNode n = root;
      String[] parts = f.split("\\.");
      for (int k = 1; k < parts.length && n != null; k++) {
        n = n.children.get(parts[k]);
      }
      if (n != null) {
        functionNodes.put(f, n);
      }
    }
  }

  public DocNode root() {
    return root;
  }

  public int nodeCount() {
    return nodeCount;
  }

  public List<Module> modules() {
    return modules;
  }

  /** The node of a user function ("data.pkg.f"), or null. */
  public DocNode function(String name) {
    return functionNodes.get(name);
  }

  /** Compiles (and caches) a query. */
  public CompiledQuery query(String text) {
    CompiledQuery q = queries.get(text);
    if (q == null) {
      q = Compiler.compileQuery(text, functions, builtins);
      if (queries.size() < 1000) {
        queries.put(text, q);
      }
    }
    return q;
  }
}
