package io.maestro.server.auth;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import java.util.Optional;

/**
 * The release-governance controls as the policy gate needs them: the facts that go into every
 * policy input ({@code input.governance}), and the record of an action a break-glass grant let
 * through a freeze (the decision's {@code break_glass_used} obligation).
 */
public interface ControlInput {
  /**
   * @param tenant the governing tenant; empty for platform-wide requests
   * @param namedGrant the break-glass grant the request names ({@code X-Maestro-Break-Glass})
   */
  ObjectNode facts(Optional<TenantId> tenant, Optional<String> namedGrant);

  void breakGlassUsed(Actor actor, Decision decision, TenantId tenant, String grant, String action);

  /** No controls: an empty {@code governance} object, nothing recorded. */
  ControlInput NONE =
      new ControlInput() {
        @Override
        public ObjectNode facts(Optional<TenantId> tenant, Optional<String> namedGrant) {
          return JsonNodeFactory.instance.objectNode();
        }

        @Override
        public void breakGlassUsed(
            Actor actor, Decision decision, TenantId tenant, String grant, String action) {}
      };
}
