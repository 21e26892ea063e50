package io.maestro.console.session;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The signed-in user as {@code GET /api/whoami} reports them. {@link #may} only decides what a page
 * shows: it mirrors the canon role grants (policies/maestro/rbac/rbac.rego) for the controls the
 * console draws, and the API refuses any action regardless of what was drawn.
 */
public record Me(String subject, String tenant, List<String> roles, String profile) {
  private static final Map<String, Set<String>> WRITES =
      Map.of(
          "run.cancel", Set.of("conductor_admin", "support", "tenant_admin", "operator"),
          "workflow.approve", Set.of("conductor_admin", "tenant_admin", "workflow_reviewer"),
          "tenant.create", Set.of("conductor_admin"),
          "evidence.export", Set.of("conductor_admin", "tenant_admin"),
          "tenant.quota", Set.of("conductor_admin"),
          "profile.assign", Set.of("conductor_admin"),
          "member.read", Set.of("conductor_admin", "support", "tenant_admin"),
          "member.write", Set.of("conductor_admin", "tenant_admin"));

  public static Me of(JsonNode whoami) {
    List<String> roles = new ArrayList<>();
    whoami.path("roles").forEach(r -> roles.add(r.asText()));
    return new Me(
        whoami.path("subject").asText(whoami.path("sub").asText("")),
        whoami.path("tenant").asText(""),
        List.copyOf(roles),
        whoami.path("profile").asText(""));
  }

  /** Whether the console draws the control for {@code action}. */
  public boolean may(String action) {
    Set<String> holders = WRITES.getOrDefault(action, Set.of());
    return roles.stream().anyMatch(holders::contains);
  }

  public boolean platform() {
    return roles.contains("conductor_admin") || roles.contains("support");
  }

  public boolean hasTenant() {
    return !tenant.isEmpty();
  }
}
