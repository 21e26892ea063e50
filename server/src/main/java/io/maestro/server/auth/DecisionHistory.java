package io.maestro.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where replay finds a tenant's recent decisions: the in-memory window, or the {@code
 * policy_decisions} table when decisions are persisted.
 */
@FunctionalInterface
public interface DecisionHistory {
  /** The tenant's last {@code limit} recorded decisions (simulations left out), newest first. */
  List<Past> last(String tenant, int limit);

  /** Nothing is recorded ({@code policy.decisionLog=off}). */
  DecisionHistory NONE = (tenant, limit) -> List.of();

  /**
   * A recorded decision.
   *
   * @param input the masked input it was made on; null when the mask rule failed and the input was
   *     left out of the log (such a decision cannot be re-evaluated)
   * @param result {@code {allow, reasons, obligations}}
   */
  record Past(String id, Instant time, JsonNode input, JsonNode result) {
    public Past {
      Objects.requireNonNull(id);
      Objects.requireNonNull(time);
      Objects.requireNonNull(result);
      input = input == null ? null : input.deepCopy();
      result = result.deepCopy();
    }

    public boolean allow() {
      return result.path("allow").asBoolean(false);
    }

    /** The reason codes, sorted, so two decisions compare by what they say, not in what order. */
    public List<String> reasonCodes() {
      List<String> codes = new ArrayList<>();
      result.path("reasons").forEach(r -> codes.add(r.path("code").asText()));
      codes.sort(null);
      return List.copyOf(codes);
    }

    public boolean simulation() {
      return input != null && input.path("simulation").asBoolean(false);
    }
  }
}
