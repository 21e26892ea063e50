package io.maestro.cli.sku;

import io.maestro.cli.CommandGroup;
import io.maestro.cli.UserError;
import io.maestro.core.sku.Sku;
import io.maestro.core.sku.SkuCatalog;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code maestro sku list|model}: the SKU table and the per-tenant pricing model. */
@Command(
    name = "sku",
    mixinStandardHelpOptions = true,
    description = "The editions' SKUs and their pricing model (docs/sku.md).",
    footerHeading = "%nExamples:%n",
    footer = {"  maestro sku list", "  maestro sku model --scenario mid"},
    subcommands = {SkuCommand.ListSkus.class, SkuCommand.Model.class})
public final class SkuCommand extends CommandGroup {
  /** {@code maestro sku list}: one Markdown row per SKU. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Print the SKU table (Markdown): edition, gates, quotas, SLO targets, prices.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro sku list"})
  static final class ListSkus implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "| SKU | edition | policy profile | "
              + String.join(" | ", Sku.FEATURES)
              + " | quotas | SLO targets | platform fee / seat (USD/month) | price book |");
      out.println("|---|---|---|" + "---|".repeat(Sku.FEATURES.size()) + "---|---|---|---|");
      for (Sku s : SkuCatalog.shipped().skus().values()) {
        out.printf(
            "| `%s` | %s | `%s` | %s | %s | %s | %s / %s | `%s` |%n",
            s.name(),
            s.edition(),
            s.policyProfile(),
            Sku.FEATURES.stream()
                .map(f -> s.enabled(f) ? "yes" : "—")
                .collect(Collectors.joining(" | ")),
            pairs(s.quotas()),
            pairs(s.slo()),
            s.price().platformFeeUsd().toPlainString(),
            s.price().seatUsd().toPlainString(),
            s.price().pricebookSku());
      }
      out.flush();
      return 0;
    }
  }

  /** {@code maestro sku model --scenario small|mid|large}. */
  @Command(
      name = "model",
      mixinStandardHelpOptions = true,
      description =
          "A tenant's month under a scenario: list price from the price book, COGS from measured"
              + " and stated unit costs, gross margin.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro sku model --scenario mid", "  maestro sku model --scenario all"})
  static final class Model implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--scenario",
        required = true,
        paramLabel = "NAME",
        description = "small, mid, large or all.")
    String scenario;

    @Override
    public Integer call() {
      SkuModel model = SkuModel.shipped();
      PrintWriter out = spec.commandLine().getOut();
      try {
        for (String s : scenario.equals("all") ? model.scenarios() : java.util.List.of(scenario)) {
          print(out, model.month(s));
        }
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage(), 2);
      }
      out.flush();
      return 0;
    }

    private static void print(PrintWriter out, SkuModel.Month m) {
      out.printf(
          "## Scenario %s: %s (price book %s, `%s` prices)%n%n",
          m.scenario(), m.sku().title(), m.pricebook(), m.sku().price().pricebookSku());
      out.printf(
          "Inputs: %s runs/month × %s steps of %s s (%s class), %s approvals/run, %s receipts/run,"
              + " %s bytes/run, %s exports, %s seats.%n%n",
          m.inputs().path("runsPerMonth").asText(),
          m.inputs().path("stepsPerRun").asText(),
          m.inputs().path("stepSeconds").asText(),
          m.inputs().path("resourceClass").asText(),
          m.inputs().path("approvalsPerRun").asText(),
          m.inputs().path("receiptsPerRun").asText(),
          m.inputs().path("storageBytesPerRun").asText(),
          m.inputs().path("exportsPerMonth").asText(),
          m.inputs().path("seats").asText());
      out.println("| line | list price (USD) | COGS (USD) |");
      out.println("|---|---:|---:|");
      java.util.Set<String> lines = new java.util.LinkedHashSet<>(m.price().keySet());
      lines.addAll(m.cogs().keySet());
      for (String l : lines) {
        out.printf("| %s | %s | %s |%n", l, cents(m.price().get(l)), cents(m.cogs().get(l)));
      }
      out.printf(
          "| **total** | **%s** | **%s** |%n%nGross margin: **%s%%**%n%n",
          cents(m.listPrice()), cents(m.totalCogs()), m.grossMarginPercent().toPlainString());
    }
  }

  static String cents(BigDecimal v) {
    return v == null ? "" : v.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
  }

  static String pairs(Map<String, ?> m) {
    return m.entrySet().stream()
        .map(
            e ->
                e.getKey()
                    + " "
                    + (e.getValue() instanceof BigDecimal b ? b.toPlainString() : e.getValue()))
        .collect(Collectors.joining(", "));
  }
}
