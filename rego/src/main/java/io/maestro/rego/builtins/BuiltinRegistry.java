package io.maestro.rego.builtins;

/** Where families register their builtins. */
public interface BuiltinRegistry {
  /**
   * Registers a builtin under its dotted Rego name (e.g. {@code "strings.replace_n"}) with its
   * declaration in {@link Signature#parse}'s notation, e.g. {@code "(object[string: string],
   * string) => string"}: the same types OPA declares, since they are published as the engine's
   * capabilities. Registering the same name twice replaces the earlier definition.
   */
  void register(String name, String signature, Builtin fn);
}
