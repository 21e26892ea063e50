package io.maestro.cli.tenants;

import static io.maestro.cli.client.Paths.enc;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.CommandGroup;
import io.maestro.cli.UserError;
import io.maestro.cli.client.ApiClient;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.client.Output;
import io.maestro.cli.client.Output.Column;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code maestro tenants …}: tenant administration. Listing every tenant, creating them and setting
 * quotas are for the platform roles ({@code conductor_admin}); tenant admins see and manage their
 * own tenant. The server's policy decides either way.
 */
@Command(
    name = "tenants",
    mixinStandardHelpOptions = true,
    description = "List, show and create tenants; manage members, profile and quotas.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro tenants list",
      "  maestro tenants create globex --name \"Globex Corp\" --profile regulated",
      "  maestro tenants members set acme ada@acme operator",
      "  maestro tenants quotas set acme --max-concurrent-runs 50"
    },
    subcommands = {
      TenantsCommand.ListTenants.class,
      TenantsCommand.Show.class,
      TenantsCommand.Create.class,
      MembersCommand.class,
      TenantsCommand.Profile.class,
      TenantsCommand.Quotas.class,
      RegionsCommand.class
    })
public final class TenantsCommand extends CommandGroup {
  static void printTenant(PrintWriter out, JsonNode t) {
    out.println(
        t.path("id").asText()
            + "  "
            + t.path("name").asText("")
            + "  "
            + t.path("status").asText("")
            + "  edition "
            + t.path("edition").asText("-")
            + "  profile "
            + t.path("profile").asText("-"));
    if (t.has("quotas")) {
      out.println("quotas " + t.path("quotas"));
    }
    if (t.has("budget")) {
      out.println("budget " + t.path("budget"));
    }
  }

  /** {@code maestro tenants list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the tenants you may see (platform roles: all of them).",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro tenants list --output yaml"})
  static final class ListTenants implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin Output output;

    @Override
    public Integer call() {
      ApiClient client = api.connect();
      var items = ApiClient.JSON.createArrayNode();
      String after = null;
      do {
        JsonNode page =
            client.call(
                "GET",
                "/api/tenants?limit=200" + (after == null ? "" : "&after=" + enc(after)),
                null,
                "cannot list tenants");
        page.path("items").forEach(items::add);
        after = page.hasNonNull("next_after") ? page.get("next_after").asText() : null;
      } while (after != null);
      output.list(
          spec.commandLine().getOut(),
          items,
          List.of(
              Column.of("id", "id"),
              Column.of("name", "name"),
              Column.of("status", "status"),
              Column.of("edition", "edition"),
              Column.of("profile", "profile")));
      return 0;
    }
  }

  /** {@code maestro tenants show ID}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show a tenant: status, edition, profile, quotas, budget.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro tenants show acme", "  maestro tenants show acme --output json"})
  static final class Show implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin Output output;

    @Parameters(paramLabel = "TENANT", description = "The tenant id.")
    String id;

    @Override
    public Integer call() {
      JsonNode t =
          api.connect().call("GET", "/api/tenants/" + enc(id), null, "cannot read tenant " + id);
      output.one(spec.commandLine().getOut(), t, out -> printTenant(out, t));
      return 0;
    }
  }

  /** {@code maestro tenants create ID}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Provision a tenant (platform roles).",
      footerHeading = "%nExamples:%n",
      footer = {
        "  maestro tenants create globex",
        "  maestro tenants create initech --name Initech --edition saas --profile hosted-saas",
        "  maestro tenants create umbrella --regions EU,US"
      })
  static final class Create implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin Output output;

    @Parameters(paramLabel = "TENANT", description = "The new tenant's id ([a-z][a-z0-9-]{1,62}).")
    String id;

    @Option(names = "--name", paramLabel = "NAME", description = "Display name.")
    String name;

    @Option(
        names = "--edition",
        paramLabel = "EDITION",
        description = "internal, white-label or saas.")
    String edition;

    @Option(
        names = "--profile",
        paramLabel = "PROFILE",
        description = "Policy profile (default: internal-default).")
    String profile;

    @Option(
        names = "--regions",
        paramLabel = "R[,R…]",
        split = ",",
        description = "Regions its workflows may run in; the first is its home (default: US).")
    List<String> regions;

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("id", id);
      if (regions != null) {
        body.put("regions", regions);
        body.put("home_region", regions.get(0));
      }
      if (name != null) {
        body.put("name", name);
      }
      if (edition != null) {
        body.put("edition", edition);
      }
      if (profile != null) {
        body.put("profile", profile);
      }
      JsonNode t = api.connect().call("POST", "/api/tenants", body, "cannot create tenant " + id);
      output.one(
          spec.commandLine().getOut(),
          t,
          out -> {
            out.print("created ");
            printTenant(out, t);
          });
      return 0;
    }
  }

  /** {@code maestro tenants profile set ID PROFILE}. */
  @Command(
      name = "profile",
      mixinStandardHelpOptions = true,
      description = "A tenant's policy profile.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro tenants profile set acme regulated"},
      subcommands = Profile.Set.class)
  static final class Profile extends CommandGroup {
    @Command(
        name = "set",
        mixinStandardHelpOptions = true,
        description = "Assign a policy profile; the next decision uses it.",
        footerHeading = "%nExamples:%n",
        footer = {"  maestro tenants profile set acme regulated"})
    static final class Set implements Callable<Integer> {
      @Spec CommandLine.Model.CommandSpec spec;
      @Mixin ApiOptions api;
      @Mixin Output output;

      @Parameters(index = "0", paramLabel = "TENANT", description = "The tenant id.")
      String id;

      @Parameters(
          index = "1",
          paramLabel = "PROFILE",
          description = "A profile of the active bundle.")
      String profile;

      @Override
      public Integer call() {
        JsonNode t =
            api.connect()
                .call(
                    "PUT",
                    "/api/tenants/" + enc(id) + "/profile",
                    Map.of("profile", profile),
                    "cannot assign profile " + profile + " to " + id);
        output.one(
            spec.commandLine().getOut(),
            t,
            out ->
                out.println(
                    id
                        + " now uses profile "
                        + t.path("profile").asText(profile)
                        + " (decision "
                        + t.path("decision_id").asText("-")
                        + ")"));
        return 0;
      }
    }
  }

  /** {@code maestro tenants quotas set ID …}. */
  @Command(
      name = "quotas",
      mixinStandardHelpOptions = true,
      description = "A tenant's quotas.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro tenants quotas set acme --max-concurrent-runs 50"},
      subcommands = Quotas.Set.class)
  static final class Quotas extends CommandGroup {
    @Command(
        name = "set",
        mixinStandardHelpOptions = true,
        description = "Change quotas (platform roles); a config.changed receipt records the diff.",
        footerHeading = "%nExamples:%n",
        footer = {
          "  maestro tenants quotas set acme --max-concurrent-runs 50 --max-steps-per-minute 600"
        })
    static final class Set implements Callable<Integer> {
      @Spec CommandLine.Model.CommandSpec spec;
      @Mixin ApiOptions api;
      @Mixin Output output;

      @Parameters(index = "0", paramLabel = "TENANT", description = "The tenant id.")
      String id;

      @Option(names = "--max-concurrent-runs", paramLabel = "N", description = "Runs at once.")
      Integer maxConcurrentRuns;

      @Option(
          names = "--max-steps-per-minute",
          paramLabel = "N",
          description = "Steps started per minute.")
      Integer maxStepsPerMinute;

      @Option(names = "--max-receipt-backlog", paramLabel = "N", description = "Unsigned receipts.")
      Integer maxReceiptBacklog;

      @Override
      public Integer call() {
        Map<String, Object> quotas = new LinkedHashMap<>();
        if (maxConcurrentRuns != null) {
          quotas.put("max_concurrent_runs", maxConcurrentRuns);
        }
        if (maxStepsPerMinute != null) {
          quotas.put("max_steps_per_minute", maxStepsPerMinute);
        }
        if (maxReceiptBacklog != null) {
          quotas.put("max_receipt_backlog", maxReceiptBacklog);
        }
        if (quotas.isEmpty()) {
          throw new UserError(
              "name at least one quota: --max-concurrent-runs, --max-steps-per-minute or"
                  + " --max-receipt-backlog",
              2);
        }
        JsonNode t =
            api.connect()
                .call(
                    "PATCH",
                    "/api/tenants/" + enc(id),
                    Map.of("quotas", quotas),
                    "cannot set the quotas of " + id);
        output.one(spec.commandLine().getOut(), t, out -> printTenant(out, t));
        return 0;
      }
    }
  }
}
