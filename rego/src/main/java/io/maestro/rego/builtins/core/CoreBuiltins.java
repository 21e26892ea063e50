package io.maestro.rego.builtins.core;

import io.maestro.rego.builtins.BuiltinFamily;
import io.maestro.rego.builtins.BuiltinRegistry;

/**
 * The core families: comparison, numbers and bits, aggregates, arrays, sets, objects, types and
 * casts, trace and test helpers. print and walk are evaluated by the engine itself (print sees
 * undefined operands, walk yields many results).
 */
public final class CoreBuiltins implements BuiltinFamily {
  @Override
  public void register(BuiltinRegistry registry) {
    Numbers.register(registry);
    Collections.register(registry);
    Types.register(registry);
    Network.register(registry);
    ParseModule.register(registry);
    AwsSigning.register(registry);
  }
}
