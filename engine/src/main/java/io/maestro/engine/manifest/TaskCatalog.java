package io.maestro.engine.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The task types ({@code uses}) a manifest may name, and their checks of {@code with}. */
public interface TaskCatalog {
  Set<String> types();

  /**
   * Whether a manifest may name {@code uses}: one of {@link #types()}, or a name a pattern among
   * them covers ({@code worker/<queue>} for {@code worker/*}).
   */
  default boolean knows(String uses) {
    return types().contains(uses);
  }

  /**
   * Why {@code uses} names a task type this server knows but cannot run here (e.g. {@code
   * core/exec} without bubblewrap), as {@code "reason — remedy"}; empty for any other name.
   */
  default Optional<String> unavailable(String uses) {
    return Optional.empty();
  }

  /**
   * Problems with a task's {@code with} for this type, as {@code key: message} strings where the
   * key is the offending parameter (empty for the whole object). Expressions are not evaluated
   * here: a value holding {@code ${{ }}} is accepted wherever a value is expected.
   */
  List<Problem> check(String uses, JsonNode with);

  /**
   * @param key the parameter inside {@code with}, e.g. {@code url}; empty for {@code with} itself
   */
  record Problem(String key, String message) {}
}
