package io.maestro.tenancy;

import io.maestro.core.TenantId;
import java.time.Instant;
import java.util.Objects;

/** A subject's membership of a tenant, with the tenant role it holds there. */
public record Member(
    TenantId tenant, String subject, String role, String addedBy, Instant addedAt) {
  public Member {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(addedBy, "addedBy");
    Objects.requireNonNull(addedAt, "addedAt");
  }
}
