package io.maestro.server.engine;

import io.maestro.core.TenantId;
import io.maestro.metering.Metering.RunDimensions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The workflow and environment of recently active runs, as their metered start recorded them. A
 * run's dimensions never change once its start committed, so entries need no invalidation; the
 * cache only spares each of a run's transactions the read of its start event. Holds at most {@code
 * capacity} runs, dropping the least recently used. Thread-safe.
 */
final class RunDimensionsCache {
  private final Map<String, RunDimensions> entries;

  RunDimensionsCache(int capacity) {
    this.entries =
        new LinkedHashMap<>(256, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, RunDimensions> eldest) {
            return size() > capacity;
          }
        };
  }

  synchronized RunDimensions get(TenantId tenant, String runId) {
    return entries.get(key(tenant, runId));
  }

  synchronized void put(TenantId tenant, String runId, RunDimensions dimensions) {
    entries.put(key(tenant, runId), dimensions);
  }

  private static String key(TenantId tenant, String runId) {
    return tenant.value() + "\u0000" + runId;
  }
}
