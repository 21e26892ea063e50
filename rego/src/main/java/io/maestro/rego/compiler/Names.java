package io.maestro.rego.compiler;

import io.maestro.rego.RegoException;
import io.maestro.rego.ast.Location;
import io.maestro.rego.ast.Term;
import io.maestro.rego.value.StringValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Name resolution for one package: imports, rules of the package, functions and builtins. */
final class Names {
  record Fn(String name, int arity) {}

  private final List<String> pkg;
  private final Map<String, List<String>> imports;
  private final Set<String> ruleNames;
  private final Map<String, Integer> functions;
  private final Map<String, Integer> builtins;

  Names(
      List<String> pkg,
      Map<String, List<String>> imports,
      Set<String> ruleNames,
      Map<String, Integer> functions,
      Map<String, Integer> builtins) {
    this.pkg = pkg;
    this.imports = imports;
    this.ruleNames = ruleNames;
    this.functions = functions;
    this.builtins = builtins;
  }

  List<String> pkg() {
    return pkg;
  }

  boolean isGlobal(String name) {
    return name.equals("input")
        || name.equals("data")
        || imports.containsKey(name)
        || ruleNames.contains(name);
  }

  Ir.Node global(String name, Location loc) {
    switch (name) {
      case "input":
        return new Ir.InputRoot();
      case "data":
        return new Ir.DataRoot();
      default:
        break;
    }
    List<String> path = imports.get(name);
    if (path == null) {
      path = new ArrayList<>();
      path.add("data");
      path.addAll(pkg);
      path.add(name);
    }
    Ir.Node root = path.get(0).equals("input") ? new Ir.InputRoot() : new Ir.DataRoot();
    if (path.size() == 1) {
      return root;
    }
    Ir.Node[] p = new Ir.Node[path.size() - 1];
    for (int k = 1; k < path.size(); k++) {
      p[k - 1] = new Ir.Const(StringValue.of(path.get(k)));
    }
    return new Ir.RefN(root, p);
  }

  /** "a.b.c" for a variable or a ref whose operands are all strings; else null. */
  static String dotted(Term t) {
    List<String> p = refPath(t);
    return p == null ? null : String.join(".", p);
  }

  static List<String> refPath(Term t) {
    if (t instanceof Term.Var v) {
      return List.of(v.name());
    }
    if (t instanceof Term.Ref r && r.head() instanceof Term.Var v) {
      List<String> out = new ArrayList<>();
      out.add(v.name());
      for (Term p : r.path()) {
        if (p instanceof Term.Scalar s && s.value() instanceof StringValue sv) {
          out.add(sv.value());
        } else {
          return null;
        }
      }
      return out;
    }
    return null;
  }

  /** The full path ("data.…" or "input.…") a dotted global name stands for, or null. */
  String expandGlobal(String dotted) {
    String first = dotted.contains(".") ? dotted.substring(0, dotted.indexOf('.')) : dotted;
    String rest = dotted.substring(first.length());
    if (first.equals("data") || first.equals("input")) {
      return dotted;
    }
    List<String> imp = imports.get(first);
    if (imp != null) {
      return String.join(".", imp) + rest;
    }
    if (ruleNames.contains(first)) {
      return "data." + (pkg.isEmpty() ? "" : String.join(".", pkg) + ".") + dotted;
    }
    return null;
  }

  /** Resolves a call's operator; throws when {@code loc} is given and nothing matches. */
  Fn resolveFn(String dotted, Location loc) {
    String first = dotted.contains(".") ? dotted.substring(0, dotted.indexOf('.')) : dotted;
    if (first.equals("data")) {
      Integer a = functions.get(dotted);
      if (a != null) {
        return new Fn(dotted, a);
      }
    } else {
      List<String> imp = imports.get(first);
      if (imp != null) {
        String full = String.join(".", imp) + dotted.substring(first.length());
        Integer a = functions.get(full);
        if (a != null) {
          return new Fn(full, a);
        }
      }
      if (!pkg.isEmpty()) {
        String local = "data." + String.join(".", pkg) + "." + dotted;
        Integer a = functions.get(local);
        if (a != null) {
          return new Fn(local, a);
        }
      }
      Integer b = builtins.get(dotted);
      if (b != null) {
        return new Fn(dotted, b);
      }
    }
    if (loc != null) {
      throw new RegoException("rego_type_error", "undefined function " + dotted, loc);
    }
    return null;
  }
}
