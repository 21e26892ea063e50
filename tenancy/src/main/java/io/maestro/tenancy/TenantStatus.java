package io.maestro.tenancy;

import java.util.Locale;

/** Whether a tenant may act. A suspended tenant keeps its data but every action is refused. */
public enum TenantStatus {
  ACTIVE,
  SUSPENDED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TenantStatus parse(String s) {
    for (TenantStatus t : values()) {
      if (t.wire().equals(s)) {
        return t;
      }
    }
    throw new IllegalArgumentException("status must be active or suspended");
  }
}
