package io.maestro.cli.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.cli.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code maestro verify} as a user runs it: through bin/maestro on the packaged jar. */
class VerifyCommandIT {
  static final Path VECTORS =
      CliRunner.root().resolve("provenance/src/test/resources/vectors/receipts");

  @TempDir Path dir;

  @Test
  void verify_exportAndReceipt_exitZero_tamperedExport_exitOneWithTheReason() throws Exception {
    CliRunner.Result export =
        CliRunner.run(
            dir,
            Map.of(),
            "verify",
            VECTORS.resolve("export.ndjson").toString(),
            "--keys",
            VECTORS.resolve("keys.json").toString());
    assertThat(export.exitCode()).as(export.stderr()).isZero();
    assertThat(export.stdout()).contains("OK export");

    CliRunner.Result receipt =
        CliRunner.run(
            dir,
            Map.of(),
            "verify",
            VECTORS.resolve("receipt-3.json").toString(),
            "--proof",
            VECTORS.resolve("receipt-3.proof.json").toString(),
            "--checkpoint",
            VECTORS.resolve("checkpoint-8.txt").toString(),
            "--keys",
            VECTORS.resolve("keys.json").toString());
    assertThat(receipt.exitCode()).as(receipt.stderr()).isZero();

    List<String> lines = Files.readAllLines(VECTORS.resolve("export.ndjson"));
    Path tampered = dir.resolve("tampered.ndjson");
    Files.write(
        tampered,
        lines.stream()
            .map(l -> l.replace("\"workflow\":\"deploy\"", "\"workflow\":\"wipe\""))
            .toList());
    CliRunner.Result bad =
        CliRunner.run(
            dir,
            Map.of(),
            "verify",
            tampered.toString(),
            "--keys",
            VECTORS.resolve("keys.json").toString());
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.stderr()).contains("verification FAILED").contains("payload failed at line");
  }
}
