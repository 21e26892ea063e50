package io.maestro.server.governance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.governance.Controls;
import io.maestro.server.auth.ControlInput;
import java.util.Optional;

/** The governance module's controls as the policy gate reads them. */
public final class ControlFacts implements ControlInput {
  private final Controls controls;

  public ControlFacts(Controls controls) {
    this.controls = controls;
  }

  @Override
  public ObjectNode facts(Optional<TenantId> tenant, Optional<String> namedGrant) {
    return controls.facts(tenant, namedGrant);
  }

  @Override
  public void breakGlassUsed(
      Actor actor, Decision decision, TenantId tenant, String grant, String action) {
    controls.breakGlass().recordUse(actor, decision, tenant, grant, action);
  }
}
