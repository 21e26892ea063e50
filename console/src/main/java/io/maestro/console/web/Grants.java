package io.maestro.console.web;

import io.maestro.console.session.Me;
import java.util.Map;
import java.util.Set;

/**
 * Which roles the canon RBAC pack (policies/maestro/rbac/rbac.rego) grants the actions of the
 * operations views (policy, usage, governance, incidents, schedules) and the reads behind the
 * compliance and tenants navigation items. It decides only what a page draws — a navigation item, a
 * form, a button; the API decides every call regardless and the page shows its refusal. {@code
 * GrantsTest} checks this table against the pack itself.
 */
public final class Grants {
  private static final Set<String> ALL_TENANT_READERS =
      Set.of(
          "conductor_admin",
          "support",
          "tenant_admin",
          "operator",
          "workflow_reviewer",
          "read_only");

  static final Map<String, Set<String>> HOLDERS =
      Map.ofEntries(
          Map.entry(
              "policy.read",
              Set.of(
                  "conductor_admin",
                  "support",
                  "tenant_admin",
                  "workflow_author",
                  "workflow_reviewer",
                  "read_only")),
          Map.entry(
              "policy.simulate",
              Set.of(
                  "conductor_admin",
                  "support",
                  "tenant_admin",
                  "workflow_author",
                  "workflow_reviewer")),
          Map.entry(
              "usage.read", Set.of("conductor_admin", "support", "tenant_admin", "read_only")),
          Map.entry(
              "compliance.read", Set.of("conductor_admin", "support", "tenant_admin", "read_only")),
          Map.entry(
              "tenant.read", Set.of("conductor_admin", "support", "tenant_admin", "read_only")),
          Map.entry(
              "budget.read",
              Set.of("conductor_admin", "support", "tenant_admin", "operator", "read_only")),
          Map.entry("ramp.read", ALL_TENANT_READERS),
          Map.entry("ramp.write", Set.of("conductor_admin", "tenant_admin", "workflow_reviewer")),
          Map.entry("workflow.kill", Set.of("conductor_admin", "tenant_admin", "operator")),
          Map.entry("freeze.read", ALL_TENANT_READERS),
          Map.entry(
              "purge.read",
              Set.of(
                  "conductor_admin", "support", "tenant_admin", "workflow_reviewer", "read_only")),
          Map.entry("freeze.write", Set.of("conductor_admin", "tenant_admin")),
          Map.entry("drill.read", Set.of("conductor_admin", "support")),
          Map.entry("demo.create", Set.of("conductor_admin")),
          Map.entry("receipt.export", Set.of("conductor_admin", "tenant_admin")),
          Map.entry("breakglass.read", ALL_TENANT_READERS),
          Map.entry("breakglass.open", Set.of("conductor_admin", "tenant_admin", "operator")),
          Map.entry(
              "breakglass.approve", Set.of("conductor_admin", "tenant_admin", "workflow_reviewer")),
          Map.entry("incident.read", ALL_TENANT_READERS),
          Map.entry("incident.close", Set.of("conductor_admin", "tenant_admin", "operator")),
          Map.entry(
              "schedule.read",
              Set.of(
                  "conductor_admin",
                  "support",
                  "tenant_admin",
                  "workflow_author",
                  "operator",
                  "read_only")),
          Map.entry(
              "schedule.write",
              Set.of("conductor_admin", "tenant_admin", "workflow_author", "operator")));

  private Grants() {}

  /** Whether one of {@code me}'s roles is granted {@code action}. */
  public static boolean may(Me me, String action) {
    Set<String> holders = HOLDERS.getOrDefault(action, Set.of());
    return me.roles().stream().anyMatch(holders::contains);
  }

  /** The actions in {@link #HOLDERS}, for the test that compares them with the pack. */
  public static Set<String> actions() {
    return HOLDERS.keySet();
  }
}
