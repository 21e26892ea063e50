package io.maestro.evidence;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.TenantId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory {@link RunEvidence} with runs and log lines the test defines; the server's adapter
 * over the engine is exercised by {@code DisclosureApiTest}.
 */
final class FixedRuns implements RunEvidence {
  private final Map<String, RunFacts> runs = new HashMap<>();
  private final Map<String, List<LogEntry>> logs = new HashMap<>();
  private final Map<TenantId, List<String>> regions = new HashMap<>();

  private static String key(TenantId t, String run) {
    return t.value() + "/" + run;
  }

  /** A finished two-step run in {@code region} with {@code lines} log lines alternating steps. */
  RunFacts add(TenantId tenant, String runId, String region, int lines, boolean finished) {
    ObjectNode run = JsonNodeFactory.instance.objectNode();
    run.put("id", runId).put("tenant", tenant.value()).put("workflow", "wf").put("version", "1");
    run.put("status", finished ? "SUCCEEDED" : "RUNNING");
    run.putObject("inputs").put("customer", "secret-" + tenant.value());
    for (String step : List.of("fetch", "store")) {
      ObjectNode s = run.withArray("steps").addObject();
      s.put("id", step).put("uses", "core/noop").put("status", "SUCCEEDED");
      s.putObject("outputs").put("value", "out-" + step + "-" + tenant.value());
    }
    RunFacts facts =
        new RunFacts(
            runId,
            "wf",
            "1",
            region,
            finished,
            run,
            "name: wf\nversion: '1'\n",
            "sha256:abc",
            Optional.empty());
    runs.put(key(tenant, runId), facts);
    List<LogEntry> l = new ArrayList<>();
    for (int i = 1; i <= lines; i++) {
      String step = i % 3 == 0 ? null : (i % 2 == 0 ? "fetch" : "store");
      ObjectNode line = JsonNodeFactory.instance.objectNode();
      line.put("seq", i).put("message", "line " + i + " of " + tenant.value());
      l.add(new LogEntry(i, Optional.ofNullable(step), line));
    }
    logs.put(key(tenant, runId), l);
    regions.putIfAbsent(tenant, List.of("US", "EU"));
    return facts;
  }

  @Override
  public Optional<RunFacts> run(TenantId tenant, String runId) {
    return Optional.ofNullable(runs.get(key(tenant, runId)));
  }

  @Override
  public List<LogEntry> logs(TenantId tenant, String runId, long afterSeq, int limit) {
    return logs.getOrDefault(key(tenant, runId), List.of()).stream()
        .filter(e -> e.seq() > afterSeq)
        .limit(limit)
        .toList();
  }

  @Override
  public List<String> tenantRegions(TenantId tenant) {
    return regions.getOrDefault(tenant, List.of("US"));
  }
}
