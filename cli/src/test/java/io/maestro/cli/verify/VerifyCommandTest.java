package io.maestro.cli.verify;

import static io.maestro.cli.InProcess.maestro;
import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.cli.InProcess.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maestro verify} on the provenance test vectors (see {@code
 * provenance/src/test/resources/vectors/README.md}) and on tampered copies of them.
 */
class VerifyCommandTest {
  static final Path VECTORS =
      Path.of("../provenance/src/test/resources/vectors/receipts").toAbsolutePath().normalize();

  @TempDir Path dir;

  static String v(String name) {
    return VECTORS.resolve(name).toString();
  }

  @Test
  void verify_receiptWithProofAndCheckpoint_succeeds() {
    Run r =
        maestro(
            "verify",
            v("receipt-3.json"),
            "--proof",
            v("receipt-3.proof.json"),
            "--checkpoint",
            v("checkpoint-8.txt"),
            "--keys",
            v("keys.json"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("OK receipt").contains("seq 3").contains("size 8");
  }

  @Test
  void verify_receiptAsTheApiReturnsIt_succeeds() throws IOException {
    // GET /api/receipts/{id} returns the receipt, its proof and the checkpoint in one document.
    String bundle =
        "{\"receipt\": "
            + Files.readString(VECTORS.resolve("receipt-3.json"))
            + ", \"proof\": "
            + Files.readString(VECTORS.resolve("receipt-3.proof.json"))
            + ", \"checkpoint\": "
            + new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsString(Files.readString(VECTORS.resolve("checkpoint-8.txt")))
            + "}";
    Path file = dir.resolve("fetched.json");
    Files.writeString(file, bundle);
    Run r = maestro("verify", file.toString(), "--keys", v("keys.json"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("OK receipt").contains("seq 3");
  }

  @Test
  void verify_export_succeeds() {
    Run r = maestro("verify", v("export.ndjson"), "--keys", v("keys.json"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("OK export").contains("receipts 1..8");
  }

  @Test
  void verify_attestationCoveringItsSubject_succeeds() {
    Run r =
        maestro(
            "verify",
            v("export.intoto.dsse.json"),
            "--keys",
            v("keys.json"),
            "--subject",
            v("export.ndjson"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("OK in-toto statement");
  }

  @Test
  void verify_editedReceipt_failsNamingTheCheck() throws IOException {
    Path edited = dir.resolve("receipt.json");
    Files.writeString(
        edited, Files.readString(VECTORS.resolve("receipt-3.json")).replace("run_3", "run_4"));
    Run r =
        maestro(
            "verify",
            edited.toString(),
            "--proof",
            v("receipt-3.proof.json"),
            "--checkpoint",
            v("checkpoint-8.txt"),
            "--keys",
            v("keys.json"));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains("verification FAILED")
        .contains("inclusion failed at receipt seq 3");
  }

  @Test
  void verify_exportWithADeletedReceipt_failsNamingTheReceipt() throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(VECTORS.resolve("export.ndjson")));
    lines.removeIf(l -> l.contains("\"seq\":5,"));
    Path cut = dir.resolve("export.ndjson");
    Files.write(cut, lines);
    Run r = maestro("verify", cut.toString(), "--keys", v("keys.json"));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("sequence failed at receipt seq 6").contains("expected seq 5");
  }

  @Test
  void verify_withoutTheSigningKey_fails() throws IOException {
    Path empty = dir.resolve("keys.json");
    Files.writeString(empty, "{\"keys\": []}");
    Run r = maestro("verify", v("export.ndjson"), "--keys", empty.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("checkpoint-signature failed").contains("no trusted key");
  }

  @Test
  void verify_attestationForAnotherArtifact_failsOnTheSubject() throws IOException {
    Path other = dir.resolve("other.ndjson");
    Files.writeString(other, "not the export\n");
    Run r =
        maestro(
            "verify",
            v("export.intoto.dsse.json"),
            "--keys",
            v("keys.json"),
            "--subject",
            other.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("subject failed");
  }

  @Test
  void verify_receiptWithoutProof_isAUsageError() {
    Run r = maestro("verify", v("receipt-3.json"), "--keys", v("keys.json"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("needs --proof and --checkpoint");
  }
}
