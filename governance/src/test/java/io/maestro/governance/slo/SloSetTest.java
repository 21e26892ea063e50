package io.maestro.governance.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.problem.MaestroException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SloSetTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"internal", "white-label", "saas"})
  void shippedEditions_parseWithTheirThreeSlis(String edition) {
    SloSet set = SloSet.forEdition(edition);
    assertThat(set.edition()).isEqualTo(edition);
    assertThat(set.slos())
        .extracting(Slo::sli)
        .containsExactly(
            Slo.Sli.WORKFLOW_SUCCESS_RATE,
            Slo.Sli.START_TO_COMPLETE_LATENCY,
            Slo.Sli.POLICY_DECISION_LATENCY);
    assertThat(set.slos().getFirst().window()).isEqualTo(Duration.ofDays(30));
  }

  @Test
  void saas_promisesMoreThanInternal() {
    assertThat(SloSet.forEdition("saas").slos().getFirst().objectivePercent())
        .isGreaterThan(SloSet.forEdition("internal").slos().getFirst().objectivePercent());
  }

  static String file(String slo) {
    return "apiVersion: maestro/v1\nkind: SLOSet\nslos:\n  - " + slo + "\n";
  }

  @Test
  void badFiles_nameTheSloAndTheProblem() {
    List.of(
            List.of(file("{name: a, sli: uptime, objectivePercent: 99}"), "slo a: sli must be"),
            List.of(
                file("{name: a, sli: workflow_success_rate, objectivePercent: 100}"),
                "objectivePercent must be"),
            List.of(
                file("{name: a, sli: workflow_success_rate, objectivePercent: 99, window: 1w}"),
                "window must look like"),
            List.of(
                file("{name: a, sli: start_to_complete_latency, objectivePercent: 99}"),
                "thresholdSeconds must be"),
            List.of(
                file(
                    "{name: a, sli: workflow_success_rate, objectivePercent: 99, thresholdSeconds: 1}"),
                "applies to latency SLIs only"),
            List.of(
                file("{name: A!, sli: workflow_success_rate, objectivePercent: 99}"), "name must"),
            List.of("kind: Workflow", "kind must be SLOSet"))
        .forEach(
            c ->
                assertThatThrownBy(() -> SloSet.parse(c.get(0), "my.yaml"))
                    .isInstanceOf(MaestroException.class)
                    .hasMessageContaining("my.yaml")
                    .hasMessageContaining(c.get(1)));
  }

  @Test
  void burnRate_isTheErrorRatioOverTheBudget() {
    Slo slo = SloSet.forEdition("internal").slos().getFirst(); // 99 %: a 1 % budget
    assertThat(BurnRate.of(slo, 1, 100)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(BurnRate.of(slo, 0, 0)).isZero();
    assertThat(BurnRate.of(slo, 3, 4)).isCloseTo(75.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void rules_haveBothAlertsPerSloAndLeaveServerOnlyOnesOut() {
    String rules = SloRules.render(SloSet.forEdition("saas"));
    assertThat(rules)
        .contains("maestro-slo-workflow-success")
        .contains("maestro-slo-policy-latency")
        .contains("le=\"50.0\"")
        .contains("MaestroSloBurnPage")
        .contains("MaestroSloBurnTicket")
        .contains("# run-latency: start_to_complete_latency is evaluated by the server")
        // 14.4 × the 0.1 % budget of 99.9 %
        .contains("> 0.014400");
  }

  /** The generated rules pass Prometheus' own checker. */
  @Test
  void rules_passPromtool() throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    if (!Files.isExecutable(promtool)) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("CI=true but promtool is missing: apt-get install prometheus");
      }
      System.err.println("promtool not found (apt-get install prometheus): SKIPPED");
      Assumptions.abort("promtool not installed");
    }
    for (String edition : List.of("internal", "white-label", "saas")) {
      Path f = dir.resolve(edition + ".rules.yaml");
      Files.writeString(f, SloRules.render(SloSet.forEdition(edition)));
      Process p =
          new ProcessBuilder(promtool.toString(), "check", "rules", f.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
    }
  }
}
