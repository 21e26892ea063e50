package io.maestro.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.json.Json;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.verify.ExportVerifier;
import io.maestro.provenance.verify.VerificationFailure;
import io.maestro.server.chaos.DrillHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo tenant ({@code maestro demo}, the console's "Create demo tenant"): provisions a tenant,
 * assigns it the {@code partner-demo} profile, publishes two sample workflows and runs them — one
 * completes, one waits for a reviewer's approval, and a viewer's start is refused by the policy
 * with its reasons — then exports the tenant's receipt log and verifies it against the server's
 * published keys. Everything goes through the server's HTTP API, so every step is decided by the
 * policy and receipted as any client's would be. The tenant is provisioned under its own action,
 * {@code demo.create} ({@code POST /api/demo/tenants}, ADR 0047). On a dev-mode server the demo
 * then acts as the tenant's members with tokens from the dev issuer, and the refusal is a viewer's
 * start ({@code role_not_permitted}); elsewhere the operator acts in the tenant with its own token,
 * and the refusal is a start over the tenant's concurrent-runs quota.
 */
public final class DemoTenant {
  public static final String PROFILE = "partner-demo";
  static final String HELLO = "demo-hello";
  static final String RELEASE = "demo-release";
  private static final Duration WAIT = Duration.ofSeconds(90);

  /** A new tenant's concurrent runs (the tenancy baseline), restored after the quota refusal. */
  private static final int BASELINE_CONCURRENT_RUNS =
      io.maestro.tenancy.Quotas.BASELINE.maxConcurrentRuns();

  private final DrillHttp http;
  private final HttpClient raw =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** What the demo made, and what a user opens next. */
  public record Result(
      String tenant,
      String completedRun,
      String pendingRun,
      String deniedDecision,
      List<String> denyReasons,
      ExportVerifier.Report export,
      String exportNdjson) {

    /** The demo as JSON (demo.json, and {@code maestro demo --json}). */
    public ObjectNode json() {
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("tenant", tenant);
      o.put("profile", PROFILE);
      o.put("completed_run", completedRun);
      o.put("pending_run", pendingRun);
      ObjectNode denied = o.putObject("denied_start");
      denied.put("workflow", HELLO);
      denied.put("decision_id", deniedDecision);
      ArrayNode reasons = denied.putArray("reasons");
      denyReasons.forEach(reasons::add);
      ObjectNode e = o.putObject("export");
      e.put("verified", true);
      e.put("origin", export.origin());
      e.put("receipts", export.receipts());
      e.put("from", export.from());
      e.put("to", export.to());
      e.put("checkpoints", export.checkpoints());
      e.put("tree_size", export.treeSize());
      e.put("key", export.latest().keyId());
      return o;
    }

    /** The demo in a few lines, for the terminal. */
    public String summary() {
      return String.join(
          "\n",
          "demo tenant " + tenant + " (profile " + PROFILE + ")",
          "  completed:          " + HELLO + " run " + completedRun,
          "  awaiting approval:  " + RELEASE + " run " + pendingRun + " (step approve)",
          "  denied:             "
              + HELLO
              + (denyReasons.contains("quota_concurrency_exceeded")
                  ? " started over the concurrent-runs quota: "
                  : " started by a viewer: ")
              + String.join(", ", denyReasons)
              + " (decision "
              + deniedDecision
              + ")",
          "  receipt export:     verified, receipts "
              + export.from()
              + ".."
              + export.to()
              + " ("
              + export.receipts()
              + "), "
              + export.checkpoints()
              + " signed checkpoint(s), key "
              + export.latest().keyId(),
          "");
    }
  }

  /** A demo that fails says which step and why. */
  public static final class DemoFailed extends RuntimeException {
    private final int status;
    private final String code;
    private final String decisionId;

    DemoFailed(String message) {
      this(message, 0, "", "");
    }

    DemoFailed(String message, int status, String code, String decisionId) {
      super(message);
      this.status = status;
      this.code = code;
      this.decisionId = decisionId;
    }

    /** The API's status when a step was refused; 0 when the demo failed otherwise. */
    public int status() {
      return status;
    }

    public String code() {
      return code;
    }

    public String decisionId() {
      return decisionId;
    }
  }

  public DemoTenant(String baseUrl) {
    this.http = new DrillHttp(baseUrl);
  }

  /** A fresh tenant id: {@code demo-} and six hex digits. */
  public static String freshId() {
    byte[] b = new byte[3];
    new SecureRandom().nextBytes(b);
    return "demo-" + HexFormat.of().formatHex(b);
  }

  /** The dev issuer's platform administrator, on a dev-mode server reached from this machine. */
  public Optional<String> devPlatformToken() {
    return devToken(null, "demo-provisioner", "conductor_admin");
  }

  /** A demo tenant provisioned by the dev issuer's platform administrator. */
  public Result create(String tenant) {
    return create(tenant, Optional.empty());
  }

  /**
   * @param platformToken the token that provisions the tenant ({@code POST /api/demo/tenants},
   *     decided as {@code demo.create}: the console passes its user's, the CLI its login's, so the
   *     policy decides whether that user may); empty: the dev issuer's platform administrator
   */
  public Result create(String tenant, Optional<String> platformToken) {
    String platform =
        platformToken
            .or(this::devPlatformToken)
            .orElseThrow(
                () ->
                    new DemoFailed(
                        "the demo needs an operator's token allowed demo.create (maestro login)"
                            + " or a server in dev mode reached from the same machine"));
    expect(
        http.call("POST", "/api/demo/tenants", platform, Map.of("id", tenant)),
        "create demo tenant " + tenant);
    // In dev mode the demo acts as the new tenant's own members (tokens from the dev issuer);
    // elsewhere the operator acts in the tenant with its platform token, as the policy allows it.
    Optional<String> members = devToken(tenant, "admin@" + tenant, "tenant_admin");
    Actor admin =
        members
            .map(t -> new Actor(t, ""))
            .orElseGet(() -> new Actor(platform, "?tenant=" + tenant));
    for (String name : List.of(HELLO, RELEASE)) {
      String yaml = resource(name + ".yaml");
      expect(
          http.call(
              "PUT",
              admin.path("/api/workflows/" + name + "/versions/1"),
              admin.token(),
              yaml,
              "application/yaml"),
          "save workflow " + name);
      expect(
          http.call(
              "POST",
              admin.path("/api/workflows/" + name + "/versions/1/publish"),
              admin.token(),
              Map.of()),
          "publish workflow " + name);
    }
    String pending = start(admin, RELEASE);
    String completed = start(admin, HELLO);
    awaitRun(admin, completed, "SUCCEEDED");
    awaitStep(admin, pending, "approve", "WAITING");
    DrillHttp.Reply refused =
        members.isPresent()
            ? http.call(
                "POST",
                "/api/runs",
                tenantToken(tenant, "viewer@" + tenant, "read_only"),
                Map.of("workflow", HELLO))
            : refusedOverQuota(admin, tenant);
    // 403 for a role the policy refuses; 429 for a quota it refuses (both a decision with reasons).
    if (refused.status() != 403 && refused.status() != 429) {
      throw new DemoFailed(
          "the demo's refused start of "
              + HELLO
              + " should be refused, got HTTP "
              + refused.status());
    }
    List<String> reasons = List.of(refused.reasons().split(","));
    Map.Entry<String, ExportVerifier.Report> export = verifiedExport(admin, completed);
    return new Result(
        tenant,
        completed,
        pending,
        refused.body().path("decision_id").asText(),
        reasons,
        export.getValue(),
        export.getKey());
  }

  /** Who acts in the demo tenant: a token, and the query that names the tenant (platform). */
  private record Actor(String token, String tenantQuery) {
    String path(String path) {
      return tenantQuery.isEmpty()
          ? path
          : path + (path.contains("?") ? "&" + tenantQuery.substring(1) : tenantQuery);
    }
  }

  /**
   * Outside dev mode there is no viewer to be refused: the operator lowers the tenant's concurrent
   * runs to the one waiting for approval, starts another (refused by the quota pack, {@code
   * quota_concurrency_exceeded}), then restores the quota — each step decided and receipted.
   */
  private DrillHttp.Reply refusedOverQuota(Actor operator, String tenant) {
    expect(
        http.call(
            "PATCH",
            "/api/tenants/" + tenant,
            operator.token(),
            Map.of("quotas", Map.of("max_concurrent_runs", 1))),
        "lower the concurrent runs of " + tenant);
    DrillHttp.Reply refused =
        http.call("POST", operator.path("/api/runs"), operator.token(), Map.of("workflow", HELLO));
    expect(
        http.call(
            "PATCH",
            "/api/tenants/" + tenant,
            operator.token(),
            Map.of("quotas", Map.of("max_concurrent_runs", BASELINE_CONCURRENT_RUNS))),
        "restore the concurrent runs of " + tenant);
    return refused;
  }

  /** Writes export.ndjson, keys.json and demo.json into {@code dir} (created). */
  public void write(Result r, Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("export.ndjson"), r.exportNdjson(), StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("keys.json"), text("/.well-known/maestro/keys", null), StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("demo.json"),
        Json.PRETTY.writeValueAsString(r.json()) + "\n",
        StandardCharsets.UTF_8);
  }

  private String start(Actor actor, String workflow) {
    DrillHttp.Reply r =
        http.call("POST", actor.path("/api/runs"), actor.token(), Map.of("workflow", workflow));
    expect(r, "start " + workflow);
    return r.body().path("id").asText();
  }

  /**
   * The tenant's receipt export once it covers the completed run's last receipt (the latest signed
   * checkpoint includes it), verified against the server's published keys.
   */
  private Map.Entry<String, ExportVerifier.Report> verifiedExport(Actor admin, String run) {
    TrustedKeys keys;
    try {
      keys = TrustedKeys.fromJwks(Json.MAPPER.readTree(text("/.well-known/maestro/keys", null)));
    } catch (IOException e) {
      throw new DemoFailed("the server's keys are not JSON: " + e.getMessage());
    }
    Instant deadline = Instant.now().plus(WAIT);
    String lastProblem = "no export yet";
    while (Instant.now().isBefore(deadline)) {
      String ndjson;
      try {
        ndjson = text(admin.path("/api/receipts/export"), admin.token());
      } catch (DemoFailed e) {
        // A new tenant has no signed checkpoint until the checkpointer's next pass: wait for it.
        if (!e.getMessage().contains("\"checkpoint_not_found\"")) {
          throw e;
        }
        lastProblem = "no signed checkpoint of the tenant yet";
        pause();
        continue;
      }
      if (ndjson.contains(run) && ndjson.contains("\"run.completed\"")) {
        try {
          return Map.entry(
              ndjson, ExportVerifier.verify(new StringReader(ndjson), keys, Optional.empty()));
        } catch (VerificationFailure e) {
          throw new DemoFailed("the receipt export does not verify: " + e.getMessage());
        } catch (IOException e) {
          lastProblem = e.getMessage();
        }
      }
      pause();
    }
    throw new DemoFailed(
        "no signed checkpoint covered the demo's receipts in time: " + lastProblem);
  }

  private void awaitRun(Actor actor, String run, String status) {
    Instant deadline = Instant.now().plus(WAIT);
    while (Instant.now().isBefore(deadline)) {
      String s =
          http.call("GET", actor.path("/api/runs/" + run), actor.token(), null)
              .body()
              .path("status")
              .asText();
      if (s.equals(status)) {
        return;
      }
      if (List.of("FAILED", "CANCELLED", "TIMED_OUT").contains(s)) {
        throw new DemoFailed("run " + run + " ended " + s);
      }
      pause();
    }
    throw new DemoFailed("run " + run + " did not reach " + status + " in time");
  }

  private void awaitStep(Actor actor, String run, String step, String status) {
    Instant deadline = Instant.now().plus(WAIT);
    while (Instant.now().isBefore(deadline)) {
      for (JsonNode s :
          http.call("GET", actor.path("/api/runs/" + run), actor.token(), null)
              .body()
              .path("steps")) {
        if (s.path("id").asText().equals(step) && s.path("status").asText().equals(status)) {
          return;
        }
      }
      pause();
    }
    throw new DemoFailed("step " + step + " of run " + run + " did not reach " + status);
  }

  private Optional<String> devToken(String tenant, String subject, String role) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (tenant != null) {
      body.put("tenant", tenant);
    }
    body.put("subject", subject);
    body.put("roles", List.of(role));
    body.put("ttl_minutes", 60);
    DrillHttp.Reply r = http.call("POST", "/api/dev/token", null, body);
    return r.status() == 201 ? Optional.of(r.body().path("token").asText()) : Optional.empty();
  }

  private String tenantToken(String tenant, String subject, String role) {
    return devToken(tenant, subject, role)
        .orElseThrow(() -> new DemoFailed("the dev issuer gave no token for " + subject));
  }

  /** A step that must succeed (any 2xx). */
  private static void expect(DrillHttp.Reply r, String step) {
    if (r.status() < 200 || r.status() > 299) {
      throw new DemoFailed(
          step
              + ": HTTP "
              + r.status()
              + (r.code().isEmpty() ? "" : " " + r.code())
              + (r.reasons().isEmpty() ? "" : " (" + r.reasons() + ")")
              + (r.body().has("detail") ? " — " + r.body().path("detail").asText() : ""),
          r.status(),
          r.code(),
          r.body().path("decision_id").asText(""));
    }
  }

  private String text(String path, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(http.base() + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> r =
          raw.send(b.GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (r.statusCode() != 200) {
        throw new DemoFailed("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
      }
      return r.body();
    } catch (IOException e) {
      throw new DemoFailed("cannot reach " + http.base() + path + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DemoFailed("interrupted");
    }
  }

  private static String resource(String name) {
    try (InputStream in = DemoTenant.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing demo workflow " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(250);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DemoFailed("interrupted");
    }
  }
}
