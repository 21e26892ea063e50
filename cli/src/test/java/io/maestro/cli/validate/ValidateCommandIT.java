package io.maestro.cli.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.CliRunner;
import io.maestro.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maestro validate --post-release} against a server started from the built app jar: the
 * synthetic runs succeed, their receipts and decisions verify offline with the server's public keys
 * and the evidence folder holds what was checked; with keys that did not sign the checkpoints it
 * fails naming the receipts check.
 */
class ValidateCommandIT {
  @TempDir Path dir;

  @Test
  void postRelease_passesOnAFreshServer_andFailsWithForeignKeys() throws Exception {
    try (CliRunner.Running server = CliRunner.server(dir, Map.of())) {
      String url = server.url();
      CliRunner.loginDev(dir, url);
      cli(0, "keys", "export", "-o", dir.resolve("keys.json").toString());

      long started = System.nanoTime();
      CliRunner.Result ok = validate(0, url, dir.resolve("keys.json"), "evidence");
      System.out.printf(
          "post-release validation took %.1f s%n", (System.nanoTime() - started) / 1e9);
      assertThat(ok.stdout())
          .contains("OK post-release validation")
          .contains("2 synthetic runs SUCCEEDED");
      Path evidence = dir.resolve("evidence");
      JsonNode report = Json.MAPPER.readTree(Files.readString(evidence.resolve("report.json")));
      assertThat(report.path("passed").asBoolean()).isTrue();
      assertThat(report.path("checks").toString())
          .contains("health")
          .contains("runs")
          .contains("receipts")
          .contains("decisions");
      assertThat(evidence.resolve("receipts.ndjson")).isNotEmptyFile();
      JsonNode run =
          Json.MAPPER.readTree(Files.readString(evidence.resolve("runs/synthetic-fanout.json")));
      assertThat(run.path("status").asText()).isEqualTo("SUCCEEDED");
      assertThat(Files.readString(evidence.resolve("receipts.ndjson")))
          .contains(run.path("decisionId").asText());
      // The archived export verifies again, offline, with the same keys.
      cli(
          0,
          "verify",
          evidence.resolve("receipts.ndjson").toString(),
          "--keys",
          dir.resolve("keys.json").toString());

      cli(0, "release", "keygen", "--key-dir", dir.resolve("other").toString());
      CliRunner.Result bad =
          validate(1, url, dir.resolve("other/release-keys.json"), "evidence-bad");
      assertThat(bad.stderr().strip())
          .startsWith("maestro: post-release validation FAILED — receipts: ")
          .doesNotContain("\n");
      JsonNode failed =
          Json.MAPPER.readTree(Files.readString(dir.resolve("evidence-bad/report.json")));
      assertThat(failed.path("passed").asBoolean()).isFalse();
    }
  }

  private CliRunner.Result validate(int code, String url, Path keys, String evidence)
      throws Exception {
    return cli(
        code,
        "validate",
        "--post-release",
        "--url",
        url,
        "--keys",
        keys.toString(),
        "-o",
        dir.resolve(evidence).toString());
  }

  private CliRunner.Result cli(int code, String... args) throws Exception {
    return CliRunner.run(dir, Map.of(), args).expect(code);
  }
}
