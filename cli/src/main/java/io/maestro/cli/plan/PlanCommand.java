package io.maestro.cli.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.CliFiles;
import io.maestro.cli.UserError;
import io.maestro.cli.client.ApiClient;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.client.Output;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code maestro plan FILE}: what a run of the manifest would cost, line by line with the basis of
 * each (the version's past runs, else task-type defaults), and whether it fits the tenant's budget
 * ({@code POST /api/plan}).
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro plan examples/hello.yaml",
      "  maestro plan examples/hello.yaml --input name=Ada --output json"
    },
    description = {
      "Estimate what a run of a workflow file would cost, and why, before starting it.",
      "Each line says its basis: history (the median of this version's past runs) or defaults."
    })
public final class PlanCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ApiOptions options;

  @Parameters(index = "0", paramLabel = "FILE", description = "The manifest (YAML or JSON).")
  Path file;

  @Option(
      names = {"-i", "--input"},
      paramLabel = "KEY=VALUE",
      description = "A run input; VALUE is read as JSON when it parses (42, true, [1]), else text.")
  Map<String, String> inputs = new LinkedHashMap<>();

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text (default) or json.")
  String output;

  @Override
  public Integer call() throws Exception {
    if (!output.equals("text") && !output.equals("json")) {
      throw new UserError("--output must be text or json, not '" + output + "'");
    }
    String text = CliFiles.read(file);
    ApiClient api = options.connect();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("manifest", text);
    body.put("inputs", io.maestro.cli.run.RunCommand.parseInputs(inputs));
    JsonNode plan = api.call("POST", "/api/plan", body, "cannot estimate " + file);
    PrintWriter out = spec.commandLine().getOut();
    if (output.equals("json")) {
      out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(plan));
    } else {
      print(out, plan);
    }
    out.flush();
    return 0;
  }

  static void print(PrintWriter out, JsonNode p) {
    out.printf(
        "Estimated cost of a run of %s@%s: USD %s (basis: %s; price book %s)%n",
        p.path("workflow").asText(),
        p.path("version").asText(),
        Output.text(p.path("estimatedCostUSD")),
        p.path("basis").asText(),
        p.path("priceBook").asText());
    out.printf("%-14s %-14s %-9s %10s %14s  %s%n", "step", "task", "basis", "ms", "USD", "why");
    for (JsonNode l : p.path("breakdown")) {
      out.printf(
          "%-14s %-14s %-9s %10s %14s  %s%n",
          l.path("step").isNull() ? "(run)" : l.path("step").asText(),
          l.path("task").asText(),
          l.path("basis").asText(),
          l.path("step").isNull() ? "-" : l.path("durationMs").asText(),
          Output.text(l.path("costUSD")),
          l.path("rationale").asText());
    }
    JsonNode b = p.path("budget");
    if (b.isObject()) {
      BigDecimal estimate = p.path("estimatedCostUSD").decimalValue();
      out.printf(
          "Budget: spent today USD %s of %s daily (remaining %s)",
          Output.text(b.path("spentUSD")),
          Output.text(b.path("dailyMaxUSD")),
          Output.text(b.path("dailyRemainingUSD")));
      if (b.path("monthlyMaxUSD").isNumber()) {
        out.printf(
            "; this month USD %s of %s (remaining %s)",
            Output.text(b.path("monthlySpentUSD")),
            Output.text(b.path("monthlyMaxUSD")),
            Output.text(b.path("monthlyRemainingUSD")));
      }
      out.println();
      boolean over =
          estimate.compareTo(b.path("dailyRemainingUSD").decimalValue()) > 0
              || (b.path("monthlyRemainingUSD").isNumber()
                  && estimate.compareTo(b.path("monthlyRemainingUSD").decimalValue()) > 0);
      out.println(
          over
              ? "This run would exceed the budget: starting it will be refused (budget_exceeded)."
              : "This run fits the budget.");
    }
  }
}
