package io.maestro.server.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.server.chaos.DrillHttp.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code maestro drill chaos}: against a running server configured for drills ({@code
 * chaos.enabled}), prepares a tenant, injects one fault through {@code POST /api/chaos/faults} as a
 * platform administrator, observes over HTTP that privileged operations fail closed with their
 * stable codes and that nothing is half-written, waits for the fault to end, measures how long the
 * server takes to serve again (recovery time, from the fault's end to the first success), and
 * writes {@code chaos.md} and {@code chaos.json} with a {@code drill.chaos_completed} receipt in
 * the platform log. Everything is observed from outside, as a client would.
 */
public final class ChaosDrill {
  /** The tenant the drill acts in when the server's dev issuer mints its token. */
  public static final String TENANT = "chaos-drill";

  /**
   * @param adminToken a platform administrator's token (injects the fault, records the drill)
   * @param probeToken a tenant administrator's token; empty: minted by the dev issuer in {@link
   *     #TENANT}
   * @param fault how long the fault lasts
   * @param latency the added decision latency for {@code pdp-latency}
   */
  public record Options(
      String server,
      String adminToken,
      Optional<String> probeToken,
      io.maestro.server.chaos.Scenario scenario,
      Duration fault,
      Duration latency,
      Path out) {}

  /** One scenario's three phases; each records its checks in the context's findings. */
  interface Scenario {
    void prepare(Context c);

    void during(Context c);

    void recover(Context c, Instant faultEnds);

    /** Ends whatever {@link #prepare} left running, however the drill ended. */
    default void release(Context c) {}
  }

  /** What a phase works with. */
  static final class Context {
    private final DrillHttp http;
    private final Options options;
    private final Probe probe;
    private final String tenant;
    private final Findings findings;
    private final Map<String, String> notes = new HashMap<>();

    Context(DrillHttp http, Options options, Probe probe, String tenant, Findings findings) {
      this.http = http;
      this.options = options;
      this.probe = probe;
      this.tenant = tenant;
      this.findings = findings;
    }

    DrillHttp http() {
      return http;
    }

    Probe probe() {
      return probe;
    }

    String admin() {
      return options.adminToken();
    }

    String tenant() {
      return tenant;
    }

    io.maestro.server.chaos.Scenario scenario() {
      return options.scenario();
    }

    Duration latency() {
      return options.latency();
    }

    long faultSeconds() {
      return options.fault().toSeconds();
    }

    Findings findings() {
      return findings;
    }

    void set(String key, String value) {
      notes.put(key, value);
    }

    String get(String key) {
      return notes.getOrDefault(key, "");
    }
  }

  private ChaosDrill() {}

  public static ObjectNode run(Options o) throws IOException {
    Files.createDirectories(o.out());
    DrillHttp http = new DrillHttp(o.server());
    String probeToken =
        o.probeToken()
            .or(
                () ->
                    http.devToken(
                        TENANT, "drill@" + TENANT, "tenant_admin", "workflow_author", "operator"))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the server has no dev token issuer (production mode?): pass a tenant"
                            + " administrator's token with --probe-token"));
    Reply who = Probe.require(http.call("GET", "/api/whoami", probeToken, null), "read whoami");
    String tenant = who.body().path("tenant").asText(TENANT);
    ObjectNode report = Findings.object();
    report.put("format", "maestro.chaos-drill/v1");
    report.put("scenario", o.scenario().wire());
    report.put("server", http.base());
    report.put("tenant", tenant);
    report.put("fault_seconds", o.fault().toSeconds());
    if (o.scenario() == io.maestro.server.chaos.Scenario.PDP_LATENCY) {
      report.put("latency_ms", o.latency().toMillis());
    }
    report.put("started_at", Instant.now().toString());
    Findings findings = new Findings(report);
    Context c = new Context(http, o, new Probe(http, probeToken), tenant, findings);
    Scenario s = scenario(o.scenario());

    try {
      drill(o, http, report, findings, c, s);
    } finally {
      s.release(c);
    }
    report.put("passed", findings.passed());
    report.put("completed_at", Instant.now().toString());
    Reply recorded = http.call("POST", "/api/chaos/drills", o.adminToken(), report);
    report.put(
        "receipt_id",
        recorded.status() == 201
            ? recorded.body().path("receipt_id").asText()
            : "not recorded: " + recorded.status() + " " + recorded.code());
    Files.writeString(o.out().resolve("chaos.json"), report.toPrettyString());
    Files.writeString(o.out().resolve("chaos.md"), markdown(report));
    return report;
  }

  private static void drill(
      Options o, DrillHttp http, ObjectNode report, Findings findings, Context c, Scenario s) {
    s.prepare(c);
    Map<String, Object> body = new HashMap<>();
    body.put("scenario", o.scenario().wire());
    body.put("seconds", o.fault().toSeconds());
    body.put("latencyMs", o.latency().toMillis());
    c.set("inject_sent", Instant.now().toString());
    Reply injected = http.call("POST", "/api/chaos/faults", o.adminToken(), body);
    if (injected.status() != 201) {
      throw new IllegalArgumentException(
          "the server refused the fault: "
              + injected.status()
              + " "
              + injected.code()
              + (injected.reasons().isEmpty() ? "" : " (" + injected.reasons() + ")")
              + " "
              + injected.body().path("detail").asText());
    }
    Instant faultEnds = Instant.now().plus(o.fault());
    ObjectNode fault = report.putObject("fault");
    fault.put("since", injected.body().path("since").asText());
    fault.put("until", injected.body().path("until").asText());
    fault.put("receipt_id", injected.body().path("receipt_id").asText());

    s.during(c);
    Instant observed = Instant.now();
    findings.check(
        "observed while the fault was in force",
        "before " + faultEnds,
        observed.toString(),
        observed.isBefore(faultEnds));
    Duration left = Duration.between(Instant.now(), faultEnds);
    if (!left.isNegative()) {
      Probe.sleep(left);
    }
    s.recover(c, faultEnds);
  }

  private static Scenario scenario(io.maestro.server.chaos.Scenario s) {
    return switch (s) {
      case SIGNER_OUTAGE -> new SignerOutageDrill();
      case PDP_OUTAGE -> new PdpOutageDrill(false);
      case PDP_LATENCY -> new PdpOutageDrill(true);
      case EXPORT_THROTTLE -> new ExportThrottleDrill();
      case DB_RESTART -> new DbRestartDrill();
    };
  }

  static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }

  public static String markdown(JsonNode r) {
    StringBuilder sb = new StringBuilder("# Chaos drill: ").append(r.path("scenario").asText());
    sb.append("\n\nServer ").append(r.path("server").asText());
    sb.append(", tenant ").append(r.path("tenant").asText());
    sb.append(", fault for ").append(r.path("fault_seconds").asLong()).append(" s");
    if (r.has("latency_ms")) {
      sb.append(" (").append(r.path("latency_ms").asLong()).append(" ms per decision)");
    }
    sb.append(" from ").append(r.path("fault").path("since").asText());
    sb.append(" (receipt ").append(r.path("fault").path("receipt_id").asText()).append(").\n\n");
    JsonNode db = r.path("db_restart");
    if (db.isObject()) {
      sb.append("The server's PostgreSQL restarted by the configured command in ")
          .append(db.path("command_seconds").asDouble())
          .append(" s (exit ")
          .append(db.path("exit_code").asInt())
          .append("); it last started at ")
          .append(db.path("database_started_after").asText("(not answering)"))
          .append(", before at ")
          .append(db.path("database_started_before").asText())
          .append(". Starts: ")
          .append(r.path("starts").asLong())
          .append(", acknowledged ")
          .append(r.path("acknowledged_starts").asLong())
          .append(", refused ")
          .append(r.path("refused_starts"))
          .append(", redelivered steps ")
          .append(r.path("redelivered_steps").asLong())
          .append(".\n\n");
    }
    sb.append("| check | expected | observed | ok |\n|---|---|---|---|\n");
    for (JsonNode c : r.path("checks")) {
      sb.append("| ")
          .append(c.path("check").asText())
          .append(" | ")
          .append(c.path("expected").asText())
          .append(" | ")
          .append(c.path("observed").asText().replace("|", "\\|"))
          .append(" | ")
          .append(c.path("ok").asBoolean() ? "yes" : "NO")
          .append(" |\n");
    }
    sb.append("\n| measurement | seconds |\n|---|---|\n");
    r.path("measurements")
        .fields()
        .forEachRemaining(
            e ->
                sb.append("| ")
                    .append(e.getKey().replace('_', ' '))
                    .append(" | ")
                    .append(e.getValue().asDouble())
                    .append(" |\n"));
    sb.append("\nResult: ").append(r.path("passed").asBoolean() ? "PASSED" : "FAILED");
    sb.append("; receipt ").append(r.path("receipt_id").asText()).append('\n');
    return sb.toString();
  }
}
