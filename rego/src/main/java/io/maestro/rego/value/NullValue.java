package io.maestro.rego.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/** Rego's null. */
public final class NullValue implements Value {
  public static final NullValue INSTANCE = new NullValue();

  private NullValue() {}

  @Override
  public String typeName() {
    return "null";
  }

  @Override
  public int typeRank() {
    return 0;
  }

  @Override
  public JsonNode toJson() {
    return NullNode.getInstance();
  }

  @Override
  public int compareTo(Value o) {
    return Integer.compare(0, o.typeRank());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NullValue;
  }

  @Override
  public int hashCode() {
    return 7;
  }

  @Override
  public String toString() {
    return "null";
  }
}
