package io.maestro.rego.builtins;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A Rego type as OPA declares builtins with it (OPA's {@code types} package). {@link #toString()}
 * writes OPA's own notation, which {@link Signature#parse} reads back: {@code any}, {@code
 * any<string, number>}, {@code array[string]}, {@code array<boolean, string>}, {@code
 * object[string: any]}, {@code object<pretty: boolean>[string: any]}, {@code set[any]}.
 */
public sealed interface Type {
  Type ANY = new AnyOf(List.of());
  Type NULL = new Scalar("null");
  Type BOOLEAN = new Scalar("boolean");
  Type NUMBER = new Scalar("number");
  Type STRING = new Scalar("string");

  /** {@code null}, {@code boolean}, {@code number} or {@code string}. */
  record Scalar(String name) implements Type {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Any value ({@code of} empty) or any value of one of the listed types. */
  record AnyOf(List<Type> of) implements Type {
    public AnyOf {
      of = List.copyOf(of);
    }

    @Override
    public String toString() {
      return of.isEmpty() ? "any" : "any<" + join(of) + ">";
    }
  }

  /** An array with fixed leading element types and (null for none) the type of the rest. */
  record Array(List<Type> fixed, Type dynamic) implements Type {
    public Array {
      fixed = List.copyOf(fixed);
    }

    @Override
    public String toString() {
      return "array"
          + (fixed.isEmpty() ? "" : "<" + join(fixed) + ">")
          + (dynamic == null ? "" : "[" + dynamic + "]");
    }
  }

  /** A set whose elements have the type {@code of}. */
  record SetOf(Type of) implements Type {
    @Override
    public String toString() {
      return "set[" + of + "]";
    }
  }

  /** One named property of an object type. */
  record Property(String key, Type value) {
    @Override
    public String toString() {
      return key + ": " + value;
    }
  }

  /**
   * An object with named properties and (both null for none) the types of other keys and values.
   */
  record Obj(List<Property> fixed, Type dynamicKey, Type dynamicValue) implements Type {
    public Obj {
      fixed = List.copyOf(fixed);
      if ((dynamicKey == null) != (dynamicValue == null)) {
        throw new IllegalArgumentException("an object's dynamic key and value go together");
      }
    }

    @Override
    public String toString() {
      return "object"
          + (fixed.isEmpty() ? "" : "<" + join(fixed) + ">")
          + (dynamicKey == null ? "" : "[" + dynamicKey + ": " + dynamicValue + "]");
    }
  }

  private static String join(List<?> items) {
    return items.stream().map(Object::toString).collect(Collectors.joining(", "));
  }
}
