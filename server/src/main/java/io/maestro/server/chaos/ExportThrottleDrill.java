package io.maestro.server.chaos;

import io.maestro.server.chaos.DrillHttp.Reply;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code export-throttle}: while the evidence storage refuses and slows writes, a disclosure pack
 * export still succeeds — the store retries with backoff and the export resumes — slower than
 * before, with the refusals counted by the server and exactly one {@code evidence.exported} receipt
 * per pack (a retry never records twice); once the fault ends exports are fast again.
 */
final class ExportThrottleDrill implements ChaosDrill.Scenario {
  @Override
  public void prepare(ChaosDrill.Context c) {
    Reply pack = SignerOutageDrill.baseline(c);
    c.set("baseline_ms", Long.toString(pack.took().toMillis()));
  }

  @Override
  public void during(ChaosDrill.Context c) {
    Probe p = c.probe();
    int exportedBefore = p.receipts("evidence.exported");
    long refusedBefore = refused(c);
    Reply pack = disclose(c);
    long refusedAfter = refused(c);
    c.findings()
        .check(
            "the export resumes after the storage refused it",
            "200",
            SignerOutageDrill.describe(pack) + " (" + pack.took().toMillis() + " ms)",
            pack.status() == 200);
    c.findings()
        .check(
            "the storage refused writes and the store retried with backoff",
            "≥ " + ExportThrottle.REFUSED + " refused writes, ≥ 150 ms of backoff",
            (refusedAfter - refusedBefore)
                + " refused, "
                + pack.took().toMillis()
                + " ms (before the fault "
                + c.get("baseline_ms")
                + " ms)",
            refusedAfter - refusedBefore >= ExportThrottle.REFUSED
                && pack.took().toMillis() >= 150);
    c.findings()
        .check(
            "one export, one receipt (no duplicate from the retries)",
            String.valueOf(exportedBefore + 1),
            String.valueOf(p.receipts("evidence.exported")),
            p.receipts("evidence.exported") == exportedBefore + 1);
  }

  @Override
  public void recover(ChaosDrill.Context c, Instant faultEnds) {
    long refusedBefore = refused(c);
    Reply pack = Probe.until(() -> disclose(c), r -> r.status() == 200, Duration.ofSeconds(60));
    Instant back = Instant.now();
    c.findings().measure("recovery_seconds", ChaosDrill.seconds(faultEnds, back));
    c.findings()
        .check(
            "exports go straight through again",
            "200, no refused write",
            SignerOutageDrill.describe(pack) + ", " + (refused(c) - refusedBefore) + " refused",
            pack.status() == 200 && refused(c) == refusedBefore);
  }

  private static Reply disclose(ChaosDrill.Context c) {
    return SignerOutageDrill.disclose(c, c.get("baseline_run"));
  }

  private static long refused(ChaosDrill.Context c) {
    return Probe.require(c.http().call("GET", "/api/chaos/faults", c.admin(), null), "read faults")
        .body()
        .path("export_writes_refused")
        .asLong();
  }
}
