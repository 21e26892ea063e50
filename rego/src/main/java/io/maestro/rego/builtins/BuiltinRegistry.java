package io.maestro.rego.builtins;

/** Where families register their builtins. */
public interface BuiltinRegistry {
  /**
   * Registers a builtin under its dotted Rego name (e.g. {@code "strings.replace_n"}) with its
   * number of operands. Registering the same name twice replaces the earlier definition.
   */
  void register(String name, int arity, Builtin fn);
}
