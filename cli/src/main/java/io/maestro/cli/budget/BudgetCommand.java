package io.maestro.cli.budget;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.UserError;
import io.maestro.cli.client.ApiClient;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.client.Output;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code maestro budget show|set}: the tenant's daily and monthly budget in USD, what it spent and
 * what remains ({@code GET|PUT /api/tenants/{id}/budget}).
 */
@Command(
    name = "budget",
    mixinStandardHelpOptions = true,
    subcommands = {BudgetCommand.Show.class, BudgetCommand.Set.class},
    footerHeading = "%nExamples:%n",
    footer = {"  maestro budget show", "  maestro budget set --daily 5 --monthly 100"},
    description = "Show or set your tenant's daily and monthly budget (USD).")
public final class BudgetCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** Options every budget subcommand takes. */
  static class Target {
    @Mixin ApiOptions options;

    @Option(
        names = "--tenant",
        paramLabel = "ID",
        description = "Tenant (default: the one you are signed in to).")
    String tenant;

    ApiClient api() {
      return options.connect();
    }

    String path(ApiClient api) {
      String id = tenant;
      if (id == null) {
        id = api.call("GET", "/api/whoami", null, "cannot read whoami").path("tenant").asText("");
        if (id.isEmpty()) {
          throw new UserError("you are not signed in to a tenant: pass --tenant");
        }
      }
      return "/api/tenants/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/budget";
    }
  }

  static void print(PrintWriter out, JsonNode b, String output) throws Exception {
    if (output.equals("json")) {
      out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(b));
      return;
    }
    out.printf(
        "daily:   USD %s spent of %s, %s remaining (platform cap %s)%n",
        Output.text(b.path("spentUSD")),
        Output.text(b.path("dailyMaxUSD")),
        Output.text(b.path("dailyRemainingUSD")),
        Output.text(b.path("platformDailyMaxUSD")));
    if (b.path("monthlyMaxUSD").isNumber()) {
      out.printf(
          "monthly: USD %s spent of %s, %s remaining%n",
          Output.text(b.path("monthlySpentUSD")),
          Output.text(b.path("monthlyMaxUSD")),
          Output.text(b.path("monthlyRemainingUSD")));
    } else {
      out.printf("monthly: USD %s spent, no monthly cap%n", Output.text(b.path("monthlySpentUSD")));
    }
  }

  static void checkOutput(String output) {
    if (!output.equals("text") && !output.equals("json")) {
      throw new UserError("--output must be text or json, not '" + output + "'");
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {"  maestro budget show", "  maestro budget show --output json"},
      description = "Show the budget, what was spent today and this month, and what remains.")
  static final class Show implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin Target target;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FORMAT",
        defaultValue = "text",
        description = "text (default) or json.")
    String output;

    @Override
    public Integer call() throws Exception {
      checkOutput(output);
      ApiClient api = target.api();
      JsonNode b = api.call("GET", target.path(api), null, "cannot read the budget");
      PrintWriter out = spec.commandLine().getOut();
      print(out, b, output);
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExamples:%n",
      footer = {
        "  maestro budget set --daily 5 --monthly 100",
        "  maestro budget set --monthly none      # remove the monthly cap"
      },
      description = {
        "Set your tenant's own caps in USD (tenant admins). A cap you leave out keeps its value;",
        "'none' removes it. Your daily cap can tighten the platform's daily cap, never raise it."
      })
  static final class Set implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin Target target;

    @Option(names = "--daily", paramLabel = "USD", description = "Daily cap, or none.")
    String daily;

    @Option(names = "--monthly", paramLabel = "USD", description = "Monthly cap, or none.")
    String monthly;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FORMAT",
        defaultValue = "text",
        description = "text (default) or json.")
    String output;

    @Override
    public Integer call() throws Exception {
      checkOutput(output);
      if (daily == null && monthly == null) {
        throw new UserError("give --daily and/or --monthly");
      }
      ApiClient api = target.api();
      String path = target.path(api);
      JsonNode current = api.call("GET", path, null, "cannot read the budget").path("tenantSet");
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("dailyMaxUSD", amount("--daily", daily, current.path("dailyMaxUSD")));
      body.put("monthlyMaxUSD", amount("--monthly", monthly, current.path("monthlyMaxUSD")));
      JsonNode b = api.call("PUT", path, body, "cannot set the budget");
      PrintWriter out = spec.commandLine().getOut();
      print(out, b, output);
      out.flush();
      return 0;
    }

    private static BigDecimal amount(String flag, String value, JsonNode current) {
      if (value == null) {
        return current.isNumber() ? current.decimalValue() : null;
      }
      if (value.equalsIgnoreCase("none")) {
        return null;
      }
      try {
        return new BigDecimal(value);
      } catch (NumberFormatException e) {
        throw new UserError(
            flag + " must be a USD amount like 5 or 0.25, or none; not '" + value + "'");
      }
    }
  }
}
