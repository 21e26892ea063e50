package io.maestro.core;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The identifier of a tenant: lower-case letters, digits and dashes, 2 to 63 characters, starting
 * with a letter. The same rules as a DNS label, so a tenant id can name a storage prefix, a log
 * origin or a subdomain without escaping.
 */
public record TenantId(String value) implements Comparable<TenantId> {
  private static final Pattern FORM = Pattern.compile("[a-z][a-z0-9-]{1,62}");

  public TenantId {
    Objects.requireNonNull(value, "tenant id");
    if (!FORM.matcher(value).matches() || value.endsWith("-")) {
      throw new IllegalArgumentException(
          "invalid tenant id '" + value + "': use 2-63 lower-case letters, digits and dashes");
    }
  }

  public static TenantId of(String value) {
    return new TenantId(value);
  }

  /** True when {@code value} is a well-formed tenant id. */
  public static boolean isValid(String value) {
    return value != null && FORM.matcher(value).matches() && !value.endsWith("-");
  }

  @Override
  public int compareTo(TenantId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
