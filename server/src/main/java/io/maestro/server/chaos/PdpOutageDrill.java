package io.maestro.server.chaos;

import io.maestro.server.chaos.DrillHttp.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code pdp-outage} and {@code pdp-latency}: while the decision point is out (or decides later
 * than its deadline), every request — a run start, a member change, a read, even lifting the fault
 * — is refused with {@code policy_unavailable} (503) and a decision id, and nothing is admitted:
 * the tenant has as many runs after the fault as before. Once the fault ends the same requests are
 * decided and allowed again.
 */
final class PdpOutageDrill implements ChaosDrill.Scenario {
  private final boolean latency;

  PdpOutageDrill(boolean latency) {
    this.latency = latency;
  }

  @Override
  public void prepare(ChaosDrill.Context c) {
    c.probe().publish();
    c.set("runs_before", String.valueOf(runs(c)));
  }

  @Override
  public void during(ChaosDrill.Context c) {
    Probe p = c.probe();
    List<Reply> replies = new ArrayList<>();
    Reply start = p.start();
    replies.add(start);
    check(c, "a run start fails closed", start);
    Reply member =
        c.http()
            .call(
                "PUT",
                "/api/tenants/" + c.tenant() + "/members/chaos-probe@" + c.tenant(),
                p.token(),
                Map.of("role", "read_only"));
    replies.add(member);
    check(c, "a member change fails closed", member);
    Reply read = c.http().call("GET", "/api/runs", p.token(), null);
    replies.add(read);
    check(c, "a read fails closed", read);
    Reply lift =
        c.http().call("DELETE", "/api/chaos/faults/" + c.scenario().wire(), c.admin(), null);
    replies.add(lift);
    check(c, "lifting the fault is itself decided, and fails closed", lift);
    if (latency) {
      long slowest = replies.stream().mapToLong(r -> r.took().toMillis()).min().orElse(0);
      c.findings()
          .check(
              "each refusal waited for the injected latency",
              "≥ " + c.latency().toMillis() + " ms",
              "fastest " + slowest + " ms",
              slowest >= c.latency().toMillis());
    }
  }

  @Override
  public void recover(ChaosDrill.Context c, Instant faultEnds) {
    Probe p = c.probe();
    Reply read =
        Probe.until(
            () -> c.http().call("GET", "/api/runs?limit=500", p.token(), null),
            r -> r.status() == 200,
            Duration.ofSeconds(60));
    Instant back = Instant.now();
    c.findings()
        .check(
            "decisions are made again (a read)",
            "200",
            SignerOutageDrill.describe(read),
            read.status() == 200);
    c.findings().measure("recovery_seconds", ChaosDrill.seconds(faultEnds, back));
    int before = Integer.parseInt(c.get("runs_before"));
    int after = runs(c);
    c.findings()
        .check(
            "nothing admitted without a decision",
            before + " runs",
            after + " runs",
            after == before);
    Probe.Started again = p.run();
    c.findings()
        .check("runs are admitted again", "202, SUCCEEDED", again.describe(), again.succeeded());
  }

  private static void check(ChaosDrill.Context c, String what, Reply r) {
    boolean ok =
        r.status() == 503
            && "policy_unavailable".equals(r.code())
            && r.reasons().contains("policy_unavailable")
            && !r.body().path("decision_id").asText().isEmpty();
    c.findings()
        .check(
            what,
            "503 policy_unavailable with a decision id",
            SignerOutageDrill.describe(r) + " (" + r.took().toMillis() + " ms)",
            ok);
  }

  private static int runs(ChaosDrill.Context c) {
    Reply r =
        Probe.require(
            c.http().call("GET", "/api/runs?limit=500", c.probe().token(), null), "list runs");
    return r.body().path("items").size();
  }
}
