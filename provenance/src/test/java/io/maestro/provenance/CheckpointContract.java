package io.maestro.provenance;

import static io.maestro.provenance.Fixtures.ACME;
import static io.maestro.provenance.Fixtures.GLOBEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.Actor;
import io.maestro.core.problem.MaestroException;
import io.maestro.provenance.keys.PublicKeyInfo;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.store.TenantScope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checkpointer, signer outages and key rotation, on every backend. */
abstract class CheckpointContract extends DbFixture {

  @Test
  void runOnce_signsOneCheckpointPerGrownLogAndVerifiesWithThePublishedKeys() {
    appendMany(ACME, 3, 3);
    appendMany(GLOBEX, 2, 2);
    assertThat(provenance.checkpointer().runOnce()).isEqualTo(new Checkpointer.Run.Signed(2));
    assertThat(provenance.checkpointer().runOnce())
        .as("nothing grew since")
        .isEqualTo(new Checkpointer.Run.Signed(0));

    Checkpoint cp = checkpoint(LogId.tenant(ACME));
    assertThat(cp.size()).isEqualTo(3);
    assertThat(cp.origin()).isEqualTo("maestro.test/tenant/acme");
    Checkpoint verified = Checkpoint.verify(cp.note(), provenance.keys().publicKeys());
    assertThat(verified.root()).isEqualTo(cp.root());
    assertThat(verified.size()).isEqualTo(3);
    assertThat(cp.note())
        .startsWith("maestro.test/tenant/acme\n3\n")
        .contains("\n\n\u2014 maestro.test ");
  }

  @Test
  void unsignedReceipts_arePlacedOnesPastTheLatestCheckpointAndQueuedOnes() {
    LogId acme = LogId.tenant(ACME);
    assertThat(unsigned(acme)).as("a log never written").isZero();
    appendMany(ACME, 3, 3);
    assertThat(unsigned(acme)).isEqualTo(3);
    provenance.checkpointer().runOnce();
    assertThat(unsigned(acme)).as("all covered by the checkpoint").isZero();

    appendMany(ACME, 2, 2);
    db.useTransaction(
        TenantScope.of(ACME),
        tx -> provenance.receipts().enqueueAll(tx, List.of(Fixtures.runStarted(ACME, 9))));
    assertThat(unsigned(acme)).isEqualTo(3);
    assertThat(unsigned(LogId.tenant(GLOBEX))).as("another tenant's log").isZero();
  }

  private long unsigned(LogId log) {
    TenantScope scope = TenantScope.of(((LogId.Tenant) log).id());
    return db.inTransaction(scope, tx -> provenance.log().unsignedReceipts(tx, log));
  }

  @Test
  void checkpointer_signsEarlyOnceEnoughReceiptsArrive() throws Exception {
    Provenance eager =
        Provenance.open(
            db,
            new ProvenanceSettings("maestro.test", Duration.ofHours(1), 5),
            new io.maestro.provenance.keys.FileKeyStore(dataDir.resolve("eager")),
            clock,
            new java.util.SplittableRandom(1),
            new java.security.SecureRandom());
    eager.start();
    try {
      for (int i = 0; i < 5; i++) {
        int n = i;
        db.useTransaction(
            TenantScope.of(ACME), tx -> eager.receipts().append(tx, Fixtures.runStarted(ACME, n)));
      }
      // The hour-long interval never elapses: only the count can have triggered the signature.
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      long size = 0;
      while (size < 5 && System.nanoTime() < deadline) {
        Thread.sleep(20);
        size =
            db.inTransaction(
                    TenantScope.of(ACME),
                    tx -> eager.log().latestCheckpoint(tx, LogId.tenant(ACME)))
                .map(Checkpoint::size)
                .orElse(0L);
      }
      assertThat(size).isEqualTo(5);
    } finally {
      // Its sequencer too: left running, it would wake after the database closed.
      eager.close();
    }
  }

  @Test
  void signerOutage_stopsCheckpointsFailsPrivilegedOpsClosedAndResumesCoveringEverything()
      throws Exception {
    appendMany(ACME, 2, 2);
    Checkpoint before = checkpoint(LogId.tenant(ACME));
    Path keyFile = onlyKeyFile();
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
    provenance.keys().reload();

    assertThat(provenance.keys().status().available()).isFalse();
    assertThat(provenance.keys().status().problem()).contains("rw-r--r--");
    assertThat(provenance.checkpointer().runOnce())
        .isInstanceOf(Checkpointer.Run.SignerUnavailable.class);
    assertThatThrownBy(() -> provenance.keys().requireSigner())
        .isInstanceOf(MaestroException.class)
        .satisfies(
            e ->
                assertThat(((MaestroException) e).code())
                    .isEqualTo(ProvenanceErrors.SIGNER_UNAVAILABLE));
    assertThatThrownBy(
            () ->
                db.useTransaction(
                    TenantScope.platform(),
                    tx -> provenance.keys().rotate(tx, provenance.receipts(), Actor.system("t"))))
        .isInstanceOf(MaestroException.class);

    appendMany(ACME, 3, 1); // ordinary actions continue
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
    assertThat(provenance.checkpointer().runOnce()).isEqualTo(new Checkpointer.Run.Signed(1));
    Checkpoint after = checkpoint(LogId.tenant(ACME));
    assertThat(after.size()).isEqualTo(5);
    assertThat(before.size()).isEqualTo(2);
  }

  @Test
  void rotate_recordsAReceiptActivatesTheNewKeyAndOldCheckpointsStillVerify() {
    appendMany(ACME, 2, 2);
    Checkpoint old = checkpoint(LogId.tenant(ACME));
    PublicKeyInfo oldKey = provenance.keys().requireSigner().key();

    PublicKeyInfo fresh =
        db.inTransaction(
            TenantScope.platform(),
            tx -> provenance.keys().rotate(tx, provenance.receipts(), Actor.system("operator")));

    assertThat(provenance.keys().requireSigner().key().keyId()).isEqualTo(fresh.keyId());
    TrustedKeys published = provenance.keys().publicKeys();
    assertThat(published.keys())
        .extracting(PublicKeyInfo::keyId, PublicKeyInfo::status)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(oldKey.keyId(), PublicKeyInfo.KeyStatus.RETIRED),
            org.assertj.core.groups.Tuple.tuple(fresh.keyId(), PublicKeyInfo.KeyStatus.ACTIVE));
    assertThat(Checkpoint.verify(old.note(), published).keyId()).isEqualTo(oldKey.keyId());

    Receipt rotation =
        db.inTransaction(
                TenantScope.platform(),
                tx ->
                    provenance
                        .log()
                        .list(tx, LogId.platform(), ReceiptLog.Query.all(10))
                        .receipts())
            .get(0);
    assertThat(rotation.type()).isEqualTo(ReceiptTypes.KEY_ROTATED);
    assertThat(rotation.payload().orElseThrow()).contains(fresh.keyId()).contains(oldKey.keyId());

    appendMany(ACME, 1, 1);
    Checkpoint next = checkpoint(LogId.tenant(ACME));
    assertThat(next.keyId()).isEqualTo(fresh.keyId());
    // A verifier holding only the old key cannot accept checkpoints of the new one.
    assertThatThrownBy(() -> Checkpoint.verify(next.note(), TrustedKeys.of(List.of(oldKey))))
        .hasMessageContaining("no trusted key");
  }

  @Test
  void rotate_thatRollsBack_leavesTheOldKeyActive() {
    PublicKeyInfo oldKey = provenance.keys().requireSigner().key();
    assertThatThrownBy(
            () ->
                db.useTransaction(
                    TenantScope.platform(),
                    tx -> {
                      provenance.keys().rotate(tx, provenance.receipts(), Actor.system("operator"));
                      throw new IllegalStateException("abort");
                    }))
        .hasMessage("abort");
    provenance.keys().reload();
    assertThat(provenance.keys().requireSigner().key().keyId()).isEqualTo(oldKey.keyId());
    assertThat(provenance.keys().publicKeys().keys()).hasSize(1);
  }

  @Test
  void keyFiles_areOwnerOnly() throws Exception {
    Path keyFile = onlyKeyFile();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile.getParent())))
        .isEqualTo("rwx------");
  }

  private Path onlyKeyFile() throws Exception {
    try (var files = Files.list(dataDir.resolve("keys"))) {
      List<Path> keys = files.filter(p -> p.getFileName().toString().startsWith("key-")).toList();
      assertThat(keys).hasSize(1);
      return keys.get(0);
    }
  }
}
