package io.maestro.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.cli.CliRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The alert rules in deploy/prometheus pass {@code promtool check rules} and their unit tests
 * ({@code promtool test rules}), and name only series docs/metrics.md documents. promtool comes
 * from Debian's {@code prometheus} package (.ci/run installs it): without it the promtool tests
 * skip with one line, and fail under {@code CI=true}.
 */
class PrometheusRulesTest {
  static final Path DIR = CliRunner.root().resolve("deploy/prometheus");

  @Test
  void rules_passPromtoolCheck() throws Exception {
    assertThat(promtool("check", "rules", "maestro-rules.yaml")).contains("SUCCESS: 7 rules found");
  }

  @Test
  void rules_passTheirUnitTests() throws Exception {
    assertThat(promtool("test", "rules", "maestro-rules.test.yaml")).contains("SUCCESS");
  }

  @Test
  void rules_nameOnlyDocumentedSeries() throws IOException {
    String metrics = Files.readString(CliRunner.root().resolve("docs/metrics.md"));
    Matcher m =
        Pattern.compile("\\b((?:mc|maestro)_[a-z_]+?)(?:_bucket|_count|_sum)?\\b")
            .matcher(Files.readString(DIR.resolve("maestro-rules.yaml")));
    int seen = 0;
    while (m.find()) {
      assertThat(metrics)
          .as("docs/metrics.md documents " + m.group(1))
          .contains("`" + m.group(1) + "`");
      seen++;
    }
    assertThat(seen).isGreaterThan(5);
  }

  private static String promtool(String... args) throws Exception {
    Path bin = Path.of("/usr/bin/promtool");
    if (!Files.isExecutable(bin)) {
      String why = "promtool not found (apt-get install prometheus)";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("CI=true but " + why);
      }
      System.err.println("SKIPPED: " + why);
      Assumptions.abort(why);
    }
    List<String> cmd = new java.util.ArrayList<>(List.of(bin.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(DIR.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
