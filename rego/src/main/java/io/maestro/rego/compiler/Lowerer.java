package io.maestro.rego.compiler;

import io.maestro.rego.RegoException;
import io.maestro.rego.ast.Expr;
import io.maestro.rego.ast.Location;
import io.maestro.rego.ast.Term;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.SetValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lowers one rule (or query) to IR: resolves names, checks safety and reorders bodies so every
 * variable is bound before use, and assigns frame slots.
 */
final class Lowerer {
  private final Names names;
  private final Set<String> declared = new HashSet<>();
  private final VarSets vs;
  private final Safety safety;

  /** Renames comprehension-local variables, numbered per rule or query. */
  private final Scoping scoping = new Scoping();

  private int slots;

  /** A lexical scope: a rule body, a query, or a closure (comprehension, every, not-body). */
  static final class Scope {
    final Scope parent;
    final Map<String, Integer> slots = new HashMap<>();

    Scope(Scope parent) {
      this.parent = parent;
    }

    Integer lookup(String name) {
      for (Scope s = this; s != null; s = s.parent) {
        Integer k = s.slots.get(name);
        if (k != null) {
          return k;
        }
      }
      return null;
    }
  }

  Lowerer(Names names) {
    this.names = names;
    this.vs =
        new VarSets(
            this::isLocal,
            new VarSets.ArityLookup() {
              @Override
              public int arityOf(Term.Call call) {
                return Lowerer.this.arityOf(call);
              }

              @Override
              public boolean isFunction(String dotted) {
                return !declared.contains(dotted) && names.resolveFn(dotted, null) != null;
              }
            });
    this.safety = new Safety(vs, names);
  }

  private java.util.function.Supplier<Value> metaRule = () -> ObjectValue.EMPTY;
  private java.util.function.Supplier<Value> metaChain = () -> ArrayValue.EMPTY;

  void metadata(java.util.function.Supplier<Value> rule, java.util.function.Supplier<Value> chain) {
    this.metaRule = rule;
    this.metaChain = chain;
  }

  int slots() {
    return slots;
  }

  boolean isLocal(String name) {
    return name.startsWith("$") || declared.contains(name) || !names.isGlobal(name);
  }

  private int arityOf(Term.Call c) {
    String n = Names.dotted(c.operator());
    if (n == null) {
      return -1;
    }
    Names.Fn f = names.resolveFn(n, null);
    return f == null ? -1 : f.arity();
  }

  /** Records names declared with some, :=, some-in, every, and function arguments. */
  void declare(List<Term> args, List<Expr> body) {
    if (args != null) {
      for (Term a : args) {
        Set<String> s = new LinkedHashSet<>();
        allVarNames(a, s);
        declared.addAll(s);
      }
    }
    for (Expr e : body) {
      declareExpr(e);
    }
  }

  private void declareExpr(Expr e) {
    switch (e.kind()) {
      case Expr.SomeDecl s -> s.vars().forEach(v -> declared.add(v.name()));
      case Expr.Assign a -> {
        allVarNames(a.lhs(), declared);
        declareTerm(a.rhs());
      }
      case Expr.SomeIn s -> {
        if (s.key() != null) {
          allVarNames(s.key(), declared);
        }
        allVarNames(s.value(), declared);
        declareTerm(s.collection());
      }
      case Expr.Every ev -> {
        if (ev.key() != null) {
          allVarNames(ev.key(), declared);
        }
        allVarNames(ev.value(), declared);
        ev.body().forEach(this::declareExpr);
      }
      case Expr.NotBody nb -> nb.body().forEach(this::declareExpr);
      case Expr.TermExpr t -> declareTerm(t.term());
      case Expr.Unify u -> {
        declareTerm(u.lhs());
        declareTerm(u.rhs());
      }
    }
  }

  private void declareTerm(Term t) {
    switch (t) {
      case Term.ArrayCompr c -> c.body().forEach(this::declareExpr);
      case Term.SetCompr c -> c.body().forEach(this::declareExpr);
      case Term.ObjectCompr c -> c.body().forEach(this::declareExpr);
      case Term.Call c -> c.args().forEach(this::declareTerm);
      case Term.ArrayTerm a -> a.items().forEach(this::declareTerm);
      case Term.ObjectTerm o -> o.values().forEach(this::declareTerm);
      case Term.Ref r -> {
        declareTerm(r.head());
        r.path().forEach(this::declareTerm);
      }
      default -> {}
    }
  }

  static void allVarNames(Term t, Set<String> out) {
    switch (t) {
      case Term.Var v -> out.add(v.name());
      case Term.ArrayTerm a -> a.items().forEach(x -> allVarNames(x, out));
      case Term.ObjectTerm o -> o.values().forEach(x -> allVarNames(x, out));
      case Term.SetTerm s -> s.items().forEach(x -> allVarNames(x, out));
      default -> {}
    }
  }

  // ------------------------------------------------------------------ bodies

  /** Binds the pattern variables of function arguments in the scope. */
  Set<String> bindArgs(List<Term> args, Scope scope) {
    Set<String> b = new LinkedHashSet<>();
    for (Term a : args) {
      vs.pattern(a, b);
    }
    for (String n : b) {
      slotOf(n, scope);
    }
    return b;
  }

  /** Reorders and lowers a body; {@code bound} is updated with the variables it binds. */
  Ir.Body body(List<Expr> source, Scope scope, Set<String> bound) {
    List<Expr> exprs = scoping.isolate(source);
    Set<String> assigned = new HashSet<>();
    for (Expr e : exprs) {
      if (e.kind() instanceof Expr.Assign a) {
        Set<String> vars = new LinkedHashSet<>();
        allVarNames(a.lhs(), vars);
        for (String v : vars) {
          if (!v.startsWith("$") && !assigned.add(v)) {
            throw RegoException.compile("var " + v + " assigned above", e.loc());
          }
        }
      }
    }
    // Variables mentioned at the top level are owned by this scope unless an enclosing one has
    // them; some/:= declarations always make a fresh variable here.
    Set<String> top = new LinkedHashSet<>();
    for (Expr e : exprs) {
      vs.topLevel(e, top);
    }
    Set<String> forced = new HashSet<>();
    for (Expr e : exprs) {
      if (e.kind() instanceof Expr.SomeDecl s) {
        s.vars().forEach(v -> forced.add(v.name()));
      } else if (e.kind() instanceof Expr.Assign a) {
        allVarNames(a.lhs(), forced);
      } else if (e.kind() instanceof Expr.SomeIn s) {
        Set<String> f = new HashSet<>();
        if (s.key() != null) {
          allVarNames(s.key(), f);
        }
        allVarNames(s.value(), f);
        forced.addAll(f);
      }
    }
    for (String n : top) {
      if (forced.contains(n) && scope.parent != null && !scope.slots.containsKey(n)) {
        scope.slots.put(n, slots++);
        bound.remove(n);
      } else {
        slotOf(n, scope);
      }
    }
    List<Expr> order = safety.reorder(exprs, scope, bound);
    List<Ir.Expr> out = new ArrayList<>(order.size());
    for (Expr e : order) {
      out.add(expr(e, scope, bound));
    }
    return new Ir.Body(out.toArray(new Ir.Expr[0]));
  }

  // ------------------------------------------------------------------ expressions

  private Ir.Expr expr(Expr e, Scope scope, Set<String> bound) {
    Ir.Kind kind =
        switch (e.kind()) {
          case Expr.TermExpr te -> new Ir.TermK(term(te.term(), scope));
          case Expr.Unify u -> new Ir.UnifyK(term(u.lhs(), scope), term(u.rhs(), scope));
          case Expr.Assign a -> new Ir.UnifyK(term(a.lhs(), scope), term(a.rhs(), scope));
          case Expr.SomeDecl s -> new Ir.NoopK();
          case Expr.SomeIn s -> {
            Term key = s.key() != null ? s.key() : new Term.Var("$in" + slots, s.value().loc());
            if (s.key() == null) {
              slotOf(((Term.Var) key).name(), scope);
            }
            Ir.Node coll = term(s.collection(), scope);
            yield new Ir.UnifyK(
                new Ir.RefN(coll, new Ir.Node[] {term(key, scope)}), term(s.value(), scope));
          }
          case Expr.Every ev -> {
            Scope inner = new Scope(scope);
            Set<String> b = new HashSet<>(allBound(scope, bound));
            Ir.Node k = null;
            if (ev.key() != null) {
              k = patternIn(ev.key(), inner, b);
            }
            Ir.Node v = patternIn(ev.value(), inner, b);
            Ir.Node domain = term(ev.domain(), scope);
            Ir.Body body = body(ev.body(), inner, b);
            yield new Ir.EveryK(k, v, domain, body);
          }
          case Expr.NotBody nb -> {
            Scope inner = new Scope(scope);
            Set<String> b = new HashSet<>(allBound(scope, bound));
            yield new Ir.NotBodyK(body(nb.body(), inner, b));
          }
        };
    List<Ir.With> withs = new ArrayList<>();
    for (Expr.With w : e.withs()) {
      withs.add(with(w, scope));
    }
    return new Ir.Expr(kind, e.negated(), withs.toArray(new Ir.With[0]), e.loc());
  }

  private Ir.Node patternIn(Term p, Scope inner, Set<String> b) {
    Set<String> vars = new LinkedHashSet<>();
    allVarNames(p, vars);
    for (String n : vars) {
      if (!inner.slots.containsKey(n)) {
        inner.slots.put(n, slots++);
      }
      b.add(n);
    }
    return term(p, inner);
  }

  private Set<String> allBound(Scope scope, Set<String> bound) {
    Set<String> out = new HashSet<>(bound);
    for (Scope s = scope; s != null; s = s.parent) {
      out.addAll(s.slots.keySet());
    }
    return out;
  }

  private Ir.With with(Expr.With w, Scope scope) {
    Ir.Node value = term(w.value(), scope);
    Term t = w.target();
    String dotted = Names.dotted(t);
    List<String> path = Names.refPath(t);
    if (path != null
        && path.get(0).equals("input")
        && !(t instanceof Term.Var v && !v.name().equals("input"))) {
      return new Ir.WithInput(path.subList(1, path.size()).toArray(new String[0]), value);
    }
    if (dotted == null) {
      throw RegoException.compile(
          "with keyword target must reference existing input, data, or a function", w.loc());
    }
    String full = names.expandGlobal(dotted);
    Names.Fn fn = names.resolveFn(dotted, null);
    if (fn != null) {
      String by = null;
      String vd = Names.dotted(w.value());
      if (vd != null
          && !(w.value() instanceof Term.Var vv
              && isLocal(vv.name())
              && names.resolveFn(vd, null) == null)) {
        Names.Fn byFn = names.resolveFn(vd, null);
        if (byFn != null) {
          by = byFn.name();
        }
      }
      return new Ir.WithFunction(fn.name(), by, by == null ? value : null);
    }
    if (full != null && full.startsWith("data")) {
      List<String> p = List.of(full.split("\\."));
      return new Ir.WithData(p.subList(1, p.size()).toArray(new String[0]), value);
    }
    if (full != null && full.startsWith("input")) {
      List<String> p = List.of(full.split("\\."));
      return new Ir.WithInput(p.subList(1, p.size()).toArray(new String[0]), value);
    }
    throw RegoException.compile(
        "with keyword target must reference existing input, data, or a function", w.loc());
  }

  // ------------------------------------------------------------------ terms

  int slotOf(String name, Scope scope) {
    Integer k = scope.lookup(name);
    if (k == null) {
      k = slots++;
      scope.slots.put(name, k);
    }
    return k;
  }

  Ir.Node term(Term t, Scope scope) {
    return switch (t) {
      case Term.Scalar s -> new Ir.Const(s.value());
      case Term.Var v ->
          isLocal(v.name())
              ? new Ir.Local(slotOf(v.name(), scope), v.name())
              : names.global(v.name(), v.loc());
      case Term.Ref r -> {
        Ir.Node head = term(r.head(), scope);
        Ir.Node[] path = new Ir.Node[r.path().size()];
        for (int k = 0; k < path.length; k++) {
          path[k] = term(r.path().get(k), scope);
        }
        if (head instanceof Ir.RefN hr) {
          Ir.Node[] p = new Ir.Node[hr.path().length + path.length];
          System.arraycopy(hr.path(), 0, p, 0, hr.path().length);
          System.arraycopy(path, 0, p, hr.path().length, path.length);
          yield new Ir.RefN(hr.head(), p);
        }
        yield new Ir.RefN(head, path);
      }
      case Term.ArrayTerm a -> {
        Ir.Node[] items = terms(a.items(), scope);
        Value[] consts = consts(items);
        yield consts != null ? new Ir.Const(ArrayValue.of(consts)) : new Ir.ArrayN(items);
      }
      case Term.SetTerm s -> {
        Ir.Node[] items = terms(s.items(), scope);
        Value[] consts = consts(items);
        yield consts != null ? new Ir.Const(SetValue.of(consts)) : new Ir.SetN(items);
      }
      case Term.ObjectTerm o -> {
        Ir.Node[] ks = terms(o.keys(), scope);
        Ir.Node[] vals = terms(o.values(), scope);
        Value[] ck = consts(ks);
        Value[] cv = consts(vals);
        if (ck != null && cv != null) {
          HashMap<Value, Value> m = new HashMap<>();
          for (int k = 0; k < ck.length; k++) {
            m.put(ck[k], cv[k]);
          }
          yield new Ir.Const(ObjectValue.wrap(m));
        }
        yield new Ir.ObjectN(ks, vals);
      }
      case Term.Call c -> call(c, scope);
      case Term.Template tp -> {
        Object[] parts = new Object[tp.parts().size()];
        for (int k = 0; k < parts.length; k++) {
          Object p = tp.parts().get(k);
          parts[k] = p instanceof Term x ? term(x, scope) : p;
        }
        yield new Ir.Template(parts, tp.loc());
      }
      case Term.ArrayCompr c -> {
        Scope inner = new Scope(scope);
        Set<String> b = allBound(scope, Set.of());
        Ir.Body body = body(c.body(), inner, b);
        checkHead(c.head(), inner, b, c.loc());
        yield new Ir.ArrayCompr(term(c.head(), inner), body);
      }
      case Term.SetCompr c -> {
        Scope inner = new Scope(scope);
        Set<String> b = allBound(scope, Set.of());
        Ir.Body body = body(c.body(), inner, b);
        checkHead(c.head(), inner, b, c.loc());
        yield new Ir.SetCompr(term(c.head(), inner), body);
      }
      case Term.ObjectCompr c -> {
        Scope inner = new Scope(scope);
        Set<String> b = allBound(scope, Set.of());
        Ir.Body body = body(c.body(), inner, b);
        checkHead(c.key(), inner, b, c.loc());
        checkHead(c.value(), inner, b, c.loc());
        yield new Ir.ObjectCompr(term(c.key(), inner), term(c.value(), inner), body);
      }
    };
  }

  /** Head terms may only use variables the body binds. */
  void checkHead(Term head, Scope scope, Set<String> bound, Location loc) {
    Set<String> need = new LinkedHashSet<>(safety.in(head, scope));
    vs.outputs(head, need);
    for (String v : need) {
      if (!bound.contains(v)) {
        throw new RegoException(
            "rego_unsafe_var_error", "var " + Safety.display(v) + " is unsafe", loc);
      }
    }
  }

  private Ir.Node[] terms(List<Term> ts, Scope scope) {
    Ir.Node[] out = new Ir.Node[ts.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = term(ts.get(k), scope);
    }
    return out;
  }

  private static Value[] consts(Ir.Node[] nodes) {
    Value[] out = new Value[nodes.length];
    for (int k = 0; k < nodes.length; k++) {
      if (!(nodes[k] instanceof Ir.Const c)) {
        return null;
      }
      out[k] = c.value();
    }
    return out;
  }

  private Ir.Node call(Term.Call c, Scope scope) {
    String dotted = Names.dotted(c.operator());
    if (dotted == null) {
      throw RegoException.compile("invalid function call", c.loc());
    }
    if (dotted.equals("rego.metadata.rule") || dotted.equals("rego.metadata.chain")) {
      // Annotations are known at compile time: the call is the calling rule's constant.
      Value v = dotted.endsWith("rule") ? metaRule.get() : metaChain.get();
      Ir.Node[] args = new Ir.Node[c.args().size() + 1];
      args[0] = new Ir.Const(v);
      for (int k = 0; k < c.args().size(); k++) {
        args[k + 1] = term(c.args().get(k), scope);
      }
      return new Ir.Call("internal.const", args, 1, c.loc());
    }
    Names.Fn fn = names.resolveFn(dotted, c.loc());
    Ir.Node[] args = terms(c.args(), scope);
    if (fn.arity() >= 0 && (args.length < fn.arity() || args.length > fn.arity() + 1)) {
      throw new RegoException(
          "rego_type_error",
          dotted
              + ": arity mismatch: expected "
              + fn.arity()
              + " argument"
              + (fn.arity() == 1 ? "" : "s")
              + ", got "
              + args.length,
          c.loc());
    }
    return new Ir.Call(fn.name(), args, fn.arity(), c.loc());
  }

  static Value stringKey(String s) {
    return StringValue.of(s);
  }
}
