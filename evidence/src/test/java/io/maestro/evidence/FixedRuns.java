package io.maestro.evidence;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.TenantId;
import io.maestro.evidence.residency.ResidencySources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An in-memory {@link RunEvidence} with runs and log lines the test defines; the server's adapter
 * over the engine is exercised by {@code DisclosureApiTest}.
 */
final class FixedRuns implements RunEvidence, ResidencySources {
  private final Map<String, RunFacts> runs = new TreeMap<>();
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

  /** Changes the tenant's allowed regions, as a tenant update would. */
  void regions(TenantId tenant, List<String> allowed) {
    regions.put(tenant, List.copyOf(allowed));
  }

  @Override
  public List<TenantId> tenants() {
    return regions.keySet().stream()
        .sorted(java.util.Comparator.comparing(TenantId::value))
        .toList();
  }

  @Override
  public List<String> allowedRegions(TenantId tenant) {
    return tenantRegions(tenant);
  }

  @Override
  public int steps(TenantId tenant, String runId) {
    return runs.get(key(tenant, runId)).run().path("steps").size();
  }

  /** Pages of one run, so the auditor's paging is exercised. */
  @Override
  public RunPage runs(TenantId tenant, Optional<String> cursor, int limit) {
    String prefix = tenant.value() + "/";
    List<RunTag> mine =
        runs.entrySet().stream()
            .filter(e -> e.getKey().startsWith(prefix))
            .filter(e -> cursor.isEmpty() || e.getKey().compareTo(prefix + cursor.get()) > 0)
            .map(Map.Entry::getValue)
            .map(f -> new RunTag(f.runId(), f.workflow(), f.version(), f.region()))
            .toList();
    if (mine.isEmpty()) {
      return new RunPage(List.of(), Optional.empty());
    }
    RunTag first = mine.get(0);
    return new RunPage(
        List.of(first), mine.size() > 1 ? Optional.of(first.runId()) : Optional.empty());
  }
}
