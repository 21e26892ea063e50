package io.maestro.engine.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/** The task types ({@code uses}) a manifest may name, and their checks of {@code with}. */
public interface TaskCatalog {
  Set<String> types();

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
