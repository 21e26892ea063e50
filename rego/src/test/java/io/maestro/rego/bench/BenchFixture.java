package io.maestro.rego.bench;

import io.maestro.rego.PreparedPolicy;
import io.maestro.rego.Rego;
import io.maestro.rego.value.Value;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The benchmark's policy, data and inputs: 1,000 role bindings over 50 tenants and 200 subjects, 12
 * roles, and a rotating set of realistic requests (allowed and denied).
 */
final class BenchFixture {
  static final int BINDINGS = 1_000;
  static final String QUERY = "data.bench.authz.decision = d";

  final PreparedPolicy policy;
  final Value[] inputs;

  BenchFixture() {
    policy = Rego.compile(Map.of("authz.rego", resource("/bench/authz.rego")), data());
    inputs = inputs(256);
  }

  static String resource(String name) {
    try (InputStream in = BenchFixture.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static final String[] ACTIONS = {
    "workflow.read",
    "workflow.author",
    "workflow.publish",
    "workflow.run",
    "workflow.kill",
    "run.read",
    "run.cancel",
    "run.kill",
    "tenant.read",
    "member.remove",
    "export.create"
  };

  static Value data() {
    SplittableRandom rnd = new SplittableRandom(42);
    Map<String, Object> roles = new LinkedHashMap<>();
    for (int r = 0; r < 12; r++) {
      List<String> perms = new ArrayList<>();
      for (int a = 0; a < ACTIONS.length; a++) {
        if ((a + r) % 3 != 0) {
          perms.add(ACTIONS[a]);
        }
      }
      roles.put("role" + r, Map.of("permissions", perms));
    }
    roles.put("approver", Map.of("permissions", List.of("workflow.approve")));
    Map<String, Object> tenants = new LinkedHashMap<>();
    Map<String, Map<String, List<Object>>> bindings = new LinkedHashMap<>();
    for (int t = 0; t < 50; t++) {
      tenants.put(
          "t" + t,
          Map.of(
              "regions",
              t % 5 == 0 ? List.of("EU") : List.of("US", "EU"),
              "max_class",
              t % 4 == 0 ? "medium" : "large",
              "suspended",
              t == 49,
              "restricted_allowed",
              t % 2 == 0));
    }
    for (int i = 0; i < BINDINGS; i++) {
      String tenant = "t" + (i % 50);
      String sub = "user" + (i % 200) + "@co";
      String role = i % 10 == 0 ? "approver" : "role" + rnd.nextInt(12);
      bindings
          .computeIfAbsent(tenant, k -> new LinkedHashMap<>())
          .computeIfAbsent(sub, k -> new ArrayList<>())
          .add(Map.of("role", role, "expires_ns", 2_000_000_000_000_000_000L));
    }
    return Value.fromJava(Map.of("roles", roles, "tenants", tenants, "bindings", bindings));
  }

  static Value[] inputs(int n) {
    SplittableRandom rnd = new SplittableRandom(7);
    Value[] out = new Value[n];
    for (int i = 0; i < n; i++) {
      int binding = rnd.nextInt(BINDINGS);
      String tenant = "t" + (binding % 50);
      String sub = "user" + (binding % 200) + "@co";
      Map<String, Object> in = new LinkedHashMap<>();
      in.put("action", ACTIONS[rnd.nextInt(ACTIONS.length)]);
      in.put("now_ns", 1_763_000_000_000_000_000L);
      in.put("actor", Map.of("sub", sub, "roles", List.of(), "tenant", tenant));
      in.put(
          "tenant",
          Map.of("quota", Map.of("maxConcurrent", 25), "budget", Map.of("dailyMaxUSD", 500)));
      in.put("usage", Map.of("concurrentRuns", rnd.nextInt(30), "spentTodayUSD", rnd.nextInt(520)));
      in.put(
          "request",
          Map.of("resourceClass", rnd.nextBoolean() ? "medium" : "large", "region", "US"));
      in.put("plan", Map.of("estimatedCostUSD", new java.math.BigDecimal("3.27")));
      in.put(
          "resource",
          Map.of(
              "tenant",
              rnd.nextInt(20) == 0 ? "other" : tenant,
              "attributes",
              Map.of("risk", rnd.nextInt(5) == 0 ? "high" : "low", "classification", "internal")));
      out[i] = Value.fromJava(in);
    }
    return out;
  }
}
