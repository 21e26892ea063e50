package io.maestro.rego.builtins.core;

import io.maestro.rego.builtins.BuiltinFamily;
import io.maestro.rego.builtins.BuiltinRegistry;

/** The core families: comparison, numbers, aggregates, collections, types, casts, bits and more. */
public final class CoreBuiltins implements BuiltinFamily {
  @Override
  public void register(BuiltinRegistry registry) {}
}
