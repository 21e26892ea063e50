package io.maestro.server.chaos;

import io.maestro.server.chaos.DrillHttp.Reply;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code signer-outage}: while signing is out, a privileged operation (a run's disclosure pack,
 * which the server signs) fails closed with {@code signer_unavailable} and leaves no export behind,
 * {@code /readyz} says why, and ordinary actions (starting and finishing a run) go on with their
 * receipts uncovered; once signing is back the pack is made again and the next checkpoint covers
 * the receipts written during the outage.
 */
final class SignerOutageDrill implements ChaosDrill.Scenario {
  @Override
  public void prepare(ChaosDrill.Context c) {
    baseline(c);
  }

  /**
   * A finished run ({@code baseline_run}) and its first disclosure pack, made before the fault:
   * what the export drills ask for again during it. Returns the pack's answer.
   */
  static Reply baseline(ChaosDrill.Context c) {
    Probe p = c.probe();
    p.publish();
    Probe.Started baseline = p.run();
    c.findings().check("baseline run", "202, SUCCEEDED", baseline.describe(), baseline.succeeded());
    String run = baseline.id();
    c.set("baseline_run", run);
    // A pack needs the run covered by a checkpoint: wait for the first one.
    Reply pack =
        Probe.until(() -> disclose(c, run), r -> r.status() == 200, Duration.ofSeconds(30));
    c.findings().check("baseline disclosure pack", "200", describe(pack), pack.status() == 200);
    return pack;
  }

  @Override
  public void during(ChaosDrill.Context c) {
    Probe p = c.probe();
    String run = c.get("baseline_run");
    int exportedBefore = p.receipts("evidence.exported");

    Reply ready = c.http().call("GET", "/readyz", null, null);
    String signer = ready.body().path("checks").path("signer").asText();
    c.findings()
        .check(
            "/readyz reports the outage",
            "200 degraded, checks.signer signer_unavailable…",
            ready.status() + " " + ready.body().path("status").asText() + ", " + signer,
            ready.status() == 200
                && "degraded".equals(ready.body().path("status").asText())
                && signer.startsWith("signer_unavailable"));

    Reply pack = disclose(c, run);
    c.findings()
        .check(
            "privileged operation fails closed (disclosure pack)",
            "503 signer_unavailable",
            describe(pack),
            pack.status() == 503 && "signer_unavailable".equals(pack.code()));

    Probe.Started started = p.run();
    String ordinary = started.id();
    c.findings()
        .check(
            "ordinary actions go on (a run starts and finishes)",
            "202, SUCCEEDED",
            started.describe(),
            started.succeeded());

    int exportedAfter = p.receipts("evidence.exported");
    c.findings()
        .check(
            "nothing half-written (no evidence.exported receipt for the refused pack)",
            String.valueOf(exportedBefore),
            String.valueOf(exportedAfter),
            exportedAfter == exportedBefore);

    String receipt = lastReceipt(c, ordinary);
    c.set("ordinary_receipt", receipt);
    Reply proof = c.http().call("GET", "/api/receipts/" + receipt, p.token(), null);
    c.findings()
        .check(
            "receipts written during the outage await a checkpoint",
            "200, no inclusion proof yet",
            proof.status()
                + (proof.body().path("proof").isNull() ? ", no inclusion proof yet" : ", covered"),
            proof.status() == 200 && proof.body().path("proof").isNull());
  }

  @Override
  public void recover(ChaosDrill.Context c, Instant faultEnds) {
    Probe p = c.probe();
    String run = c.get("baseline_run");
    int exportedBefore = p.receipts("evidence.exported");
    Reply pack =
        Probe.until(() -> disclose(c, run), r -> r.status() == 200, Duration.ofSeconds(60));
    Instant back = Instant.now();
    c.findings()
        .check("the privileged operation works again", "200", describe(pack), pack.status() == 200);
    c.findings().measure("recovery_seconds", ChaosDrill.seconds(faultEnds, back));
    c.findings()
        .check(
            "one export for one pack",
            String.valueOf(exportedBefore + 1),
            String.valueOf(p.receipts("evidence.exported")),
            p.receipts("evidence.exported") == exportedBefore + 1);
    String receipt = c.get("ordinary_receipt");
    Reply proof =
        Probe.until(
            () -> c.http().call("GET", "/api/receipts/" + receipt, p.token(), null),
            r -> r.status() != 200 || r.body().path("proof").isObject(),
            Duration.ofSeconds(60));
    c.findings()
        .measure("checkpoint_covers_after_seconds", ChaosDrill.seconds(faultEnds, Instant.now()));
    c.findings()
        .check(
            "the next checkpoint covers what was done during the outage",
            "an inclusion proof",
            proof.status() == 200 && proof.body().path("proof").isObject()
                ? "inclusion proof under checkpoint "
                    + proof
                        .body()
                        .path("checkpoint")
                        .asText()
                        .lines()
                        .skip(1)
                        .findFirst()
                        .orElse("")
                : proof.status() + ", none",
            proof.status() == 200 && proof.body().path("proof").isObject());
  }

  static Reply disclose(ChaosDrill.Context c, String run) {
    return c.http().call("GET", "/api/runs/" + run + "/disclosure", c.probe().token(), null);
  }

  private static String lastReceipt(ChaosDrill.Context c, String run) {
    var list =
        c.http()
            .call("GET", "/api/receipts?limit=500&run=" + run, c.probe().token(), null)
            .body()
            .path("receipts");
    return list.isEmpty() ? "" : list.get(list.size() - 1).path("id").asText();
  }

  static String describe(Reply r) {
    return r.status() + (r.code().isEmpty() ? "" : " " + r.code());
  }
}
