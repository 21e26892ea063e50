package io.maestro.provenance;

import static io.maestro.provenance.Fixtures.ACME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.problem.MaestroException;
import io.maestro.provenance.internal.Json;
import io.maestro.provenance.keys.Ed25519;
import io.maestro.provenance.keys.PublicKeyInfo;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.verify.ExportVerifier;
import io.maestro.provenance.verify.ReceiptVerifier;
import io.maestro.provenance.verify.VerificationFailure;
import io.maestro.provenance.verify.VerificationFailure.Check;
import io.maestro.store.TenantScope;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Exports verify offline with nothing but the public keys, and every kind of change to history is
 * detected: an edited byte, a deleted, reordered or inserted receipt, a truncated file, other keys,
 * and an old checkpoint replayed.
 */
abstract class ExportContract extends DbFixture {
  static final LogId LOG = LogId.tenant(ACME);

  /** 40 receipts under four checkpoints (sizes 10, 20, 30, 40). */
  void history() {
    for (int i = 0; i < 4; i++) {
      appendMany(ACME, 10, 5);
      clock.advance(Duration.ofSeconds(1));
      provenance.checkpointer().runOnce();
    }
  }

  String export(long from, long to) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    db.useTransaction(TenantScope.of(ACME), tx -> provenance.log().export(tx, LOG, from, to, out));
    return out.toString(StandardCharsets.UTF_8);
  }

  ExportVerifier.Report verify(String export) throws Exception {
    return ExportVerifier.verify(
        new StringReader(export), provenance.keys().publicKeys(), Optional.empty());
  }

  VerificationFailure failure(String export) {
    return failure(export, provenance.keys().publicKeys(), Optional.empty());
  }

  static VerificationFailure failure(
      String export, TrustedKeys keys, Optional<Checkpoint> trusted) {
    try {
      ExportVerifier.verify(new StringReader(export), keys, trusted);
    } catch (VerificationFailure f) {
      return f;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the export verified, but it was tampered with");
  }

  static List<String> lines(String export) {
    return new ArrayList<>(List.of(export.split("\n")));
  }

  static String join(List<String> lines) {
    return String.join("\n", lines) + "\n";
  }

  /** The index of the line holding receipt {@code seq}. */
  static int receiptLine(List<String> lines, long seq) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("{\"kind\":\"receipt\"")
          && Json.parse(lines.get(i)).path("receipt").path("seq").asLong() == seq) {
        return i;
      }
    }
    throw new AssertionError("no receipt " + seq);
  }

  @Test
  void export_wholeLog_verifiesOffline() throws Exception {
    history();
    ExportVerifier.Report r = verify(export(1, 0));
    assertThat(r.from()).isEqualTo(1);
    assertThat(r.to()).isEqualTo(40);
    assertThat(r.receipts()).isEqualTo(40);
    assertThat(r.checkpoints()).isEqualTo(4);
    assertThat(r.latest().size()).isEqualTo(40);
  }

  @Test
  void export_middleRange_verifiesWithPrefixAndSuffix() throws Exception {
    history();
    ExportVerifier.Report r = verify(export(13, 27));
    assertThat(r.from()).isEqualTo(13);
    assertThat(r.to()).isEqualTo(27);
    assertThat(r.treeSize()).isEqualTo(30);
  }

  @Test
  void export_stopsAtTheLatestCheckpoint() throws Exception {
    history();
    appendMany(ACME, 5, 5); // not yet checkpointed
    assertThat(verify(export(1, 0)).to()).isEqualTo(40);
  }

  @Test
  void purgedPayloads_leaveTheLogVerifiable() throws Exception {
    history();
    db.useTransaction(
        TenantScope.platform(),
        tx ->
            tx.update(
                "UPDATE provenance_receipt SET payload = NULL WHERE tenant_id = 'acme' AND seq <= 20"));
    String export = export(1, 0);
    assertThat(lines(export).get(receiptLine(lines(export), 5))).doesNotContain("\"payload\":");
    assertThat(verify(export).receipts()).isEqualTo(40);
  }

  @Test
  void externalPayload_recordsOnlyItsDigest() throws Exception {
    Hash artifact = Hash.sha256("a large build log".getBytes(StandardCharsets.UTF_8));
    Receipt r = append(Fixtures.runStarted(ACME, 1).withExternalPayload(artifact));
    assertThat(r.payload()).isEmpty();
    assertThat(ReceiptJson.toJson(r, true).get("payload_digest").asText())
        .isEqualTo(artifact.toString());
    provenance.checkpointer().runOnce();
    assertThat(verify(export(1, 0)).receipts()).isEqualTo(1);
  }

  @Test
  void tamper_editedByteInAReceipt_isDetectedByTheChain() {
    history();
    List<String> lines = lines(export(1, 0));
    int i = receiptLine(lines, 7);
    lines.set(i, lines.get(i).replace("\"action\":\"run.start\"", "\"action\":\"run.stop\""));
    VerificationFailure f = failure(join(lines));
    assertThat(f.check()).isEqualTo(Check.CHAIN);
    assertThat(f.where()).contains("receipt seq 8");
  }

  @Test
  void tamper_editedLastReceipt_isDetectedByTheRoot() {
    history();
    List<String> lines = lines(export(1, 0));
    int i = receiptLine(lines, 40);
    lines.set(i, lines.get(i).replace("\"sub\":\"alice@acme\"", "\"sub\":\"mallory@acme\""));
    assertThat(failure(join(lines)).check()).isEqualTo(Check.ROOT);
  }

  @Test
  void tamper_editedPayload_isDetectedByItsDigest() {
    history();
    List<String> lines = lines(export(1, 0));
    int i = receiptLine(lines, 3);
    lines.set(i, lines.get(i).replace("\"workflow\":\"deploy\"", "\"workflow\":\"destroy\""));
    assertThat(failure(join(lines)).check()).isEqualTo(Check.PAYLOAD);
  }

  @Test
  void tamper_deletedReceipt_isDetected() {
    history();
    List<String> lines = lines(export(1, 0));
    lines.remove(receiptLine(lines, 12));
    VerificationFailure f = failure(join(lines));
    assertThat(f.check()).isEqualTo(Check.SEQUENCE);
    assertThat(f.reason()).contains("expected seq 12");
  }

  @Test
  void tamper_reorderedReceipts_areDetected() {
    history();
    List<String> lines = lines(export(1, 0));
    int a = receiptLine(lines, 5);
    String five = lines.get(a);
    lines.set(a, lines.get(a + 1));
    lines.set(a + 1, five);
    assertThat(failure(join(lines)).check()).isEqualTo(Check.SEQUENCE);
  }

  @Test
  void tamper_insertedReceipt_isDetectedEvenWhenRenumbered() {
    history();
    List<String> lines = lines(export(1, 0));
    // A forged receipt that claims seq 6 and the right prev, with the rest renumbered.
    int five = receiptLine(lines, 5);
    ObjectNode forged = (ObjectNode) Json.parse(lines.get(five)).get("receipt").deepCopy();
    Receipt fifth = ReceiptJson.parse(forged);
    forged.put("seq", 6);
    forged.put("action", "run.forged");
    forged.put("prev", fifth.digest().toString());
    ObjectNode line = Json.object().put("kind", "receipt");
    line.set("receipt", forged);
    lines.add(five + 1, Json.write(line));
    VerificationFailure f = failure(join(lines));
    assertThat(f.check()).isIn(Check.SEQUENCE, Check.CHAIN, Check.ROOT);
  }

  @Test
  void tamper_truncatedFile_isDetected() {
    history();
    List<String> lines = lines(export(1, 0));
    VerificationFailure f = failure(join(lines.subList(0, receiptLine(lines, 30))));
    assertThat(f.check()).isIn(Check.FORMAT, Check.SEQUENCE);
    assertThat(f.reason()).contains("cut off");
  }

  @Test
  void tamper_swappedKeys_areRejected() {
    history();
    byte[] otherSeed = Ed25519.generateSeed(new SecureRandom());
    TrustedKeys strangers =
        TrustedKeys.of(
            List.of(
                PublicKeyInfo.of(
                    "maestro.test",
                    Ed25519.publicKey(otherSeed),
                    Instant.EPOCH,
                    PublicKeyInfo.KeyStatus.ACTIVE,
                    Optional.empty())));
    VerificationFailure f = failure(export(1, 0), strangers, Optional.empty());
    assertThat(f.check()).isEqualTo(Check.CHECKPOINT_SIGNATURE);
  }

  @Test
  void tamper_rewrittenCheckpointNote_isRejected() {
    history();
    String export = export(1, 0);
    String forged = export.replaceFirst("\\\\n40\\\\n", "\\\\n41\\\\n");
    assertThat(forged).isNotEqualTo(export);
    assertThat(failure(forged).check()).isEqualTo(Check.CHECKPOINT_SIGNATURE);
  }

  @Test
  void tamper_replayedOldCheckpoint_isDetected() throws Exception {
    history();
    Checkpoint latest = checkpoint(LOG);
    // An old export (up to checkpoint 20), presented to someone who already saw checkpoint 40.
    String old;
    {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      db.useTransaction(TenantScope.of(ACME), tx -> provenance.log().export(tx, LOG, 1, 20, out));
      old = out.toString(StandardCharsets.UTF_8);
    }
    assertThat(verify(old).treeSize()).as("valid on its own").isEqualTo(20);
    VerificationFailure f = failure(old, provenance.keys().publicKeys(), Optional.of(latest));
    assertThat(f.check()).isEqualTo(Check.ROLLBACK);

    // And an old checkpoint moved to the end of a newer export breaks the order.
    List<String> lines = lines(export(1, 0));
    List<Integer> cps = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("{\"kind\":\"checkpoint\"")) {
        cps.add(i);
      }
    }
    lines.set(cps.get(3), lines.get(cps.get(0)));
    assertThat(failure(join(lines)).check()).isIn(Check.CHECKPOINT_ORDER, Check.CONSISTENCY);
  }

  @Test
  void tamper_rowEditedInTheDatabase_refusesTheNextExportWhole() {
    history();
    db.useTransaction(
        TenantScope.platform(),
        tx ->
            tx.update(
                "UPDATE provenance_receipt SET body = REPLACE(body, 'operator may start runs',"
                    + " 'anyone may start runs') WHERE tenant_id = 'acme' AND seq = 9"));
    // The server verifies what it serves: no export, rather than one the verifier must catch.
    assertThatThrownBy(() -> export(1, 0))
        .isInstanceOf(MaestroException.class)
        .hasMessageContaining("receipt 9")
        .satisfies(
            e ->
                assertThat(((MaestroException) e).code())
                    .isEqualTo(ProvenanceErrors.INTEGRITY_VIOLATION));
  }

  @Test
  void receiptVerifier_acceptsAReceiptWithItsProofAndCheckpoint() throws Exception {
    history();
    Checkpoint cp = checkpoint(LOG);
    Receipt r =
        db.inTransaction(TenantScope.of(ACME), tx -> provenance.log().findBySeq(tx, LOG, 17))
            .orElseThrow();
    InclusionProof proof =
        db.inTransaction(
            TenantScope.of(ACME), tx -> provenance.log().inclusionProof(tx, LOG, 17, cp.size()));
    ObjectNode json = ReceiptJson.toJson(r, true);
    var ok = ReceiptVerifier.verify(json, proof, cp.note(), provenance.keys().publicKeys());
    assertThat(ok.receipt().seq()).isEqualTo(17);

    ObjectNode edited = json.deepCopy();
    edited.put("time", "2026-11-22T09:59:59.000Z");
    assertThatThrownBy(
            () -> ReceiptVerifier.verify(edited, proof, cp.note(), provenance.keys().publicKeys()))
        .isInstanceOf(VerificationFailure.class)
        .satisfies(e -> assertThat(((VerificationFailure) e).check()).isEqualTo(Check.INCLUSION));
  }
}
