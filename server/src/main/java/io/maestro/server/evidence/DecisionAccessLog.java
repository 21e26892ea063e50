package io.maestro.server.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.TenantId;
import io.maestro.evidence.bundle.AccessLog;
import io.maestro.evidence.bundle.BundleWindow;
import io.maestro.policy.DecisionRecords;
import io.maestro.server.auth.DecisionHistory;
import io.maestro.server.auth.PolicyRuntime;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The compliance bundle's access log from the policy decision log, read through the policy module's
 * API: every gated request is one decision filed under the tenant that asked. With the database
 * log, pending decisions are flushed first and the window is read page by page; with the in-memory
 * log only the recent window it keeps is available (and said so in docs/evidence.md).
 */
final class DecisionAccessLog implements AccessLog {
  private static final int PAGE = 1000;

  private final PolicyRuntime policy;
  private final Database db;

  DecisionAccessLog(PolicyRuntime policy, Database db) {
    this.policy = policy;
    this.db = db;
  }

  @Override
  public void decisions(TenantId tenant, BundleWindow window, Consumer<JsonNode> sink) {
    if (policy.databaseLog().isEmpty()) {
      fromMemory(tenant, window, sink);
      return;
    }
    policy.databaseLog().get().flush();
    Instant afterTime = null;
    String afterId = null;
    while (true) {
      Instant t = afterTime;
      String id = afterId;
      List<ObjectNode> page =
          db.inTransaction(
              TenantScope.of(tenant),
              tx ->
                  DecisionRecords.between(
                      tx, tenant.value(), window.from(), window.to(), t, id, PAGE));
      page.forEach(sink);
      if (page.size() < PAGE) {
        return;
      }
      ObjectNode last = page.get(page.size() - 1);
      afterTime = Instant.parse(last.path("timestamp").asText());
      afterId = last.path("decision_id").asText();
    }
  }

  private void fromMemory(TenantId tenant, BundleWindow window, Consumer<JsonNode> sink) {
    policy.recent().last(tenant.value(), Integer.MAX_VALUE).stream()
        .filter(p -> window.contains(p.time()))
        .sorted(
            Comparator.comparing(DecisionHistory.Past::time)
                .thenComparing(DecisionHistory.Past::id))
        .forEach(
            p -> {
              ObjectNode o = JsonNodeFactory.instance.objectNode();
              o.put("decision_id", p.id());
              o.put("timestamp", p.time().toString());
              if (p.input() != null) {
                o.set("input", p.input());
              }
              o.set("result", p.result());
              o.putObject("bundles");
              policy
                  .recent()
                  .status(tenant.value(), p.id())
                  .ifPresent(s -> o.put("http_status", s));
              sink.accept(o);
            });
  }
}
