package io.maestro.console.runs;

import io.maestro.console.api.ApiClient;
import io.maestro.console.api.ApiException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Workflow version sources the run pages drew step graphs from. A published version's source never
 * changes, so it is read once per session token and version ({@code GET
 * /api/workflows/{name}/versions/{v}}, through the policy gate) and then reused: a run page costs
 * one API call less. Bounded and per process.
 */
final class VersionSources {
  private static final int LIMIT = 2_000;
  private static final ConcurrentHashMap<String, String> CACHE = new ConcurrentHashMap<>();

  private VersionSources() {}

  /** The version's manifest source, or null when the user may not read it. */
  static String get(ApiClient api, String path) {
    String key = api.sessionKey() + " " + path;
    String hit = CACHE.get(key);
    if (hit != null) {
      return hit;
    }
    String source;
    try {
      source = api.get(path).path("source").asText("");
    } catch (ApiException e) {
      return null; // not remembered: a refusal may not last (a role granted later)
    }
    if (CACHE.size() >= LIMIT) {
      CACHE.clear();
    }
    CACHE.put(key, source);
    return source;
  }
}
