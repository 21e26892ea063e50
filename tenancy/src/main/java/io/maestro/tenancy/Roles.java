package io.maestro.tenancy;

import java.util.List;
import java.util.Set;

/**
 * The roles Maestro defines (the {@code roles} table holds the same list). Platform roles come only
 * from tokens; tenant roles can also be granted to members of a tenant.
 */
public final class Roles {
  public static final String CONDUCTOR_ADMIN = "conductor_admin";
  public static final String SUPPORT = "support";
  public static final String TENANT_ADMIN = "tenant_admin";
  public static final String WORKFLOW_AUTHOR = "workflow_author";
  public static final String WORKFLOW_REVIEWER = "workflow_reviewer";
  public static final String OPERATOR = "operator";
  public static final String READ_ONLY = "read_only";

  /** An external worker's service token: polls and reports on the tasks of its queues. */
  public static final String WORKER = "worker";

  public static final Set<String> PLATFORM = Set.of(CONDUCTOR_ADMIN, SUPPORT);
  public static final List<String> TENANT =
      List.of(TENANT_ADMIN, WORKFLOW_AUTHOR, WORKFLOW_REVIEWER, OPERATOR, READ_ONLY, WORKER);

  private Roles() {}

  public static boolean isTenantRole(String role) {
    return TENANT.contains(role);
  }

  public static boolean isKnown(String role) {
    return PLATFORM.contains(role) || TENANT.contains(role);
  }
}
