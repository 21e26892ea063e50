package io.maestro.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.Ids;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.evidence.storage.PackStore;
import io.maestro.evidence.verify.PackReport;
import io.maestro.evidence.verify.PackVerifier;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Provenance;
import io.maestro.provenance.ProvenanceSettings;
import io.maestro.provenance.ReceiptDraft;
import io.maestro.provenance.ReceiptType;
import io.maestro.provenance.keys.FileKeyStore;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** An evidence module on a real database with an in-memory run source, for the contracts. */
abstract class EvidenceFixture {
  static final TenantId ACME = TenantId.of("acme");
  static final TenantId GLOBEX = TenantId.of("globex");
  static final Actor AUDITOR =
      new Actor("auditor@acme", Optional.of(ACME), List.of("tenant_admin"), Map.of(), "test");
  static final Decision ALLOW =
      new Decision(
          "dec_test",
          true,
          List.of(),
          List.of(),
          "rev1",
          "sha256:00",
          "maestro/authz/decision",
          Instant.parse("2026-12-03T00:00:00Z"));

  @TempDir Path dir;
  TestDatabase testDb;
  Database db;
  Provenance provenance;
  FixedRuns runs;
  Evidence evidence;

  abstract Backend backend();

  @BeforeEach
  void open() {
    testDb = backend().open();
    db = testDb.database();
    Clock clock = Clock.systemUTC();
    provenance =
        Provenance.open(
            db,
            new ProvenanceSettings("maestro.test", Duration.ofHours(1), 1_000_000),
            new FileKeyStore(dir.resolve("keys")),
            clock,
            new SplittableRandom(7),
            new SecureRandom());
    runs = new FixedRuns();
    evidence =
        new Evidence(
            db,
            provenance,
            runs,
            new PackStore(dir.resolve("evidence"), new SecureRandom()),
            new Ids(clock, new SplittableRandom(9)),
            clock,
            Evidence.ExportRecorder.NONE);
  }

  @AfterEach
  void close() {
    provenance.close();
    testDb.close();
  }

  /** A run with its receipts in the tenant's log. */
  void seedRun(TenantId tenant, String runId, String region, int lines) {
    runs.add(tenant, runId, region, lines, true);
    db.useTransaction(
        TenantScope.of(tenant),
        tx -> {
          Actor a = new Actor("ops", Optional.of(tenant), List.of(), Map.of(), "test");
          provenance
              .receipts()
              .append(
                  tx,
                  ReceiptDraft.of(
                          LogId.tenant(tenant),
                          ReceiptType.of("run.created"),
                          a,
                          "run.create",
                          ReceiptDraft.Subject.of("run", runId))
                      .withDecision(ALLOW));
          for (String step : List.of("fetch", "store")) {
            provenance
                .receipts()
                .append(
                    tx,
                    ReceiptDraft.of(
                        LogId.tenant(tenant),
                        ReceiptType.of("step.completed"),
                        a,
                        "step.complete",
                        ReceiptDraft.Subject.of("step", runId + "/" + step)));
          }
        });
  }

  DisclosurePack disclose(TenantId tenant, String run, String region, String... withhold) {
    return evidence.disclose(
        new DisclosureRequest(tenant, run, Optional.ofNullable(region), List.of(withhold)),
        AUDITOR,
        ALLOW);
  }

  PackReport verify(Path pack) throws IOException {
    try (InputStream in = Files.newInputStream(pack)) {
      return PackVerifier.verify(in, provenance.keys().publicKeys());
    }
  }

  static void assertProblem(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
      io.maestro.core.problem.ErrorCode code) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(MaestroException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
