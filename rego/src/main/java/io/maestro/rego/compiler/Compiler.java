package io.maestro.rego.compiler;

import io.maestro.rego.RegoException;
import io.maestro.rego.ast.Expr;
import io.maestro.rego.ast.Module;
import io.maestro.rego.ast.Rule;
import io.maestro.rego.ast.Term;
import io.maestro.rego.parser.Parser;
import io.maestro.rego.value.StringValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Compiles parsed modules into the document tree of rules the evaluator runs. */
public final class Compiler {
  private final Map<String, Integer> builtins;
  private final Map<String, Integer> functions = new HashMap<>();
  private final Map<String, Set<String>> ruleNames = new HashMap<>();
  private final DocNode root;
  private final Metadata metadata = new Metadata();
  // Independent errors found so far; compilation goes on past them so one run reports them all.
  private final List<RegoException> errors = new ArrayList<>();
  private int nextId = 1;

  private Compiler(Map<String, Integer> builtins) {
    this.builtins = builtins;
    this.root = new DocNode("data", List.of(), 0);
  }

  /** Parses and compiles modules (file name to source). */
  public static CompiledPolicy compile(Map<String, String> sources, Map<String, Integer> builtins) {
    List<Module> modules = new ArrayList<>();
    List<RegoException> parseErrors = new ArrayList<>();
    for (Map.Entry<String, String> e : sources.entrySet()) {
      try {
        modules.add(Parser.parseModule(e.getKey(), e.getValue()));
      } catch (RegoException ex) {
        // A file's parse error stops that file only; the others' errors are reported too.
        parseErrors.add(ex);
      }
    }
    if (!parseErrors.isEmpty()) {
      throw RegoException.of(parseErrors);
    }
    return compileModules(modules, builtins);
  }

  public static CompiledPolicy compileModules(List<Module> modules, Map<String, Integer> builtins) {
    Compiler c = new Compiler(builtins);
    for (Module m : modules) {
      c.collect(m);
      try {
        c.metadata.collect(m);
      } catch (RegoException e) {
        c.errors.add(e);
      }
    }
    for (Module m : modules) {
      c.lowerModule(m);
    }
    // A rule that failed to lower is missing from the tree; the checks below can then only miss
    // problems involving it, never invent one, so they still run and report what they find.
    c.root.buildIndexes();
    c.checkConflicts(c.root);
    try {
      Recursion.check(c.root);
    } catch (RegoException e) {
      c.errors.add(e);
    }
    if (!c.errors.isEmpty()) {
      throw RegoException.of(c.errors);
    }
    return new CompiledPolicy(c.root, c.nextId, c.functions, builtins, modules);
  }

  private void collect(Module m) {
    String pkgKey = String.join(".", m.pkg());
    Set<String> names = ruleNames.computeIfAbsent(pkgKey, k -> new HashSet<>());
    for (Rule r : m.rules()) {
      String first = ((StringValue) ((Term.Scalar) r.ref().get(0)).value()).value();
      names.add(first);
      if (r.isFunction()) {
        String full = "data." + pkgKey + "." + r.name();
        Integer prev = functions.put(full, r.args().size());
        if (prev != null && prev != r.args().size()) {
          errors.add(
              new RegoException(
                  "rego_type_error",
                  "conflicting rules data." + pkgKey + "." + r.name() + " found",
                  r.loc()));
        }
      }
    }
  }

  private Map<String, List<String>> imports(Module m) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Module.Import imp : m.imports()) {
      String root = imp.path().get(0);
      if (root.equals("data") || root.equals("input")) {
        out.put(imp.name(), imp.path());
      }
    }
    return out;
  }

  private DocNode node(List<String> path) {
    DocNode n = root;
    List<String> p = new ArrayList<>();
    for (String s : path) {
      p.add(s);
      DocNode child = n.children.get(s);
      if (child == null) {
        child = new DocNode(s, p, nextId++);
        n.children.put(s, child);
      }
      n = child;
    }
    return n;
  }

  private void lowerModule(Module m) {
    String pkgKey = String.join(".", m.pkg());
    Names names = new Names(m.pkg(), imports(m), ruleNames.get(pkgKey), functions, builtins);
    // Ensure the package exists in the tree even without rules (data.pkg is then {}).
    node(m.pkg());
    for (Rule r : m.rules()) {
      try {
        placeRule(m, names, r);
      } catch (RegoException e) {
        // Rules are independent: an error in one does not hide the errors of the next.
        errors.add(e);
      }
    }
  }

  /** Lowers one rule and places it at its node in the document tree. */
  private void placeRule(Module m, Names names, Rule r) {
    int ground = 0;
    while (ground < r.ref().size()
        && r.ref().get(ground) instanceof Term.Scalar s
        && s.value() instanceof StringValue) {
      ground++;
    }
    List<String> path = new ArrayList<>(m.pkg());
    for (int k = 0; k < ground; k++) {
      path.add(((StringValue) ((Term.Scalar) r.ref().get(k)).value()).value());
    }
    DocNode node = node(path);
    Ir.Rule ir = lowerRule(r, names, ground);
    if (r.isFunction()) {
      node.arity = r.args().size();
      if (r.isDefault()) {
        node.defaultRule = ir;
      } else {
        node.functions.add(ir);
      }
    } else if (r.isDefault()) {
      if (node.defaultRule != null) {
        throw RegoException.compile(
            "multiple default rules " + String.join(".", path) + " found", r.loc());
      }
      node.defaultRule = ir;
    } else if (ground == r.ref().size() && !r.isContains()) {
      node.complete.add(ir);
    } else {
      node.generators.add(ir);
    }
  }

  private Ir.Rule lowerRule(Rule r, Names names, int ground) {
    return lowerRule(r, r, names, ground);
  }

  private Ir.Rule lowerRule(Rule parsed, Rule r, Names names, int ground) {
    if (!r.isDefault() && r.value() != null && needsHoisting(r.value())) {
      // Like OPA, a head value that is not a plain term is computed by the body, so refs with
      // wildcards (q := xs[_]) enumerate and comprehensions see the body's bindings.
      Term.Var tmp = new Term.Var("$hv", r.value().loc());
      List<Expr> body = new ArrayList<>(r.body());
      body.add(unify(tmp, r.value()));
      r = withHead(r, r.args(), r.key(), tmp, body);
    }
    if (!r.isDefault() && r.key() != null && needsHoisting(r.key())) {
      Term.Var tmp = new Term.Var("$hk", r.key().loc());
      List<Expr> body = new ArrayList<>(r.body());
      body.add(unify(tmp, r.key()));
      r = withHead(r, r.args(), tmp, r.value(), body);
    }
    if (r.args() != null && r.args().stream().anyMatch(a -> !isPattern(a))) {
      // Arguments that are not plain patterns (e.g. template strings over body variables) are
      // checked after the body, against the argument value bound to a fresh variable.
      List<Term> args = new ArrayList<>();
      List<Expr> body = new ArrayList<>(r.body());
      for (int k = 0; k < r.args().size(); k++) {
        Term a = r.args().get(k);
        if (isPattern(a)) {
          args.add(a);
        } else {
          Term.Var tmp = new Term.Var("$arg" + k, a.loc());
          args.add(tmp);
          body.add(unify(tmp, a));
        }
      }
      r = withHead(r, args, r.key(), r.value(), body);
    }
    Lowerer lw = new Lowerer(names);
    Rule original = parsed;
    lw.metadata(() -> metadata.rule(original), () -> metadata.chain(original, names.pkg()));
    List<Expr> body = r.body();
    lw.declare(r.args(), body);
    // Head variables bound only by the head (e.g. p[x] := y) are locals too.
    Lowerer.Scope scope = new Lowerer.Scope(null);
    Set<String> bound = new LinkedHashSet<>();
    Ir.Node[] args = null;
    if (r.args() != null) {
      bound.addAll(lw.bindArgs(r.args(), scope));
      args = new Ir.Node[r.args().size()];
      for (int k = 0; k < args.length; k++) {
        args[k] = lw.term(r.args().get(k), scope);
      }
    }
    Ir.Body ir = lw.body(body, scope, bound);
    List<Term> suffixTerms = r.ref().subList(ground, r.ref().size());
    Ir.Node[] suffix = new Ir.Node[suffixTerms.size()];
    for (int k = 0; k < suffix.length; k++) {
      lw.checkHead(suffixTerms.get(k), scope, bound, r.loc());
      suffix[k] = lw.term(suffixTerms.get(k), scope);
    }
    Ir.Node key = null;
    if (r.key() != null) {
      lw.checkHead(r.key(), scope, bound, r.loc());
      key = lw.term(r.key(), scope);
    }
    Ir.Node value = null;
    if (r.value() != null) {
      lw.checkHead(r.value(), scope, bound, r.loc());
      value = lw.term(r.value(), scope);
    }
    Ir.Rule elseRule = r.elseRule() == null ? null : lowerRule(parsed, r.elseRule(), names, ground);
    return new Ir.Rule(
        args, suffix, key, value, r.isContains(), ir, lw.slots(), elseRule, r.loc(), List.of());
  }

  /** {@code tmp = t}, located at {@code t}: how a hoisted head term is bound in the body. */
  private static Expr unify(Term.Var tmp, Term t) {
    return new Expr(new Expr.Unify(tmp, t), false, List.of(), t.loc());
  }

  /** The rule with hoisted head terms replaced and the body that binds them. */
  private static Rule withHead(Rule r, List<Term> args, Term key, Term value, List<Expr> body) {
    return new Rule(
        r.ref(),
        args,
        key,
        value,
        r.assign(),
        r.isDefault(),
        r.isContains(),
        body,
        r.elseRule(),
        r.loc(),
        r.text());
  }

  private static boolean isPattern(Term t) {
    return switch (t) {
      case Term.Scalar s -> true;
      case Term.Var v -> true;
      case Term.ArrayTerm a -> a.items().stream().allMatch(Compiler::isPattern);
      case Term.ObjectTerm o ->
          o.keys().stream().allMatch(k -> k instanceof Term.Scalar)
              && o.values().stream().allMatch(Compiler::isPattern);
      default -> false;
    };
  }

  /** Rules of different kinds under one name (function and value, set and single value). */
  private void checkConflicts(DocNode n) {
    boolean fn = !n.functions.isEmpty();
    boolean values = !n.complete.isEmpty() || !n.generators.isEmpty();
    boolean sets = n.generators.stream().anyMatch(r -> r.contains() && r.suffix().length == 0);
    if ((fn && values) || (sets && !n.complete.isEmpty())) {
      Ir.Rule r = !n.complete.isEmpty() ? n.complete.get(0) : n.generators.get(0);
      errors.add(
          new RegoException(
              "rego_type_error",
              "conflicting rules data." + String.join(".", n.path) + " found",
              r.loc()));
    }
    for (DocNode c : n.children.values()) {
      checkConflicts(c);
    }
  }

  /** Whether a head term holds refs or calls that the body should evaluate. */
  private static boolean needsHoisting(Term t) {
    return switch (t) {
      case Term.Scalar s -> false;
      case Term.Var v -> false;
      case Term.ArrayTerm a -> a.items().stream().anyMatch(Compiler::needsHoisting);
      case Term.SetTerm st -> st.items().stream().anyMatch(Compiler::needsHoisting);
      case Term.ObjectTerm o ->
          o.keys().stream().anyMatch(Compiler::needsHoisting)
              || o.values().stream().anyMatch(Compiler::needsHoisting);
      default -> true;
    };
  }

  /** Compiles a query against the policy's names (no package, no imports). */
  static CompiledQuery compileQuery(
      String query, Map<String, Integer> functions, Map<String, Integer> builtins) {
    List<Expr> body = Parser.parseQuery(query);
    Names names = new Names(List.of(), Map.of(), Set.of(), functions, builtins);
    Lowerer lw = new Lowerer(names);
    lw.declare(null, body);
    Lowerer.Scope scope = new Lowerer.Scope(null);
    Set<String> bound = new LinkedHashSet<>();
    Ir.Body ir = lw.body(body, scope, bound);
    Map<String, Integer> vars = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> e : scope.slots.entrySet()) {
      if (!e.getKey().startsWith("$")) {
        vars.put(e.getKey(), e.getValue());
      }
    }
    return new CompiledQuery(query, ir, lw.slots(), vars);
  }
}
