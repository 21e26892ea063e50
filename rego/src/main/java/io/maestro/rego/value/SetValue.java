package io.maestro.rego.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/** An immutable Rego set; iteration is in sorted order. */
public final class SetValue implements Value {
  public static final SetValue EMPTY = new SetValue(Set.of());

  private final Set<Value> members;
  private volatile Set<Value> sorted;
  private int hash;

  private SetValue(Set<Value> members) {
    this.members = members;
  }

  public static SetValue of(Collection<? extends Value> elements) {
    if (elements.isEmpty()) {
      return EMPTY;
    }
    HashSet<Value> s = new HashSet<>(Math.max(4, elements.size() * 2));
    for (Value v : elements) {
      s.add(java.util.Objects.requireNonNull(v, "set element"));
    }
    return new SetValue(s);
  }

  public static SetValue of(Value... elements) {
    return of(Arrays.asList(elements));
  }

  /** Takes ownership of the set: callers must not change it afterwards. */
  public static SetValue wrap(HashSet<Value> elements) {
    return elements.isEmpty() ? EMPTY : new SetValue(elements);
  }

  /** The members in sorted order. */
  public Set<Value> elements() {
    Set<Value> s = sorted;
    if (s == null) {
      Value[] arr = members.toArray(new Value[0]);
      Arrays.sort(arr);
      s = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(arr)));
      sorted = s;
    }
    return s;
  }

  /** The members in no particular order (cheaper than {@link #elements()}). */
  public Set<Value> unordered() {
    return Collections.unmodifiableSet(members);
  }

  public boolean contains(Value v) {
    return members.contains(v);
  }

  public int size() {
    return members.size();
  }

  public boolean isEmpty() {
    return members.isEmpty();
  }

  @Override
  public String typeName() {
    return "set";
  }

  @Override
  public int typeRank() {
    return 6;
  }

  @Override
  public JsonNode toJson() {
    ArrayNode n = JsonNodeFactory.instance.arrayNode(members.size());
    for (Value v : elements()) {
      n.add(v.toJson());
    }
    return n;
  }

  @Override
  public int compareTo(Value o) {
    if (o instanceof SetValue s) {
      return Value.compareSequences(elements().iterator(), s.elements().iterator());
    }
    return Integer.compare(6, o.typeRank());
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof SetValue s) || s.members.size() != members.size()) {
      return false;
    }
    return s.hashCode() == hashCode() && members.containsAll(s.members);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = members.hashCode() * 31 + 6;
      hash = h == 0 ? 1 : h;
    }
    return hash;
  }

  @Override
  public String toString() {
    return toRego();
  }
}
