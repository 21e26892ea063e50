package io.maestro.engine.task;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The task types a server knows but cannot run on this machine, each with why and what to do — for
 * the start-up line, {@code maestro doctor} and the {@code task_type_unavailable} problem.
 *
 * @param unavailable by type, {@code "reason — remedy"} (e.g. {@code core/exec} → {@code
 *     "bubblewrap not found — apt-get install bubblewrap"})
 */
public record TaskAvailability(Map<String, String> unavailable) {
  public TaskAvailability {
    unavailable = Map.copyOf(unavailable);
  }

  public static TaskAvailability all() {
    return new TaskAvailability(Map.of());
  }

  public boolean allAvailable() {
    return unavailable.isEmpty();
  }

  public Optional<String> reason(String type) {
    return Optional.ofNullable(unavailable.get(type));
  }

  /**
   * One line for people: {@code core/exec disabled: bubblewrap not found — apt-get install
   * bubblewrap} (several types joined with {@code "; "}), or {@code all task types available}.
   */
  public String line() {
    if (unavailable.isEmpty()) {
      return "all task types available";
    }
    return new TreeMap<>(unavailable)
        .entrySet().stream()
            .map(e -> e.getKey() + " disabled: " + e.getValue())
            .collect(Collectors.joining("; "));
  }
}
