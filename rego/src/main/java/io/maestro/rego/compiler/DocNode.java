package io.maestro.rego.compiler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node of the virtual document tree under {@code data}: packages and rule paths. A node holds the
 * rules whose ground head prefix ends at it: complete rules (one value for the node), generators
 * (partial sets, partial objects, refs with variables) and functions.
 */
public final class DocNode {
  public final String name;
  public final List<String> path;
  public final int id;
  public final Map<String, DocNode> children = new LinkedHashMap<>();
  public final List<Ir.Rule> complete = new ArrayList<>();
  public final List<Ir.Rule> generators = new ArrayList<>();
  public final List<Ir.Rule> functions = new ArrayList<>();
  public Ir.Rule defaultRule;

  /** Indexes over complete rules and generators; null when not indexable. */
  public RuleIndex completeIndex;

  public RuleIndex generatorIndex;
  public int arity = -1;

  DocNode(String name, List<String> path, int id) {
    this.name = name;
    this.path = List.copyOf(path);
    this.id = id;
  }

  void buildIndexes() {
    completeIndex = RuleIndex.build(complete);
    generatorIndex = RuleIndex.build(generators);
    for (DocNode c : children.values()) {
      c.buildIndexes();
    }
  }

  public boolean hasRules() {
    return !complete.isEmpty() || !generators.isEmpty() || defaultRule != null;
  }

  public boolean isFunction() {
    return !functions.isEmpty() || (defaultRule != null && arity >= 0);
  }

  /** True when this node or any node below it holds rules. */
  public boolean hasVirtual() {
    if (hasRules() || isFunction()) {
      return true;
    }
    for (DocNode c : children.values()) {
      if (c.hasVirtual()) {
        return true;
      }
    }
    return false;
  }
}
