package io.maestro.cli.governance;

import static io.maestro.cli.client.Paths.enc;

/** The {@code ?tenant=} a platform actor adds to act in one tenant; empty for tenant actors. */
public final class Tenants {
  private Tenants() {}

  public static String query(String path, String tenant) {
    if (tenant == null || tenant.isBlank()) {
      return path;
    }
    return path + (path.contains("?") ? "&" : "?") + "tenant=" + enc(tenant);
  }
}
