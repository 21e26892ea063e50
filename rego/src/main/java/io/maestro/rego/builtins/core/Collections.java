package io.maestro.rego.builtins.core;

import io.maestro.rego.builtins.Args;
import io.maestro.rego.builtins.BuiltinContext;
import io.maestro.rego.builtins.BuiltinException;
import io.maestro.rego.builtins.BuiltinRegistry;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.SetValue;
import io.maestro.rego.value.StringValue;
import io.maestro.rego.value.Value;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** Aggregates, arrays, sets, objects and membership. */
final class Collections {
  private Collections() {}

  static void register(BuiltinRegistry r) {
    r.register(
        "count",
        "(any<string, array[any], object[any: any], set[any]>) => number",
        Collections::count);
    r.register("sum", "(any<array[number], set[number]>) => number", (c, a) -> sum("sum", a));
    r.register("product", "(any<array[number], set[number]>) => number", Collections::product);
    r.register("max", "(any<array[any], set[any]>) => any", (c, a) -> extreme("max", a, 1));
    r.register("min", "(any<array[any], set[any]>) => any", (c, a) -> extreme("min", a, -1));
    r.register("sort", "(any<array[any], set[any]>) => array[any]", Collections::sort);
    r.register("array.concat", "(array[any], array[any]) => array[any]", Collections::concat);
    r.register("array.slice", "(array[any], number, number) => array[any]", Collections::slice);
    r.register("array.reverse", "(array[any]) => array[any]", Collections::reverse);
    r.register("array.flatten", "(array[any]) => array[any]", Collections::flatten);
    r.register("and", "(set[any], set[any]) => set[any] | infix &", Collections::intersect2);
    r.register("or", "(set[any], set[any]) => set[any] | infix |", Collections::union2);
    r.register("intersection", "(set[set[any]]) => set[any]", Collections::intersection);
    r.register("union", "(set[set[any]]) => set[any]", Collections::union);
    r.register("object.get", "(object[any: any], any, any) => any", Collections::objectGet);
    r.register(
        "object.keys",
        "(object[any: any]) => set[any]",
        (c, a) -> SetValue.of(Args.object("object.keys", a, 0).unordered().keySet()));
    r.register(
        "object.remove",
        "(object[any: any], any<array[any], object[any: any], set[any]>) => object[any: any]",
        (c, a) -> filterKeys("object.remove", a, false));
    r.register(
        "object.filter",
        "(object[any: any], any<array[any], object[any: any], set[any]>) => object[any: any]",
        (c, a) -> filterKeys("object.filter", a, true));
    r.register(
        "object.union",
        "(object[any: any], object[any: any]) => object[any: any]",
        Collections::objectUnion);
    r.register(
        "object.union_n",
        "(array[object[any: any]]) => object[any: any]",
        Collections::objectUnionN);
    r.register(
        "object.subset",
        "(any<array[any], object[any: any], set[any]>, any<array[any], object[any: any], set[any]>) => boolean",
        Collections::subset);
    r.register("internal.member_2", "(any, any) => boolean | infix in", Collections::member2);
    r.register("internal.member_3", "(any, any, any) => boolean | infix in", Collections::member3);
  }

  private static Value count(BuiltinContext c, List<Value> a) {
    return switch (a.get(0)) {
      case ArrayValue x -> NumberValue.of(x.size());
      case SetValue x -> NumberValue.of(x.size());
      case ObjectValue x -> NumberValue.of(x.size());
      case StringValue x -> NumberValue.of(x.value().codePointCount(0, x.value().length()));
      default ->
          throw BuiltinException.typeError(
              "count", 1, "one of {array, object, set, string}", a.get(0));
    };
  }

  private static Collection<Value> coll(String fn, List<Value> a) {
    Value v = a.get(0);
    if (v instanceof ArrayValue x) {
      return x.elements();
    }
    if (v instanceof SetValue x) {
      return x.elements();
    }
    throw BuiltinException.typeError(fn, 1, "one of {array, set}", v);
  }

  private static Value sum(String fn, List<Value> a) {
    NumberValue acc = NumberValue.ZERO;
    for (Value v : coll(fn, a)) {
      if (!(v instanceof NumberValue n)) {
        throw BuiltinException.typeError(fn, 1, "array of numbers or set of numbers", a.get(0));
      }
      acc = Numbers.plus(acc, n);
    }
    return acc;
  }

  private static Value product(BuiltinContext c, List<Value> a) {
    NumberValue acc = NumberValue.ONE;
    for (Value v : coll("product", a)) {
      if (!(v instanceof NumberValue n)) {
        throw BuiltinException.typeError(
            "product", 1, "array of numbers or set of numbers", a.get(0));
      }
      acc = Numbers.mul(acc, n);
    }
    return acc;
  }

  private static Value extreme(String fn, List<Value> a, int sign) {
    Value best = null;
    for (Value v : coll(fn, a)) {
      if (best == null || v.compareTo(best) * sign > 0) {
        best = v;
      }
    }
    return best;
  }

  private static Value sort(BuiltinContext c, List<Value> a) {
    List<Value> out = new ArrayList<>(coll("sort", a));
    out.sort(null);
    return ArrayValue.of(out);
  }

  private static Value concat(BuiltinContext c, List<Value> a) {
    ArrayValue x = Args.array("array.concat", a, 0);
    ArrayValue y = Args.array("array.concat", a, 1);
    List<Value> out = new ArrayList<>(x.elements());
    out.addAll(y.elements());
    return ArrayValue.of(out);
  }

  private static Value slice(BuiltinContext c, List<Value> a) {
    ArrayValue x = Args.array("array.slice", a, 0);
    long from = Args.integer("array.slice", a, 1).longValue();
    long to = Args.integer("array.slice", a, 2).longValue();
    from = Math.max(0, from);
    to = Math.min(x.size(), to);
    if (from >= to) {
      return ArrayValue.EMPTY;
    }
    return ArrayValue.of(x.elements().subList((int) from, (int) to));
  }

  private static Value reverse(BuiltinContext c, List<Value> a) {
    List<Value> out = new ArrayList<>(Args.array("array.reverse", a, 0).elements());
    java.util.Collections.reverse(out);
    return ArrayValue.of(out);
  }

  /** array.flatten(arr): the elements of arr with every nested array replaced by its elements. */
  private static Value flatten(BuiltinContext c, List<Value> a) {
    List<Value> out = new ArrayList<>();
    flattenInto(Args.array("array.flatten", a, 0), out);
    return ArrayValue.of(out);
  }

  private static void flattenInto(ArrayValue arr, List<Value> out) {
    for (Value v : arr.elements()) {
      if (v instanceof ArrayValue inner) {
        flattenInto(inner, out);
      } else {
        out.add(v);
      }
    }
  }

  private static Value intersect2(BuiltinContext c, List<Value> a) {
    SetValue x = Args.set("and", a, 0);
    SetValue y = Args.set("and", a, 1);
    HashSet<Value> out = new HashSet<>(x.unordered());
    out.retainAll(y.unordered());
    return SetValue.wrap(out);
  }

  private static Value union2(BuiltinContext c, List<Value> a) {
    SetValue x = Args.set("or", a, 0);
    SetValue y = Args.set("or", a, 1);
    HashSet<Value> out = new HashSet<>(x.unordered());
    out.addAll(y.unordered());
    return SetValue.wrap(out);
  }

  private static Value intersection(BuiltinContext c, List<Value> a) {
    SetValue sets = Args.set("intersection", a, 0);
    HashSet<Value> out = null;
    for (Value v : sets.unordered()) {
      if (!(v instanceof SetValue s)) {
        throw BuiltinException.typeError("intersection", 1, "set of sets", sets);
      }
      if (out == null) {
        out = new HashSet<>(s.unordered());
      } else {
        out.retainAll(s.unordered());
      }
    }
    return out == null ? SetValue.EMPTY : SetValue.wrap(out);
  }

  private static Value union(BuiltinContext c, List<Value> a) {
    SetValue sets = Args.set("union", a, 0);
    HashSet<Value> out = new HashSet<>();
    for (Value v : sets.unordered()) {
      if (!(v instanceof SetValue s)) {
        throw BuiltinException.typeError("union", 1, "set of sets", sets);
      }
      out.addAll(s.unordered());
    }
    return SetValue.wrap(out);
  }

  private static Value objectGet(BuiltinContext c, List<Value> a) {
    ObjectValue o = Args.object("object.get", a, 0);
    Value key = a.get(1);
    if (key instanceof ArrayValue path) {
      Value cur = o;
      for (Value k : path.elements()) {
        cur = lookup(cur, k);
        if (cur == null) {
          return a.get(2);
        }
      }
      return cur;
    }
    Value v = o.get(key);
    return v == null ? a.get(2) : v;
  }

  private static Value lookup(Value coll, Value key) {
    return switch (coll) {
      case ObjectValue o -> o.get(key);
      case ArrayValue arr -> {
        if (key instanceof NumberValue n
            && n.isLong()
            && n.longValueExact() >= 0
            && n.longValueExact() < arr.size()) {
          yield arr.get((int) n.longValueExact());
        }
        yield null;
      }
      case SetValue s -> s.contains(key) ? key : null;
      default -> null;
    };
  }

  private static Value filterKeys(String fn, List<Value> a, boolean keep) {
    ObjectValue o = Args.object(fn, a, 0);
    Value ks = a.get(1);
    Collection<Value> keys =
        switch (ks) {
          case ArrayValue x -> x.elements();
          case SetValue x -> x.unordered();
          case ObjectValue x -> x.unordered().keySet();
          default -> throw BuiltinException.typeError(fn, 2, "one of {object, set, array}", ks);
        };
    HashSet<Value> set = new HashSet<>(keys);
    HashMap<Value, Value> out = new HashMap<>();
    for (Map.Entry<Value, Value> e : o.unordered().entrySet()) {
      if (set.contains(e.getKey()) == keep) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return ObjectValue.wrap(out);
  }

  private static Value objectUnion(BuiltinContext c, List<Value> a) {
    ObjectValue x = Args.object("object.union", a, 0);
    ObjectValue y = Args.object("object.union", a, 1);
    return mergeWithOverwrite(x, y);
  }

  static Value mergeWithOverwrite(Value x, Value y) {
    if (x instanceof ObjectValue ox && y instanceof ObjectValue oy) {
      HashMap<Value, Value> out = new HashMap<>(ox.unordered());
      for (Map.Entry<Value, Value> e : oy.unordered().entrySet()) {
        Value prev = out.get(e.getKey());
        out.put(e.getKey(), prev == null ? e.getValue() : mergeWithOverwrite(prev, e.getValue()));
      }
      return ObjectValue.wrap(out);
    }
    return y;
  }

  private static Value objectUnionN(BuiltinContext c, List<Value> a) {
    ArrayValue arr = Args.array("object.union_n", a, 0);
    Value acc = ObjectValue.EMPTY;
    for (Value v : arr.elements()) {
      if (!(v instanceof ObjectValue)) {
        throw BuiltinException.typeError("object.union_n", 1, "array of objects", arr);
      }
      acc = mergeWithOverwrite(acc, v);
    }
    return acc;
  }

  private static Value subset(BuiltinContext c, List<Value> a) {
    Value sup = a.get(0);
    Value sub = a.get(1);
    if (!(sup instanceof ObjectValue || sup instanceof SetValue || sup instanceof ArrayValue)) {
      throw BuiltinException.typeError("object.subset", 1, "one of {object, set, array}", sup);
    }
    if (!(sub instanceof ObjectValue || sub instanceof SetValue || sub instanceof ArrayValue)) {
      throw BuiltinException.typeError("object.subset", 2, "one of {object, set, array}", sub);
    }
    return BooleanValue.of(isSubset(sup, sub));
  }

  private static boolean isSubset(Value sup, Value sub) {
    if (sup instanceof ObjectValue so && sub instanceof ObjectValue bo) {
      for (Map.Entry<Value, Value> e : bo.unordered().entrySet()) {
        Value sv = so.get(e.getKey());
        if (sv == null) {
          return false;
        }
        if (!isSubset(sv, e.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (sup instanceof SetValue ss && sub instanceof SetValue bs) {
      return ss.unordered().containsAll(bs.unordered());
    }
    if (sup instanceof ArrayValue sa && sub instanceof ArrayValue ba) {
      List<Value> x = sa.elements();
      List<Value> y = ba.elements();
      if (y.isEmpty()) {
        return true;
      }
      for (int i = 0; i + y.size() <= x.size(); i++) {
        if (x.subList(i, i + y.size()).equals(y)) {
          return true;
        }
      }
      return false;
    }
    if (sup instanceof ArrayValue sa && sub instanceof SetValue bs) {
      return new HashSet<>(sa.elements()).containsAll(bs.unordered());
    }
    return sup.equals(sub);
  }

  private static Value member2(BuiltinContext c, List<Value> a) {
    Value x = a.get(0);
    return switch (a.get(1)) {
      case ArrayValue arr -> BooleanValue.of(arr.elements().contains(x));
      case SetValue s -> BooleanValue.of(s.contains(x));
      case ObjectValue o -> BooleanValue.of(o.unordered().containsValue(x));
      default -> BooleanValue.FALSE;
    };
  }

  private static Value member3(BuiltinContext c, List<Value> a) {
    Value v = lookup(a.get(2), a.get(0));
    if (a.get(2) instanceof SetValue) {
      return BooleanValue.FALSE;
    }
    return BooleanValue.of(v != null && v.equals(a.get(1)));
  }
}
