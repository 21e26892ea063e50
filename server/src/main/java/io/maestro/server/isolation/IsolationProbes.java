package io.maestro.server.isolation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The black-box isolation probes, shared by the isolation regression suite and {@code maestro
 * report isolation}: for every governed operation of the API document, an attacker tenant's request
 * at the victim tenant's resources — by the victim's ids in the path, and again naming the victim
 * in the {@code tenant} query parameter and the {@code X-Maestro-Tenant} header — with a body that
 * tries to change the victim, each paired with a twin request at a resource that exists nowhere.
 * {@link #judge} says what an answer reveals.
 */
public final class IsolationProbes {
  static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");
  static final String NOWHERE = "00000000000070008000000000000000";

  private IsolationProbes() {}

  /**
   * The victim's workflow ({@link Target#workflow()} {@code web}, version 1): a log line with the
   * run's input, then an approval step {@code gate} where its run waits while the probes run.
   */
  public static final String VICTIM_WORKFLOW =
      """
      apiVersion: maestro/v1
      kind: Workflow
      metadata: {name: web, version: "1"}
      spec:
        inputs:
          type: object
          properties:
            who: {type: string}
        tasks:
          - {id: hi, uses: core/log, with: {message: "hi ${{ inputs.who }}"}}
          - {id: gate, uses: core/approval, needs: [hi]}
      """;

  /** An operation of the API document. */
  public record Operation(String method, String path) {
    public String label() {
      return method + " " + path;
    }
  }

  /**
   * The victim's resources the probes aim at.
   *
   * @param member a member subject of the victim's
   * @param workflow a workflow of the victim's, version {@code 1}, with a step {@code gate}
   */
  public record Target(
      String tenant,
      String member,
      String workflow,
      Optional<String> runId,
      Optional<String> receiptId,
      Optional<String> webhookId) {}

  /**
   * One attempt and its twin.
   *
   * @param naming whether the attempt names the victim in the query and header too
   * @param compareTwin whether the twin's answer must equal the attempt's when refused (the path
   *     names a resource of the victim's)
   */
  public record Probe(
      Operation op,
      boolean naming,
      String path,
      Map<String, String> headers,
      String twinPath,
      Map<String, String> twinHeaders,
      Optional<Map<String, Object>> body,
      boolean compareTwin) {
    public String label() {
      return op.label() + (naming ? " (naming the victim)" : "");
    }
  }

  /** What a request got. */
  public record Answer(int status, String code, List<String> reasons, String body) {
    public boolean refused() {
      return status == 403 || status == 404;
    }

    /** The part that must not differ between the victim's resource and a missing one. */
    String outcome() {
      return status + " " + code + " " + reasons;
    }
  }

  /** The operations of the document that need a token ({@code security: []} marks public ones). */
  public static List<Operation> governed(JsonNode doc) {
    List<Operation> ops = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").properties().iterator();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> p = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> methods = p.getValue().properties().iterator();
          methods.hasNext(); ) {
        Map.Entry<String, JsonNode> m = methods.next();
        JsonNode security = m.getValue().path("security");
        boolean isPublic = security.isArray() && security.isEmpty();
        if (List.of("get", "put", "post", "delete", "patch").contains(m.getKey()) && !isPublic) {
          ops.add(new Operation(m.getKey().toUpperCase(Locale.ROOT), p.getKey()));
        }
      }
    }
    return ops;
  }

  /** Two probes per operation: by the victim's ids, then also naming the victim. */
  public static List<Probe> probes(List<Operation> ops, Target t) {
    List<Probe> out = new ArrayList<>();
    for (Operation op : ops) {
      for (boolean naming : List.of(false, true)) {
        String path = fill(op.path(), true, t);
        String twin = fill(op.path(), false, t);
        Map<String, String> headers = Map.of();
        Map<String, String> twinHeaders = Map.of();
        if (naming) {
          path += (path.contains("?") ? "&" : "?") + "tenant=" + t.tenant();
          twin += (twin.contains("?") ? "&" : "?") + "tenant=zulu";
          headers = Map.of("X-Maestro-Tenant", t.tenant());
          twinHeaders = Map.of("X-Maestro-Tenant", "zulu");
        }
        boolean compare =
            PARAM.matcher(op.path()).find() && !op.path().startsWith("/api/policy-packs");
        out.add(
            new Probe(
                op,
                naming,
                path,
                headers,
                twin,
                twinHeaders,
                hostileBody(op.method(), t.tenant()),
                compare));
      }
    }
    return out;
  }

  /** Fills a path template with the victim's ids ({@code real}) or ids that exist nowhere. */
  public static String fill(String template, boolean real, Target t) {
    Matcher m = PARAM.matcher(template);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value;
      if (template.startsWith("/api/tenants/") && name.equals("id")) {
        value = real ? t.tenant() : "zulu";
      } else if (name.equals("subject")) {
        value = real ? t.member() : "nobody@" + t.tenant();
      } else if (template.startsWith("/api/runs/") && name.equals("id")) {
        value = real && t.runId().isPresent() ? t.runId().get() : "run_" + NOWHERE;
      } else if (template.startsWith("/api/receipts/") && name.equals("id")) {
        value = real && t.receiptId().isPresent() ? t.receiptId().get() : "rcp_" + NOWHERE;
      } else if (template.startsWith("/api/billing/webhooks/") && name.equals("id")) {
        value = real && t.webhookId().isPresent() ? t.webhookId().get() : "wh_" + NOWHERE;
      } else if (name.equals("name")) {
        value = real ? t.workflow() : "nosuchflow";
      } else if (name.equals("version")) {
        value = "1";
      } else if (name.equals("step")) {
        value = "gate";
      } else {
        value = (real ? t.tenant() + "-" : "zulu-") + name;
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** A body that tries to act on the victim with every field a route might read. */
  public static Optional<Map<String, Object>> hostileBody(String method, String victim) {
    if (method.equals("GET") || method.equals("DELETE")) {
      return Optional.empty();
    }
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("tenant", victim);
    b.put("id", victim);
    b.put("role", "tenant_admin");
    b.put("profile", "partner-demo");
    b.put("status", "suspended");
    b.put("name", "pwned");
    b.put("quotas", Map.of("max_concurrent_runs", 0));
    b.put("workflow", "web");
    b.put("comment", "pwned");
    return Optional.of(b);
  }

  /**
   * What an attempt's answer reveals, one line each; empty when it revealed nothing: a server
   * error, any of the victim's {@code markers} in the body, an attempt naming the victim that was
   * not refused (when the server checks tenants in code), or a refusal that differs from the twin's
   * (which tells the victim's resource exists).
   */
  public static List<String> judge(
      Probe p, Answer a, Optional<Answer> twin, List<String> markers, boolean enforcing) {
    List<String> leaks = new ArrayList<>();
    if (a.status() >= 500) {
      leaks.add(p.label() + ": server error " + a.status() + " " + a.body());
    }
    for (String marker : markers) {
      if (a.body().contains(marker)) {
        leaks.add(p.label() + ": the response reveals the victim's data (" + marker + ")");
      }
    }
    if (p.naming() && enforcing && !a.refused()) {
      leaks.add(p.label() + ": naming the victim was not refused but answered " + a.status());
    }
    if (twin.isPresent() && a.refused() && !twin.get().outcome().equals(a.outcome())) {
      leaks.add(
          p.label()
              + ": the victim's resource answers "
              + a.outcome()
              + " but a missing one "
              + twin.get().outcome()
              + " — the difference reveals existence");
    }
    return leaks;
  }
}
