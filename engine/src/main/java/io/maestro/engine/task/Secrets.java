package io.maestro.engine.task;

import io.maestro.core.TenantId;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves secrets by name for a tenant. Manifests hold only references ({@code ${secret:NAME}});
 * the value is fetched at the moment of use and never stored, logged or put into outputs.
 */
@FunctionalInterface
public interface Secrets {
  Optional<String> resolve(TenantId tenant, String name);

  /** No secrets at all. */
  static Secrets none() {
    return (tenant, name) -> Optional.empty();
  }

  /** Fixed values, the same for every tenant (tests, single-tenant installs). */
  static Secrets of(Map<String, String> values) {
    Map<String, String> copy = Map.copyOf(values);
    return (tenant, name) -> Optional.ofNullable(copy.get(name));
  }

  /**
   * From the server's environment: {@code MAESTRO_SECRET_<TENANT>_<NAME>} first, then {@code
   * MAESTRO_SECRET_<NAME>} (upper case, {@code -} and {@code .} as {@code _}).
   */
  static Secrets environment(Map<String, String> env) {
    Map<String, String> copy = Map.copyOf(env);
    return (tenant, name) -> {
      String n = norm(name);
      String scoped = copy.get("MAESTRO_SECRET_" + norm(tenant.value()) + "_" + n);
      return Optional.ofNullable(scoped != null ? scoped : copy.get("MAESTRO_SECRET_" + n));
    };
  }

  private static String norm(String s) {
    return s.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
  }
}
