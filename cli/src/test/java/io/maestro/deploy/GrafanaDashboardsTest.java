package io.maestro.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.CliRunner;
import io.maestro.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each dashboard is valid JSON with a unique uid and queries only series docs/metrics.md names. */
class GrafanaDashboardsTest {
  static final Path DIR = CliRunner.root().resolve("deploy/grafana");
  static final Pattern SERIES =
      Pattern.compile("\\b((?:mc|maestro|http_server)_[a-z_]+?)(?:_bucket|_count|_sum)?\\b");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "tenant-overview.json",
        "cost-governor.json",
        "slo.json",
        "isolation-posture.json"
      })
  void dashboard_queriesOnlyDocumentedSeries(String file) throws IOException {
    JsonNode d = Json.MAPPER.readTree(Files.readString(DIR.resolve(file)));
    String metrics = Files.readString(CliRunner.root().resolve("docs/metrics.md"));
    assertThat(d.path("uid").asText()).startsWith("maestro-");
    Set<Integer> ids = new HashSet<>();
    int exprs = 0;
    for (JsonNode p : d.path("panels")) {
      assertThat(ids.add(p.path("id").asInt())).as("panel ids are unique").isTrue();
      for (JsonNode t : p.path("targets")) {
        Matcher m = SERIES.matcher(t.path("expr").asText());
        assertThat(m.find()).as(t.path("expr").asText()).isTrue();
        do {
          assertThat(metrics).as(file + " uses " + m.group(1)).contains("`" + m.group(1) + "`");
        } while (m.find());
        exprs++;
      }
    }
    assertThat(exprs).isGreaterThanOrEqualTo(4);
  }
}
