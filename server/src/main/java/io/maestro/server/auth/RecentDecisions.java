package io.maestro.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.policy.DecisionLog;
import io.maestro.policy.DecisionLogEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The decision log the server keeps in memory: the last {@code perTenant} decisions of each tenant
 * (by the tenant whose profile governed them), with their masked inputs, so they can be replayed
 * under another profile. Simulations are not recorded (they are marked {@code "simulation": true}
 * in their input). Kept in memory only: a restart starts an empty window.
 *
 * <p>Thread-safe; {@link #record} takes a short per-tenant lock.
 */
public final class RecentDecisions implements DecisionLog, DecisionHistory {
  /** Decisions without a governing tenant (platform-wide requests) are kept under this key. */
  public static final String PLATFORM = "*";

  private final int perTenant;
  private final ConcurrentHashMap<String, ArrayDeque<DecisionLogEntry>> byTenant =
      new ConcurrentHashMap<>();

  /** The recorded results (HTTP status) of the last requests of each tenant, by decision id. */
  private final ConcurrentHashMap<String, java.util.LinkedHashMap<String, Integer>> results =
      new ConcurrentHashMap<>();

  public RecentDecisions(int perTenant) {
    this.perTenant = perTenant;
  }

  /** Keeps the result of a request whose decision is filed under {@code tenant}'s window. */
  public void recordResult(String tenant, String decisionId, int status) {
    var m =
        results.computeIfAbsent(
            tenant,
            k ->
                new java.util.LinkedHashMap<String, Integer>() {
                  @Override
                  protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                    return size() > perTenant;
                  }
                });
    synchronized (m) {
      m.put(decisionId, status);
    }
  }

  /** The recorded HTTP status of the request decided by {@code decisionId}, if kept. */
  public java.util.OptionalInt status(String tenant, String decisionId) {
    var m = results.get(tenant);
    if (m == null) {
      return java.util.OptionalInt.empty();
    }
    synchronized (m) {
      Integer s = m.get(decisionId);
      return s == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(s);
    }
  }

  @Override
  public void record(DecisionLogEntry entry) {
    JsonNode input = entry.maskedInput();
    if (input == null || input.path("simulation").asBoolean(false)) {
      return;
    }
    String tenant = input.path("tenant").path("id").asText(PLATFORM);
    ArrayDeque<DecisionLogEntry> q = byTenant.computeIfAbsent(tenant, k -> new ArrayDeque<>());
    synchronized (q) {
      if (q.size() == perTenant) {
        q.removeFirst();
      }
      q.addLast(entry);
    }
  }

  /** The tenant's last {@code limit} decisions, newest first. */
  @Override
  public List<Past> last(String tenant, int limit) {
    ArrayDeque<DecisionLogEntry> q = byTenant.get(tenant);
    if (q == null) {
      return List.of();
    }
    List<Past> out = new ArrayList<>();
    synchronized (q) {
      var it = q.descendingIterator();
      while (it.hasNext() && out.size() < limit) {
        DecisionLogEntry e = it.next();
        out.add(
            new Past(
                e.decision().id(),
                e.decision().time(),
                e.maskedInput(),
                e.decision().resultJson()));
      }
    }
    return List.copyOf(out);
  }
}
