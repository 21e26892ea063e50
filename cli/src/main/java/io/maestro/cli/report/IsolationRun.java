package io.maestro.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.UserError;
import io.maestro.cli.client.ApiClient;
import io.maestro.client.MaestroClient;
import io.maestro.server.isolation.IsolationProbes;
import io.maestro.server.isolation.IsolationProbes.Answer;
import io.maestro.server.isolation.IsolationProbes.Operation;
import io.maestro.server.isolation.IsolationProbes.Probe;
import io.maestro.server.isolation.IsolationProbes.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the isolation probes ({@link IsolationProbes}, the same list the regression suite uses)
 * against a live server: seeds a victim tenant with data carrying markers, then makes every
 * governed operation's attempts as an attacker tenant, and once without a token. Not thread-safe.
 */
final class IsolationRun {
  private final URI base;
  // One client per token (the victim's, the attacker's), and one without a token.
  private final Map<Optional<String>, MaestroClient> clients = new HashMap<>();

  IsolationRun(URI base) {
    this.base = base;
  }

  private MaestroClient client(String token) {
    return clients.computeIfAbsent(
        Optional.ofNullable(token),
        t ->
            t.map(x -> MaestroClient.of(base.toString(), x))
                .orElseGet(() -> MaestroClient.anonymous(base.toString())));
  }

  /** One attempt as made and answered. */
  record Attempt(Probe probe, Answer answer, Optional<Answer> twin, List<String> leaks) {
    boolean crossTenant() {
      return probe.naming() || !probe.path().equals(probe.op().path());
    }
  }

  /** An operation tried without a token. */
  record Anonymous(Operation op, int status) {}

  /** Everything the report says. */
  record Result(
      String victim,
      String attacker,
      List<String> seeded,
      List<Operation> operations,
      List<Attempt> attempts,
      List<Anonymous> anonymous) {
    List<String> leaks() {
      List<String> out = new ArrayList<>();
      attempts.forEach(a -> out.addAll(a.leaks()));
      for (Anonymous a : anonymous) {
        if (a.status() != 401) {
          out.add(a.op().label() + ": answered " + a.status() + " without a token (401 expected)");
        }
      }
      return out;
    }
  }

  /** The victim tenant's seeded data: its resources and the markers that must never leak. */
  record Seed(Target target, List<String> markers, List<String> described) {}

  Result run(String victim, String victimToken, String attacker, String attackerToken) {
    JsonNode doc = send("GET", "/openapi.json", null, null, Map.of()).json();
    List<Operation> ops = IsolationProbes.governed(doc);
    if (ops.isEmpty()) {
      throw new UserError(base + "/openapi.json lists no governed operations");
    }
    Seed seed = seed(victim, victimToken);
    List<Attempt> attempts = new ArrayList<>();
    for (Probe p : IsolationProbes.probes(ops, seed.target())) {
      Object body = p.body().orElse(null);
      Answer a = send(p.op().method(), p.path(), attackerToken, body, p.headers()).answer();
      Optional<Answer> twin =
          p.compareTwin()
              ? Optional.of(
                  send(p.op().method(), p.twinPath(), attackerToken, body, p.twinHeaders())
                      .answer())
              : Optional.empty();
      attempts.add(
          new Attempt(p, a, twin, IsolationProbes.judge(p, a, twin, seed.markers(), true)));
    }
    List<Anonymous> anonymous = new ArrayList<>();
    for (Operation op : ops) {
      String path = IsolationProbes.fill(op.path(), true, seed.target());
      Object body = IsolationProbes.hostileBody(op.method(), victim).orElse(null);
      anonymous.add(new Anonymous(op, send(op.method(), path, null, body, Map.of()).status()));
    }
    return new Result(victim, attacker, seed.described(), ops, attempts, anonymous);
  }

  /**
   * Gives the victim members, a running workflow with a secret input and a billing webhook, each
   * carrying a marker. What cannot be seeded on this server (a webhook to a loopback URL outside
   * dev mode) is left out and said so.
   */
  Seed seed(String victim, String token) {
    String hidden = "hidden-member@" + victim;
    String target = "target@" + victim;
    String secret = "s3cr3t-" + victim + "-input";
    List<String> markers = new ArrayList<>(List.of(hidden, secret, "tenants/" + victim + "/"));
    List<String> described = new ArrayList<>();
    for (String m : List.of(hidden, target)) {
      send(
              "PUT",
              "/api/tenants/" + victim + "/members/" + m,
              token,
              Map.of("role", "operator"),
              Map.of())
          .require(200, "cannot add a member to the victim tenant");
    }
    described.add("2 members (" + hidden + ", " + target + ")");
    String manifest = IsolationProbes.VICTIM_WORKFLOW;
    Reply put = sendYaml("/api/workflows/web/versions/1", token, manifest);
    if (put.status() != 201 && put.status() != 409) {
      throw new UserError("cannot publish the victim's workflow: " + put.body());
    }
    send("POST", "/api/workflows/web/versions/1/publish", token, null, Map.of());
    String runId =
        send(
                "POST",
                "/api/runs",
                token,
                Map.of("workflow", "web", "inputs", Map.of("who", secret)),
                Map.of())
            .require(202, "cannot start the victim's run")
            .json()
            .path("id")
            .asText();
    described.add("run " + runId + " of workflow web@1, waiting at its approval step");
    Optional<String> receipt = Optional.empty();
    JsonNode receipts = send("GET", "/api/receipts?limit=1", token, null, Map.of()).json();
    if (receipts.path("receipts").size() > 0) {
      receipt = Optional.of(receipts.path("receipts").get(0).path("id").asText());
      described.add("receipt " + receipt.get());
    }
    Optional<String> webhook = Optional.empty();
    String hookUrl = "http://127.0.0.1:9/" + victim + "-webhook-marker";
    Reply hook =
        send(
            "POST",
            "/api/billing/webhooks",
            token,
            Map.of("url", hookUrl, "eventTypes", List.of("evidence_exported")),
            Map.of());
    if (hook.status() == 201) {
      webhook = Optional.of(hook.json().path("id").asText());
      markers.add(victim + "-webhook-marker");
      markers.add(hook.json().path("secret").asText());
      described.add("billing webhook " + webhook.get());
    } else {
      described.add(
          "no billing webhook (the server refused " + hookUrl + ": " + hook.status() + ")");
    }
    return new Seed(
        new Target(victim, target, "web", Optional.of(runId), receipt, webhook),
        markers,
        described);
  }

  record Reply(int status, String body) {
    JsonNode json() {
      try {
        return ApiClient.JSON.readTree(body.isEmpty() ? "{}" : body);
      } catch (IOException e) {
        return ApiClient.JSON.createObjectNode();
      }
    }

    Answer answer() {
      JsonNode j = json();
      List<String> reasons = new ArrayList<>();
      j.path("reasons").forEach(r -> reasons.add(r.path("code").asText()));
      return new Answer(status, j.path("code").asText(), reasons, body);
    }

    Reply require(int expected, String what) {
      if (status != expected) {
        throw new UserError(what + ": " + status + " " + body);
      }
      return this;
    }
  }

  Reply send(String method, String path, String token, Object body, Map<String, String> headers) {
    return exchange(method, path, token, body, null, headers);
  }

  private Reply sendYaml(String path, String token, String yaml) {
    return exchange("PUT", path, token, yaml, "application/yaml", Map.of());
  }

  private Reply exchange(
      String method,
      String path,
      String token,
      Object body,
      String contentType,
      Map<String, String> headers) {
    try {
      MaestroClient.Response r = client(token).exchange(method, path, body, contentType, headers);
      return new Reply(r.status(), new String(r.body(), StandardCharsets.UTF_8));
    } catch (UncheckedIOException e) {
      throw new UserError("cannot reach " + base + ": " + e.getCause().getMessage());
    } catch (MaestroClient.ClientInterruptedException e) {
      throw new UserError("interrupted");
    }
  }
}
