package io.maestro.rego.builtins.core;

import io.maestro.rego.builtins.BuiltinFamily;
import io.maestro.rego.builtins.BuiltinRegistry;

/**
 * The core families: comparison, numbers and bits, aggregates, arrays, sets, objects, types and
 * casts, trace, and the builtins that are part of the language ({@link Language}: eq, assign,
 * print, walk, rego.metadata.*, the internal.* forms OPA lowers to).
 */
public final class CoreBuiltins implements BuiltinFamily {
  @Override
  public void register(BuiltinRegistry registry) {
    Language.register(registry);
    Numbers.register(registry);
    Collections.register(registry);
    Types.register(registry);
    Network.register(registry);
    ParseModule.register(registry);
    AwsSigning.register(registry);
  }
}
