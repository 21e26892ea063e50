package io.maestro.rego.builtins;

/** A group of builtins registered together (one per family, listed in {@link StandardLibrary}). */
public interface BuiltinFamily {
  void register(BuiltinRegistry registry);
}
