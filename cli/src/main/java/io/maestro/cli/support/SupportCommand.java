package io.maestro.cli.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.CommandGroup;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.client.Output;
import io.maestro.cli.client.Output.Column;
import io.maestro.cli.governance.PostOnResource;
import io.maestro.cli.governance.ShowResource;
import io.maestro.cli.governance.TenantList;
import io.maestro.cli.governance.Tenants;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code maestro support …}: the tools a support team uses on a tenant, each policy-gated. */
@Command(
    name = "support",
    mixinStandardHelpOptions = true,
    description =
        "Support tooling: policy-gated impersonation of a tenant member, redacted health bundles.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro support impersonate request --tenant acme --subject ana@acme --reason \"ticket\""
          + " --minutes 20",
      "  maestro support health-bundle --tenant acme -o acme-health.tgz"
    },
    subcommands = {SupportCommand.Impersonate.class, SupportCommand.HealthBundle.class})
public final class SupportCommand extends CommandGroup {

  static void print(PrintWriter out, JsonNode s) {
    out.println(
        "impersonation "
            + s.path("id").asText()
            + " "
            + s.path("state").asText()
            + " — "
            + s.path("requested_by").asText()
            + " as "
            + s.path("subject").asText()
            + " ("
            + s.path("role").asText()
            + ") for "
            + s.path("minutes").asInt()
            + " min"
            + (s.has("seconds_left") ? ", " + s.path("seconds_left").asLong() + "s left" : "")
            + (s.has("approved_by") ? ", approved by " + s.path("approved_by").asText() : ""));
    if ("active".equals(s.path("state").asText())) {
      out.println(
          "  act as the member: MAESTRO_IMPERSONATION="
              + s.path("id").asText()
              + " maestro … (or the header X-Maestro-Impersonation)");
    }
  }

  @Command(
      name = "health-bundle",
      mixinStandardHelpOptions = true,
      description =
          "Fetch a tenant's health bundle (versions, configuration, quotas and use, queue depth,"
              + " SLO inputs, recent errors and refusals), redacted by the server (no secrets,"
              + " tokens, keys, e-mails or free text), and write it as a .tgz with bundle.json;"
              + " the server receipts it (support.health_bundle).",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro support health-bundle --tenant acme -o acme-health.tgz"})
  static final class HealthBundle implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;

    @Option(names = "--tenant", paramLabel = "ID", description = "Tenant (platform roles).")
    String tenant;

    @Option(
        names = {"-o", "--output-file"},
        required = true,
        paramLabel = "FILE")
    java.nio.file.Path out;

    @Override
    public Integer call() throws java.io.IOException {
      JsonNode r =
          api.connect()
              .call(
                  "GET",
                  Tenants.query("/api/support/health-bundle", tenant),
                  null,
                  "cannot make a health bundle");
      byte[] bundle =
          io.maestro.cli.client.ApiClient.JSON
              .writerWithDefaultPrettyPrinter()
              .writeValueAsBytes(r.path("bundle"));
      String readme =
          "Maestro tenant health bundle\nbundle digest: "
              + r.path("bundle_digest").asText()
              + "\nreceipt: "
              + r.path("receipt_id").asText()
              + "\nRedacted by the server: no secrets, tokens, keys, e-mail addresses or free"
              + " text.\n";
      try (var file = java.nio.file.Files.newOutputStream(out)) {
        io.maestro.core.archive.DeterministicTar.write(
            List.of(
                io.maestro.core.archive.DeterministicTar.Entry.of(
                    "README.txt", readme.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                io.maestro.core.archive.DeterministicTar.Entry.of("bundle.json", bundle)),
            file);
      }
      spec.commandLine()
          .getOut()
          .println(
              "wrote "
                  + out
                  + " (bundle "
                  + r.path("bundle_digest").asText()
                  + ", receipt "
                  + r.path("receipt_id").asText()
                  + ")");
      return 0;
    }
  }

  @Command(
      name = "impersonate",
      mixinStandardHelpOptions = true,
      description =
          "Act as a tenant member for a time box, with a reason; the tenant's profile decides"
              + " whether support may, for how long, and whether a tenant administrator approves"
              + " first. Every request made under the session carries both identities.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  maestro support impersonate request --tenant acme --subject ana@acme \\",
        "      --reason \"ticket 4711: run fails\" --minutes 20",
        "  maestro support impersonate approve imp_0193… --tenant acme   # tenant administrator",
        "  MAESTRO_IMPERSONATION=imp_0193… maestro runs list              # as ana@acme",
        "  maestro support impersonate stop imp_0193… --tenant acme"
      },
      subcommands = {
        Impersonate.Request.class,
        Impersonate.Approve.class,
        Impersonate.Stop.class,
        Impersonate.Show.class,
        Impersonate.ListSessions.class
      })
  public static final class Impersonate extends CommandGroup {
    private static final String PATH = "/api/support/impersonations";

    @Command(
        name = "request",
        mixinStandardHelpOptions = true,
        description = "Ask to act as a member (platform token of a support engineer).",
        footerHeading = "%nExamples:%n",
        footer = {
          "  maestro support impersonate request --tenant acme --subject ana@acme"
              + " --reason \"ticket 4711\" --minutes 20"
        })
    static final class Request implements Callable<Integer> {
      @Spec CommandLine.Model.CommandSpec spec;
      @Mixin ApiOptions api;
      @Mixin Output output;

      @Option(names = "--tenant", required = true, paramLabel = "ID")
      String tenant;

      @Option(names = "--subject", required = true, paramLabel = "MEMBER")
      String subject;

      @Option(names = "--reason", required = true, paramLabel = "TEXT")
      String reason;

      @Option(
          names = "--minutes",
          required = true,
          paramLabel = "N",
          description = "The time box (at most the profile's maximum).")
      int minutes;

      @Override
      public Integer call() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subject", subject);
        body.put("reason", reason);
        body.put("minutes", minutes);
        var r =
            api.connect()
                .call("POST", Tenants.query(PATH, tenant), body, "cannot request impersonation");
        output.one(spec.commandLine().getOut(), r, out -> print(out, r));
        return 0;
      }
    }

    @Command(
        name = "approve",
        mixinStandardHelpOptions = true,
        description = "Approve a pending session (a tenant administrator, not the requester).",
        footerHeading = "%nExamples:%n",
        footer = {"  maestro support impersonate approve imp_0193… --tenant acme"})
    static final class Approve extends PostOnResource {
      Approve() {
        super(PATH, "approve", SupportCommand::print);
      }
    }

    @Command(
        name = "stop",
        mixinStandardHelpOptions = true,
        description = "End a session now.",
        footerHeading = "%nExamples:%n",
        footer = {"  maestro support impersonate stop imp_0193… --tenant acme"})
    static final class Stop extends PostOnResource {
      Stop() {
        super(PATH, "stop", SupportCommand::print);
      }
    }

    @Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = "One session.",
        footerHeading = "%nExamples:%n",
        footer = {"  maestro support impersonate show imp_0193… --tenant acme"})
    static final class Show extends ShowResource {
      Show() {
        super(
            PATH,
            "cannot show",
            (out, r) -> {
              print(out, r);
              out.println("  reason: " + r.path("reason").asText());
            });
      }
    }

    @Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "The tenant's sessions.",
        footerHeading = "%nExamples:%n",
        footer = {"  maestro support impersonate list --tenant acme"})
    static final class ListSessions extends TenantList {
      ListSessions() {
        super(
            PATH,
            "cannot list",
            List.of(
                Column.of("id", "id"),
                Column.of("state", "state"),
                Column.of("by", "requested_by"),
                Column.of("as", "subject"),
                Column.of("minutes", "minutes"),
                Column.of("expires", "expires_at"),
                Column.of("reason", "reason")));
      }
    }
  }
}
