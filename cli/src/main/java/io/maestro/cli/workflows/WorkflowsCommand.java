package io.maestro.cli.workflows;

import static io.maestro.cli.client.Paths.enc;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.CliFiles;
import io.maestro.cli.CommandGroup;
import io.maestro.cli.client.ApiClient;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.client.ClientCalls;
import io.maestro.cli.client.ListCommand;
import io.maestro.cli.client.Output;
import io.maestro.cli.client.Output.Column;
import io.maestro.cli.client.Refusals;
import io.maestro.cli.packages.PackageFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code maestro workflows …}: the tenant's workflows, their versions and publishing. */
@Command(
    name = "workflows",
    aliases = "workflow",
    mixinStandardHelpOptions = true,
    description = "List, show and publish workflows; package, sign and verify workflow packages.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro workflows list",
      "  maestro workflows show hello@1",
      "  maestro workflows publish examples/hello.yaml",
      "  maestro workflows package examples/golden/approval -o approval.tgz",
      "  maestro workflows sign approval.tgz --key ~/.maestro/publisher",
      "  maestro workflows publish approval.tgz"
    },
    subcommands = {
      WorkflowsCommand.ListWorkflows.class,
      WorkflowsCommand.Show.class,
      WorkflowsCommand.Publish.class,
      WorkflowsCommand.Package.class,
      PackageFiles.Sign.class,
      PackageFiles.Verify.class
    })
public final class WorkflowsCommand extends CommandGroup {
  /** {@code maestro workflows package}: the earlier name of {@code maestro package build}. */
  @Command(
      name = "package",
      description =
          "Package the workflow manifests and every other file under DIR, with provenance (the"
              + " same as `maestro package build`).",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro workflows package examples/golden/approval -o approval.tgz"})
  static final class Package extends PackageFiles.Build {}

  /** {@code maestro workflows list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the workflows with their active (latest published) version.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro workflows list", "  maestro workflows list --output json"})
  static final class ListWorkflows extends ListCommand {
    ListWorkflows() {
      super(
          List.of(
              Column.of("name", "name"),
              Column.of("active", "activeVersion"),
              new Column("versions", w -> Integer.toString(w.path("versions").size()))));
    }

    @Override
    protected JsonNode fetch() {
      return api.client().call(c -> c.workflows(), "/api/workflows", "cannot list workflows");
    }
  }

  /** {@code maestro workflows show NAME[@VERSION]}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show a workflow's versions, or one version with its source.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro workflows show hello", "  maestro workflows show hello@1 --output yaml"})
  static final class Show implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin Output output;

    @Parameters(paramLabel = "NAME[@VERSION]", description = "The workflow, optionally a version.")
    String ref;

    @Override
    public Integer call() {
      ClientCalls client = api.client();
      PrintWriter out = spec.commandLine().getOut();
      int at = ref.lastIndexOf('@');
      if (at > 0) {
        String name = ref.substring(0, at);
        String version = ref.substring(at + 1);
        JsonNode v =
            client.call(
                c -> c.workflowVersion(name, version),
                "/api/workflows/" + enc(name) + "/versions/" + enc(version),
                "cannot read " + ref);
        output.one(
            out,
            v,
            o -> {
              o.println(ref + "  " + v.path("status").asText() + "  " + v.path("digest").asText());
              o.println(
                  "created "
                      + v.path("createdAt").asText()
                      + " by "
                      + v.path("createdBy").asText());
              if (v.hasNonNull("publishedAt")) {
                o.println(
                    "published "
                        + v.path("publishedAt").asText()
                        + " by "
                        + v.path("publishedBy").asText());
              }
              o.println();
              o.print(v.path("source").asText());
            });
        return 0;
      }
      JsonNode w =
          client.call(c -> c.workflow(ref), "/api/workflows/" + enc(ref), "cannot read " + ref);
      output.one(
          out,
          w,
          o -> {
            o.println(ref + "  active version " + Output.text(w.path("activeVersion")));
            new Output()
                .list(
                    o,
                    w.path("versions"),
                    List.of(
                        Column.of("version", "version"),
                        Column.of("status", "status"),
                        Column.of("digest", "digest"),
                        Column.of("created", "createdAt")));
          });
      return 0;
    }
  }

  /** {@code maestro workflows publish FILE|PKG}. */
  @Command(
      name = "publish",
      mixinStandardHelpOptions = true,
      description =
          "Save and publish the manifest's version (published versions never change), or publish"
              + " every workflow of a package (.tgz), which the server checks and the policy"
              + " decides on.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  maestro workflows publish examples/hello.yaml",
        "  maestro workflows publish approval.tgz"
      })
  static final class Publish implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;

    @Parameters(paramLabel = "FILE", description = "The manifest (YAML or JSON) or a package.")
    Path file;

    @Override
    public Integer call() {
      if (PackageFiles.isPackage(file)) {
        return publishPackage();
      }
      String text = CliFiles.read(file);
      Publisher.Ref ref = Publisher.ref(text);
      JsonNode v =
          Publisher.ensurePublished(
              api.connect(),
              ref,
              text,
              file.toString().endsWith(".json"),
              spec.commandLine().getErr());
      spec.commandLine()
          .getOut()
          .println(ref + " is published (" + v.path("digest").asText() + ")");
      return 0;
    }

    private int publishPackage() {
      byte[] bytes;
      try {
        bytes = java.nio.file.Files.readAllBytes(file);
      } catch (java.io.IOException e) {
        throw new io.maestro.cli.UserError("cannot read " + file + ": " + e.getMessage());
      }
      ApiClient.Reply r =
          api.connect().send("POST", "/api/workflows/packages", bytes, "application/gzip");
      if (!r.ok()) {
        throw new io.maestro.cli.UserError(
            "cannot publish " + file + ": " + r.problem() + Refusals.reasonLines(r.body()));
      }
      PrintWriter out = spec.commandLine().getOut();
      String signer = r.body().path("signer").isTextual() ? r.body().path("signer").asText() : null;
      for (JsonNode v : r.body().path("workflows")) {
        out.println(
            v.path("name").asText()
                + "@"
                + v.path("version").asText()
                + " is published ("
                + v.path("digest").asText()
                + ") from package "
                + r.body().path("digest").asText()
                + (signer == null ? ", unsigned" : ", signed by " + signer));
      }
      return 0;
    }
  }
}
