package io.maestro.provenance;

import io.maestro.core.TenantId;
import java.util.Objects;

/**
 * Which log a receipt belongs to: one per tenant, plus one platform log for actions no single
 * tenant owns (provisioning, key rotation, platform configuration).
 *
 * <p>The platform is not a tenant, so it is not a {@link TenantId}. In storage its rows carry the
 * key {@value #PLATFORM_KEY}, which no tenant id can equal (tenant ids start with a letter); in a
 * receipt its {@code tenant} member is JSON {@code null}.
 */
public sealed interface LogId {
  String PLATFORM_KEY = "_platform";

  /** The platform log. */
  LogId PLATFORM = new Platform();

  static LogId tenant(TenantId tenant) {
    return new Tenant(tenant);
  }

  static LogId platform() {
    return PLATFORM;
  }

  /** The value of the {@code tenant_id} column for this log's rows. */
  String storageKey();

  /** The log's name inside a checkpoint origin: {@code tenant/<id>} or {@code platform}. */
  String originSuffix();

  /** Parses {@link #storageKey()}. */
  static LogId ofStorageKey(String key) {
    return PLATFORM_KEY.equals(key) ? platform() : tenant(TenantId.of(key));
  }

  record Tenant(TenantId id) implements LogId {
    public Tenant {
      Objects.requireNonNull(id, "tenant");
    }

    @Override
    public String storageKey() {
      return id.value();
    }

    @Override
    public String originSuffix() {
      return "tenant/" + id.value();
    }

    @Override
    public String toString() {
      return "tenant " + id.value();
    }
  }

  /** The platform log; every instance is equal to {@link #PLATFORM}. */
  record Platform() implements LogId {
    @Override
    public String storageKey() {
      return PLATFORM_KEY;
    }

    @Override
    public String originSuffix() {
      return "platform";
    }

    @Override
    public String toString() {
      return "the platform log";
    }
  }
}
