package io.maestro.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.json.Json;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The JSON shapes of tenancy: a tenant and a member as the API shows them, and the diff of two
 * documents that change receipts carry.
 */
public final class TenantJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  static final ObjectMapper MAPPER = Json.MAPPER;

  private TenantJson() {}

  /** The tenant as the API and receipts show it (without bookkeeping such as timestamps). */
  public static ObjectNode settings(Tenant t) {
    ObjectNode o = F.objectNode();
    o.put("id", t.id().value());
    o.put("name", t.name());
    o.put("edition", t.edition());
    o.put("profile", t.profile());
    o.put("home_region", t.homeRegion());
    ArrayNode regions = o.putArray("regions");
    t.regions().forEach(regions::add);
    o.put("status", t.status().wire());
    ObjectNode q = o.putObject("quotas");
    q.put("max_concurrent_runs", t.quotas().maxConcurrentRuns());
    q.put("max_steps_per_minute", t.quotas().maxStepsPerMinute());
    q.put("max_receipt_backlog", t.quotas().maxReceiptBacklog());
    q.put("max_storage_bytes", t.quotas().maxStorageBytes());
    Quotas.SandboxQuota sq = t.quotas().sandbox();
    ObjectNode sandbox = q.putObject("sandbox");
    sandbox.put("max_memory_bytes", sq.maxMemoryBytes());
    sandbox.put("max_cpu_seconds", sq.maxCpuSeconds());
    sandbox.put("max_processes", sq.maxProcesses());
    o.putObject("budget").put("daily_max_usd", t.dailyBudgetUsd());
    o.put("storage_prefix", t.storagePrefix());
    t.demoOperator().ifPresent(op -> o.put("demo_operator", op));
    return o;
  }

  /** {@link #settings} plus version and timestamps. */
  public static ObjectNode full(Tenant t) {
    ObjectNode o = settings(t);
    o.put("version", t.version());
    o.put("created_by", t.createdBy());
    o.put("created_at", t.createdAt().toString());
    o.put("updated_at", t.updatedAt().toString());
    return o;
  }

  public static ObjectNode member(Member m) {
    ObjectNode o = F.objectNode();
    o.put("tenant", m.tenant().value());
    o.put("subject", m.subject());
    o.put("role", m.role());
    o.put("added_by", m.addedBy());
    o.put("added_at", m.addedAt().toString());
    return o;
  }

  /**
   * The differences between two JSON documents as a list of {@code {op, path, from, to}} with
   * JSON-Pointer paths (RFC 6901): {@code add} (only in {@code after}), {@code remove} (only in
   * {@code before}) and {@code replace}. Objects are compared member by member; arrays and scalars
   * as whole values. A null document is treated as absent.
   */
  public static ArrayNode diff(JsonNode before, JsonNode after) {
    ArrayNode out = F.arrayNode();
    diff("", before, after, out);
    return out;
  }

  private static void diff(String path, JsonNode before, JsonNode after, ArrayNode out) {
    boolean hasBefore = before != null && !before.isMissingNode();
    boolean hasAfter = after != null && !after.isMissingNode();
    if (hasBefore && hasAfter && before.isObject() && after.isObject()) {
      Set<String> names = new LinkedHashSet<>();
      before.fieldNames().forEachRemaining(names::add);
      after.fieldNames().forEachRemaining(names::add);
      for (String n : names) {
        diff(path + "/" + escape(n), before.get(n), after.get(n), out);
      }
      return;
    }
    if (hasBefore && hasAfter && Objects.equals(before, after)) {
      return;
    }
    ObjectNode change = out.addObject();
    change.put("op", !hasBefore ? "add" : !hasAfter ? "remove" : "replace");
    change.put("path", path.isEmpty() ? "" : path);
    if (hasBefore) {
      change.set("from", before);
    }
    if (hasAfter) {
      change.set("to", after);
    }
  }

  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }

  /** Builds a small JSON object from alternating names and values (strings, numbers, nodes). */
  public static ObjectNode object(Object... namesAndValues) {
    ObjectNode o = F.objectNode();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      o.set((String) namesAndValues[i], MAPPER.valueToTree(namesAndValues[i + 1]));
    }
    return o;
  }
}
