package io.maestro.cli.governance;

import io.maestro.cli.CommandGroup;
import io.maestro.cli.UserError;
import io.maestro.cli.client.Output.Column;
import io.maestro.core.problem.MaestroException;
import io.maestro.governance.slo.SloDashboard;
import io.maestro.governance.slo.SloRules;
import io.maestro.governance.slo.SloSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code maestro slo …}: the SLOs' state for a tenant, and their Prometheus rules. */
@Command(
    name = "slo",
    mixinStandardHelpOptions = true,
    description =
        "Service-level objectives: their state now, their Prometheus rules and a Grafana"
            + " dashboard.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro slo show",
      "  maestro slo rules --edition saas > maestro-slo.rules.yaml",
      "  maestro slo rules --file my-slos.yaml",
      "  maestro slo dashboard --edition saas -o maestro-slo.json"
    },
    subcommands = {SloCommand.Show.class, SloCommand.Rules.class, SloCommand.Dashboard.class})
public final class SloCommand extends CommandGroup {

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {"  maestro slo show", "  maestro slo show --output json"},
      description = "Each SLO's SLI, error budget left, burn rates and firing alerts.")
  static final class Show extends TenantList {
    Show() {
      super(
          "/api/slos",
          "cannot read SLOs",
          List.of(
              Column.of("slo", "name"),
              Column.of("objective %", "objectivePercent"),
              new Column(
                  "sli %",
                  s -> s.has("sliPercent") ? s.path("sliPercent").asText() : "(prometheus)"),
              new Column(
                  "budget left %",
                  s ->
                      s.has("errorBudgetRemainingPercent")
                          ? s.path("errorBudgetRemainingPercent").asText()
                          : "-"),
              new Column("burn 1h", s -> s.path("burnRates").path("1h").asText("-")),
              new Column(
                  "alerts",
                  s -> {
                    StringBuilder b = new StringBuilder();
                    s.path("alerts")
                        .forEach(
                            a -> {
                              if (a.path("firing").asBoolean()) {
                                b.append(b.isEmpty() ? "" : ",")
                                    .append(a.path("severity").asText());
                              }
                            });
                    return b.isEmpty() ? "-" : b.toString();
                  })));
    }
  }

  @Command(
      name = "rules",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {
        "  maestro slo rules --edition internal",
        "  maestro slo rules --file my-slos.yaml -o maestro-slo.rules.yaml"
      },
      description =
          "Prometheus recording and multi-window burn-rate alerting rules for an SLO file"
              + " (promtool check rules accepts them). Needs no server.")
  static final class Rules extends Generated {
    @Override
    String render(SloSet set) {
      return SloRules.render(set);
    }
  }

  @Command(
      name = "dashboard",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {
        "  maestro slo dashboard --edition saas -o maestro-slo.json",
        "  maestro slo dashboard --file my-slos.yaml"
      },
      description =
          "A Grafana dashboard for an SLO file: each SLO's SLI, error budget left and burn rates,"
              + " over the mc_slo_* series and the rules of `maestro slo rules`. Needs no server.")
  static final class Dashboard extends Generated {
    @Override
    String render(SloSet set) {
      return SloDashboard.render(set);
    }
  }

  /** A file generated from an SLO file: the edition's or one given. */
  abstract static class Generated implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--edition",
        paramLabel = "EDITION",
        defaultValue = "internal",
        description = "The SLOs shipped for internal, white-label or saas (default: internal).")
    String edition;

    @Option(names = "--file", paramLabel = "FILE", description = "An SLO file instead.")
    Path file;

    @Option(
        names = {"-o", "--out"},
        paramLabel = "FILE",
        description = "Write here, not stdout.")
    Path out;

    abstract String render(SloSet set);

    @Override
    public Integer call() {
      SloSet set;
      try {
        set =
            file != null
                ? SloSet.parse(Files.readString(file), file.toString())
                : SloSet.forEdition(edition);
      } catch (IOException e) {
        throw new UserError("cannot read " + file + ": " + e.getMessage());
      } catch (MaestroException e) {
        throw new UserError(e.getMessage());
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage() + " (internal, white-label or saas)");
      }
      String text = render(set);
      if (out == null) {
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
      } else {
        try {
          Files.writeString(out, text);
        } catch (IOException e) {
          throw new UserError("cannot write " + out + ": " + e.getMessage());
        }
      }
      return 0;
    }
  }
}
