package io.maestro.console.web;

import io.maestro.console.session.Me;
import java.util.ArrayList;
import java.util.List;

/**
 * The navigation items of the operations views: each only for a role that may read what it shows
 * (so no item leads to a refusal), and the tenant-scoped ones only for a tenant's users.
 */
public final class OperationsNav {
  private OperationsNav() {}

  /** The read each earlier view's page needs: its item is left out for a role without it. */
  private static final java.util.Map<String, String> READS =
      java.util.Map.of(
          "compliance", "compliance.read", "tenants", "tenant.read", "lifecycle", "purge.read");

  /** {@code nav} without the items whose page the role may not read (it would be a refusal). */
  static List<Chrome.Nav> readable(Me me, List<Chrome.Nav> nav) {
    return nav.stream()
        .filter(n -> !READS.containsKey(n.key()) || Grants.may(me, READS.get(n.key())))
        .toList();
  }

  static List<Chrome.Nav> items(Me me) {
    List<Chrome.Nav> nav = new ArrayList<>();
    if (Grants.may(me, "policy.read")) {
      nav.add(new Chrome.Nav("policy", "Policy", "/console/policy"));
    }
    if (!me.hasTenant()) {
      // The restore-drill history is the platform's: only a platform token reads it.
      if (Grants.may(me, "drill.read")) {
        nav.add(new Chrome.Nav("drills", "Drills", "/console/drills"));
      }
      return nav;
    }
    if (Grants.may(me, "usage.read")) {
      nav.add(new Chrome.Nav("usage", "Usage", "/console/usage"));
    }
    if (Grants.may(me, "ramp.read")) {
      nav.add(new Chrome.Nav("governance", "Governance", "/console/governance"));
    }
    if (Grants.may(me, "incident.read")) {
      nav.add(new Chrome.Nav("incidents", "Incidents", "/console/incidents"));
    }
    if (Grants.may(me, "schedule.read")) {
      nav.add(new Chrome.Nav("schedules", "Schedules", "/console/schedules"));
    }
    return nav;
  }
}
