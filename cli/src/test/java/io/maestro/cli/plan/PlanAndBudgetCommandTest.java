package io.maestro.cli.plan;

import static io.maestro.cli.InProcess.maestro;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.cli.InProcess.Run;
import io.maestro.core.config.ConfigLoader;
import io.maestro.server.MaestroServer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue's walk-through with the CLI against a real server: run hello twice, {@code maestro
 * plan} prints an estimate from that history, a budget at 90% of spend plus estimate warns, and a
 * budget below it makes the next start fail with {@code budget_exceeded} and the reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlanAndBudgetCommandTest {
  static final Path HELLO = Path.of("..", "examples", "hello.yaml");

  @TempDir static Path dir;
  MaestroServer server;
  String url;
  String token;

  @BeforeAll
  void start() {
    server =
        MaestroServer.start(
            new ConfigLoader(Map.of(), dir)
                .load(
                    Optional.empty(),
                    Map.of(
                        "server.port", "0",
                        "server.host", "127.0.0.1",
                        "dataDir", dir.resolve("data").toString(),
                        "log.level", "WARN")));
    url = "http://127.0.0.1:" + server.port();
    Run issued =
        maestro(
            "token",
            "issue",
            "--dev",
            "--url",
            url,
            "--tenant",
            "acme",
            "--role",
            "tenant_admin",
            "--create");
    assertThat(issued.code()).as(issued.err()).isZero();
    token = issued.out().strip();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  Run cli(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--url";
    all[args.length + 1] = url;
    all[args.length + 2] = "--token";
    all[args.length + 3] = token;
    return maestro(all);
  }

  JsonNode planJson() throws Exception {
    Run r = cli("plan", HELLO.toString(), "--output", "json");
    assertThat(r.code()).as(r.err()).isZero();
    return new ObjectMapper().readTree(r.out());
  }

  void setDaily(BigDecimal usd) {
    Run r = cli("budget", "set", "--daily", usd.toPlainString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("daily:").contains(usd.stripTrailingZeros().toPlainString());
  }

  @Test
  void helloTwice_thenPlan_thenWarning_thenBudgetExceeded() throws Exception {
    Run first = cli("plan", HELLO.toString());
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).contains("basis: defaults").contains("default duration of core/log");
    for (int i = 0; i < 2; i++) {
      Run run = cli("run", HELLO.toString(), "--follow");
      assertThat(run.code()).as(run.out() + run.err()).isZero();
      assertThat(run.out()).containsPattern("estimated cost USD \\d+\\.\\d+");
    }

    Run plan = cli("plan", HELLO.toString(), "--input", "name=Ada");
    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(plan.out())
        .containsPattern("Estimated cost of a run of hello@1: USD \\d+\\.\\d+ \\(basis: history")
        .contains("median duration of the last 2 attempt(s) of this step")
        .contains("pause")
        .contains("This run fits the budget.");

    JsonNode p = planJson();
    BigDecimal spent = p.path("budget").path("spentUSD").decimalValue();
    BigDecimal estimate = p.path("estimatedCostUSD").decimalValue();
    setDaily(spent.add(estimate).divide(new BigDecimal("0.9"), 6, RoundingMode.UP));
    Run warned = cli("run", HELLO.toString(), "--follow");
    assertThat(warned.code()).as(warned.out() + warned.err()).isZero();
    assertThat(warned.err()).contains("warning: daily budget nearly used");

    p = planJson();
    spent = p.path("budget").path("spentUSD").decimalValue();
    estimate = p.path("estimatedCostUSD").decimalValue();
    setDaily(
        spent
            .add(estimate.divide(BigDecimal.TWO, 9, RoundingMode.DOWN))
            .setScale(6, RoundingMode.DOWN));
    assertThat(cli("plan", HELLO.toString()).out())
        .contains(
            "This run would exceed the budget: starting it will be refused (budget_exceeded)");
    Run refused = cli("run", HELLO.toString());
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err())
        .contains("budget_exceeded")
        .contains("exceeds the daily budget of")
        .doesNotContain("Exception");
    assertThat(refused.err().lines()).hasSize(1);

    Run explained = cli("run", HELLO.toString(), "--explain");
    assertThat(explained.code()).isEqualTo(1);
    assertThat(explained.out()).contains("estimatedCostUSD").contains("dailyMaxUSD");

    Run whoami = cli("whoami");
    assertThat(whoami.out()).contains("dailyRemainingUSD").contains("monthlySpentUSD");
    Run show = cli("budget", "show");
    assertThat(show.out()).contains("daily:   USD").contains("no monthly cap");
  }

  @Test
  void badInput_isOneLineAndNonZero() {
    Run r = cli("budget", "set", "--daily", "lots");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).contains("--daily must be a USD amount");
    Run negative = cli("budget", "set", "--daily", "-1");
    assertThat(negative.code()).isEqualTo(1);
    assertThat(negative.err()).contains("budget_invalid");
    Run format = cli("plan", HELLO.toString(), "--output", "xml");
    assertThat(format.err()).contains("--output must be text or json");
  }
}
