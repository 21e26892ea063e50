package io.maestro.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.core.Actor;
import io.maestro.core.Ids;
import io.maestro.core.TenantId;
import io.maestro.provenance.ReceiptDraft.Subject;
import io.maestro.provenance.attest.Dsse;
import io.maestro.provenance.attest.DsseTest;
import io.maestro.provenance.attest.InTotoStatement;
import io.maestro.provenance.internal.Json;
import io.maestro.provenance.keys.Signer;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.verify.ExportVerifier;
import io.maestro.provenance.verify.ReceiptVerifier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The receipt test vectors under {@code src/test/resources/vectors/receipts}: produced by this
 * class from fixed inputs (a test-only key from a fixed seed, a fixed clock, a seeded random
 * source; Ed25519 signatures are deterministic), and checked byte for byte on every build. Run with
 * {@code -Dvectors.regenerate=true} to rewrite them after a deliberate format change.
 */
class VectorsTest {
  static final Path DIR = Path.of("src/test/resources/vectors/receipts");

  /** TEST ONLY: the seed of the vector key (bytes 0x00..0x1f). Never use it for anything real. */
  static final byte[] SEED =
      HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

  static Map<String, String> generate() {
    Signer key = DsseTest.signerFor("vectors.maestro.test", SEED);
    TestClock clock = new TestClock(Instant.parse("2026-11-22T12:00:00Z"));
    MemoryLog log =
        new MemoryLog(
            LogId.tenant(TenantId.of("acme")),
            "vectors.maestro.test",
            new Ids(clock, new SplittableRandom(2026)),
            clock,
            true);
    for (int i = 1; i <= 7; i++) {
      log.append(Fixtures.runStarted(TenantId.of("acme"), i));
      clock.advance(Duration.ofMillis(250));
      if (i == 4) {
        log.checkpoint(key);
      }
    }
    log.append(
        ReceiptDraft.of(
                LogId.tenant(TenantId.of("acme")),
                ReceiptTypes.POLICY_DENIED,
                Fixtures.alice(TenantId.of("acme")),
                "run.cancel",
                Subject.of("run", "run_3"))
            .withDecision(
                new io.maestro.core.Decision(
                    "dec_9",
                    false,
                    List.of(
                        new io.maestro.core.Decision.Reason(
                            "freeze_window", "operators may not cancel in a freeze")),
                    List.of(),
                    "",
                    "sha256:" + "1".repeat(64),
                    "maestro/authz/decision",
                    java.time.Instant.parse("2026-11-22T16:05:21.000Z"))));
    Checkpoint cp = log.checkpoint(key);

    Map<String, String> files = new LinkedHashMap<>();
    files.put("keys.json", Json.writePretty(TrustedKeys.of(List.of(key.key())).toJwks()) + "\n");
    Receipt third = log.receipts().get(2);
    files.put("receipt-3.json", Json.writePretty(ReceiptJson.toJson(third, true)) + "\n");
    files.put(
        "receipt-3.canonical.json",
        new String(ReceiptJson.canonicalBody(third), StandardCharsets.UTF_8));
    files.put(
        "receipt-3.digests.txt",
        "digest " + third.digest() + "\nleaf_hash " + third.leafHash() + "\n");
    files.put(
        "receipt-3.proof.json", Json.writePretty(log.inclusion(3, cp.size()).toJson()) + "\n");
    files.put("checkpoint-8.txt", cp.note());
    ByteArrayOutputStream export = new ByteArrayOutputStream();
    log.export(export);
    files.put("export.ndjson", export.toString(StandardCharsets.UTF_8));
    InTotoStatement st =
        InTotoStatement.of(
            List.of(InTotoStatement.Subject.sha256("export.ndjson", export.toByteArray())),
            "https://maestro.dev/attestations/export/v1",
            Json.object().put("tenant", "acme").put("tree_size", cp.size()));
    files.put("export.intoto.dsse.json", Json.writePretty(st.sign(key).toJson()) + "\n");
    // The platform log: tenant is null.
    MemoryLog platform =
        new MemoryLog(
            LogId.platform(),
            "vectors.maestro.test",
            new Ids(clock, new SplittableRandom(1)),
            clock,
            true);
    Receipt p =
        platform.append(
            ReceiptDraft.of(
                LogId.platform(),
                ReceiptTypes.TENANT_PROVISIONED,
                Actor.system("provisioner"),
                "tenant.provision",
                Subject.of("tenant", "acme")));
    files.put("platform-receipt-1.json", Json.writePretty(ReceiptJson.toJson(p, true)) + "\n");
    return files;
  }

  @Test
  void vectors_areReproducedExactlyByTheCurrentCode() throws IOException {
    Map<String, String> files = generate();
    if (Boolean.getBoolean("vectors.regenerate")) {
      Files.createDirectories(DIR);
      for (var e : files.entrySet()) {
        Files.writeString(DIR.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
      }
    }
    for (var e : files.entrySet()) {
      assertThat(Files.readString(DIR.resolve(e.getKey()), StandardCharsets.UTF_8))
          .as(
              e.getKey()
                  + " (regenerate with -Dvectors.regenerate=true if the change is deliberate)")
          .isEqualTo(e.getValue());
    }
  }

  @Test
  void vectors_verifyWithTheOfflineVerifiers() throws Exception {
    TrustedKeys keys = TrustedKeys.fromJwks(Json.parse(read("keys.json")));
    var receipt =
        ReceiptVerifier.verify(
            Json.parse(read("receipt-3.json")),
            InclusionProof.fromJson(Json.parse(read("receipt-3.proof.json"))),
            read("checkpoint-8.txt"),
            keys);
    assertThat(receipt.receipt().seq()).isEqualTo(3);
    var report =
        ExportVerifier.verify(new StringReader(read("export.ndjson")), keys, Optional.empty());
    assertThat(report.receipts()).isEqualTo(8);
    assertThat(report.checkpoints()).isEqualTo(2);
    var env = Dsse.Envelope.fromJson(Json.parse(read("export.intoto.dsse.json")));
    assertThat(Dsse.verify(env, keys).name()).isEqualTo("vectors.maestro.test");
    assertThat(
            InTotoStatement.fromEnvelope(env)
                .covers(read("export.ndjson").getBytes(StandardCharsets.UTF_8)))
        .isTrue();
  }

  private static String read(String name) throws IOException {
    return Files.readString(DIR.resolve(name), StandardCharsets.UTF_8);
  }
}
