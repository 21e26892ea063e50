package io.maestro.provenance;

import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.provenance.ReceiptDraft.Subject;
import io.maestro.provenance.internal.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Drafts and actors for tests. */
final class Fixtures {
  static final TenantId ACME = TenantId.of("acme");
  static final TenantId GLOBEX = TenantId.of("globex");

  private Fixtures() {}

  static Actor alice(TenantId tenant) {
    return new Actor(
        "alice@" + tenant.value(), Optional.of(tenant), List.of("operator"), Map.of(), "oidc");
  }

  /** A run.started draft for {@code tenant}, with a decision and a small payload. */
  static ReceiptDraft runStarted(TenantId tenant, int n) {
    var payload = Json.object().put("workflow", "deploy").put("n", n);
    return ReceiptDraft.of(
            LogId.tenant(tenant),
            ReceiptTypes.RUN_STARTED,
            alice(tenant),
            "run.start",
            Subject.of("run", "run_" + n))
        .withDecision(
            new Decision(
                "dec_" + n,
                true,
                List.of(new Decision.Reason("rbac_granted", "operator may start runs")),
                List.of(),
                "r7",
                "sha256:" + "0".repeat(64),
                "maestro/authz/decision",
                java.time.Instant.parse("2026-11-22T16:05:20.123Z")))
        .withPayload(payload);
  }
}
