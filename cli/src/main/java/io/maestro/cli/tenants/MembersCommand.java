package io.maestro.cli.tenants;

import static io.maestro.cli.client.Paths.enc;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.CommandGroup;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.client.Output;
import io.maestro.cli.client.Output.Column;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code maestro tenants members list|set|remove}: who belongs to a tenant, in which role. */
@Command(
    name = "members",
    mixinStandardHelpOptions = true,
    description = "List, add or change, and remove a tenant's members.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro tenants members list acme",
      "  maestro tenants members set acme ada@acme workflow_author",
      "  maestro tenants members remove acme ada@acme"
    },
    subcommands = {
      MembersCommand.ListMembers.class,
      MembersCommand.Set.class,
      MembersCommand.Remove.class
    })
final class MembersCommand extends CommandGroup {
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List a tenant's members and their roles.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro tenants members list acme"})
  static final class ListMembers implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin Output output;

    @Parameters(paramLabel = "TENANT", description = "The tenant id.")
    String id;

    @Override
    public Integer call() {
      JsonNode page =
          api.connect()
              .call(
                  "GET",
                  "/api/tenants/" + enc(id) + "/members",
                  null,
                  "cannot list members of " + id);
      output.list(
          spec.commandLine().getOut(),
          page.path("items"),
          List.of(Column.of("subject", "subject"), Column.of("role", "role")));
      return 0;
    }
  }

  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description =
          "Make SUBJECT a member with ROLE (tenant_admin, workflow_author, workflow_reviewer,"
              + " operator, read_only), or change its role.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro tenants members set acme ada@acme operator"})
  static final class Set implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin Output output;

    @Parameters(index = "0", paramLabel = "TENANT", description = "The tenant id.")
    String id;

    @Parameters(index = "1", paramLabel = "SUBJECT", description = "The member's subject (sub).")
    String subject;

    @Parameters(index = "2", paramLabel = "ROLE", description = "The tenant role.")
    String role;

    @Override
    public Integer call() {
      JsonNode m =
          api.connect()
              .call(
                  "PUT",
                  "/api/tenants/" + enc(id) + "/members/" + enc(subject),
                  Map.of("role", role),
                  "cannot make " + subject + " a member of " + id);
      output.one(
          spec.commandLine().getOut(),
          m,
          out -> out.println(subject + " is " + m.path("role").asText(role) + " in " + id));
      return 0;
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = "Remove a member.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro tenants members remove acme ada@acme"})
  static final class Remove implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;

    @Parameters(index = "0", paramLabel = "TENANT", description = "The tenant id.")
    String id;

    @Parameters(index = "1", paramLabel = "SUBJECT", description = "The member's subject (sub).")
    String subject;

    @Override
    public Integer call() {
      api.connect()
          .call(
              "DELETE",
              "/api/tenants/" + enc(id) + "/members/" + enc(subject),
              null,
              "cannot remove " + subject + " from " + id);
      spec.commandLine().getOut().println("removed " + subject + " from " + id);
      return 0;
    }
  }
}
