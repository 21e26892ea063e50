package io.maestro.governance.slo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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

/**
 * The generated dashboard reads only what exists: recording rules that {@code maestro slo rules}
 * writes for the same SLO file, and {@code mc_slo_*} series that docs/metrics.md documents.
 */
class SloDashboardTest {
  static final Pattern RULE =
      Pattern.compile("(maestro_slo:error_ratio:rate\\w+)\\{slo=\"([^\"]+)\"");
  static final Pattern SERIES = Pattern.compile("\\b(mc_[a-z_]+)\\{");

  @ParameterizedTest
  @ValueSource(strings = {"internal", "white-label", "saas"})
  void dashboard_readsOnlyGeneratedRulesAndDocumentedSeries(String edition) throws IOException {
    SloSet set = SloSet.forEdition(edition);
    JsonNode d = Json.MAPPER.readTree(SloDashboard.render(set));
    String rules = SloRules.render(set);
    String metrics = Files.readString(root().resolve("docs/metrics.md"));

    assertThat(d.path("uid").asText()).isEqualTo("maestro-slo-" + edition);
    assertThat(d.path("templating").path("list").findValuesAsText("name"))
        .contains("datasource", "tenant");
    Set<Integer> ids = new HashSet<>();
    int rulesRead = 0;
    int seriesRead = 0;
    for (JsonNode p : d.path("panels")) {
      assertThat(ids.add(p.path("id").asInt())).as("panel ids are unique").isTrue();
      assertThat(p.path("targets").size()).isPositive();
      for (JsonNode t : p.path("targets")) {
        String expr = t.path("expr").asText();
        Matcher r = RULE.matcher(expr);
        while (r.find()) {
          assertThat(rules)
              .as(expr)
              .contains("record: " + r.group(1) + "\n        labels: {slo: " + r.group(2) + "}");
          rulesRead++;
        }
        Matcher s = SERIES.matcher(expr);
        while (s.find()) {
          assertThat(metrics).as(expr).contains("`" + s.group(1) + "`");
          seriesRead++;
        }
      }
    }
    // Every SLO has its two panels; both kinds of source are read.
    assertThat(d.path("panels").size()).isEqualTo(2 * set.slos().size());
    assertThat(rulesRead).isPositive();
    assertThat(seriesRead).isPositive();
  }

  private static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (!Files.exists(p.resolve("docs/metrics.md"))) {
      p = p.getParent();
    }
    return p;
  }
}
