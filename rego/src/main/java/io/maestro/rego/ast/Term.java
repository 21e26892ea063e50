package io.maestro.rego.ast;

import io.maestro.rego.value.Value;
import java.util.List;

/** A Rego term as parsed. */
public sealed interface Term {
  Location loc();

  /** A constant scalar (null, boolean, number, string). */
  record Scalar(Value value, Location loc) implements Term {}

  /** A variable; wildcards are renamed to unique names starting with "$_". */
  record Var(String name, Location loc) implements Term {
    public boolean isWildcard() {
      return name.startsWith("$");
    }
  }

  /** A reference: head followed by path operands (a.b is a["b"]). */
  record Ref(Term head, List<Term> path, Location loc) implements Term {
    public Ref {
      path = List.copyOf(path);
    }
  }

  record ArrayTerm(List<Term> items, Location loc) implements Term {
    public ArrayTerm {
      items = List.copyOf(items);
    }
  }

  record SetTerm(List<Term> items, Location loc) implements Term {
    public SetTerm {
      items = List.copyOf(items);
    }
  }

  record ObjectTerm(List<Term> keys, List<Term> values, Location loc) implements Term {
    public ObjectTerm {
      keys = List.copyOf(keys);
      values = List.copyOf(values);
    }
  }

  record ArrayCompr(Term head, List<Expr> body, Location loc) implements Term {}

  record SetCompr(Term head, List<Expr> body, Location loc) implements Term {}

  record ObjectCompr(Term key, Term value, List<Expr> body, Location loc) implements Term {}

  /** A call; operator is the dotted name as written (e.g. "count", "data.lib.f", "lib.f"). */
  record Call(Term operator, List<Term> args, Location loc) implements Term {
    public Call {
      args = List.copyOf(args);
    }
  }

  /** A template string: parts are String literals or Terms. */
  record Template(List<Object> parts, Location loc) implements Term {
    public Template {
      parts = List.copyOf(parts);
    }
  }
}
