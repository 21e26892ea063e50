package io.maestro.rego.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** An immutable Rego object; keys may be any value, iteration is in sorted key order. */
public final class ObjectValue implements Value {
  public static final ObjectValue EMPTY = new ObjectValue(Map.of());

  private final Map<Value, Value> map;
  private volatile Map<Value, Value> sorted;
  private int hash;

  private ObjectValue(Map<Value, Value> map) {
    this.map = map;
  }

  public static ObjectValue of(Map<? extends Value, ? extends Value> entries) {
    if (entries.isEmpty()) {
      return EMPTY;
    }
    HashMap<Value, Value> m = new HashMap<>(Math.max(4, entries.size() * 2));
    for (Map.Entry<? extends Value, ? extends Value> e : entries.entrySet()) {
      m.put(
          Objects.requireNonNull(e.getKey(), "key"), Objects.requireNonNull(e.getValue(), "value"));
    }
    return new ObjectValue(m);
  }

  /** Takes ownership of the map: callers must not change it afterwards. */
  public static ObjectValue wrap(HashMap<Value, Value> entries) {
    return entries.isEmpty() ? EMPTY : new ObjectValue(entries);
  }

  public Value get(Value key) {
    return map.get(key);
  }

  public Value get(String key) {
    return map.get(StringValue.of(key));
  }

  /** The entries in sorted key order. */
  public Map<Value, Value> entries() {
    Map<Value, Value> s = sorted;
    if (s == null) {
      Value[] keys = map.keySet().toArray(new Value[0]);
      Arrays.sort(keys);
      LinkedHashMap<Value, Value> m = new LinkedHashMap<>(keys.length * 2);
      for (Value k : keys) {
        m.put(k, map.get(k));
      }
      s = Collections.unmodifiableMap(m);
      sorted = s;
    }
    return s;
  }

  /** The entries in no particular order (cheaper than {@link #entries()}). */
  public Map<Value, Value> unordered() {
    return Collections.unmodifiableMap(map);
  }

  public int size() {
    return map.size();
  }

  public boolean isEmpty() {
    return map.isEmpty();
  }

  @Override
  public String typeName() {
    return "object";
  }

  @Override
  public int typeRank() {
    return 5;
  }

  @Override
  public JsonNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<Value, Value> e : entries().entrySet()) {
      String k = e.getKey() instanceof StringValue s ? s.value() : e.getKey().toJson().toString();
      n.set(k, e.getValue().toJson());
    }
    return n;
  }

  @Override
  public int compareTo(Value o) {
    if (o instanceof ObjectValue other) {
      Iterator<Map.Entry<Value, Value>> a = entries().entrySet().iterator();
      Iterator<Map.Entry<Value, Value>> b = other.entries().entrySet().iterator();
      while (a.hasNext() && b.hasNext()) {
        Map.Entry<Value, Value> x = a.next();
        Map.Entry<Value, Value> y = b.next();
        int c = x.getKey().compareTo(y.getKey());
        if (c != 0) {
          return c;
        }
        c = x.getValue().compareTo(y.getValue());
        if (c != 0) {
          return c;
        }
      }
      return Boolean.compare(a.hasNext(), b.hasNext());
    }
    return Integer.compare(5, o.typeRank());
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof ObjectValue other) || other.map.size() != map.size()) {
      return false;
    }
    return other.hashCode() == hashCode() && map.equals(other.map);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = map.hashCode() * 31 + 5;
      hash = h == 0 ? 1 : h;
    }
    return hash;
  }

  @Override
  public String toString() {
    return toRego();
  }
}
