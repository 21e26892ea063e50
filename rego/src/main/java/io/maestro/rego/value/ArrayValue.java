package io.maestro.rego.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** An immutable Rego array. */
public final class ArrayValue implements Value {
  public static final ArrayValue EMPTY = new ArrayValue(new Value[0]);

  private final Value[] items;
  private final List<Value> view;
  private int hash;

  private ArrayValue(Value[] items) {
    this.items = items;
    this.view = Collections.unmodifiableList(Arrays.asList(items));
  }

  public static ArrayValue of(List<? extends Value> elements) {
    if (elements.isEmpty()) {
      return EMPTY;
    }
    Value[] arr = elements.toArray(new Value[0]);
    for (Value v : arr) {
      if (v == null) {
        throw new NullPointerException("array element");
      }
    }
    return new ArrayValue(arr);
  }

  public static ArrayValue of(Value... elements) {
    return elements.length == 0 ? EMPTY : of(Arrays.asList(elements));
  }

  /** Takes ownership of the array: callers must not change it afterwards. */
  public static ArrayValue wrap(Value[] elements) {
    return elements.length == 0 ? EMPTY : new ArrayValue(elements);
  }

  public List<Value> elements() {
    return view;
  }

  public int size() {
    return items.length;
  }

  public Value get(int i) {
    return items[i];
  }

  @Override
  public String typeName() {
    return "array";
  }

  @Override
  public int typeRank() {
    return 4;
  }

  @Override
  public JsonNode toJson() {
    ArrayNode n = JsonNodeFactory.instance.arrayNode(items.length);
    for (Value v : items) {
      n.add(v.toJson());
    }
    return n;
  }

  @Override
  public int compareTo(Value o) {
    if (o instanceof ArrayValue a) {
      return Value.compareSequences(view.iterator(), a.view.iterator());
    }
    return Integer.compare(4, o.typeRank());
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof ArrayValue a) || a.items.length != items.length) {
      return false;
    }
    if (hash != 0 && a.hash != 0 && hash != a.hash) {
      return false;
    }
    return Arrays.equals(items, a.items);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(items) * 31 + 4;
      hash = h == 0 ? 1 : h;
    }
    return hash;
  }

  @Override
  public String toString() {
    return toRego();
  }
}
