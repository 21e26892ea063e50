package io.maestro.cli.brand;

import static io.maestro.cli.client.Paths.enc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.maestro.cli.CommandGroup;
import io.maestro.cli.UserError;
import io.maestro.cli.client.ApiClient;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.client.Output;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code maestro brand}: white-label brand packs (docs/console.md). */
@Command(
    name = "brand",
    mixinStandardHelpOptions = true,
    description = "Save white-label brand packs and give them to tenants (platform roles).",
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro brand apply examples/brand/northwind.yaml --tenant acme",
      "  maestro brand show northwind"
    },
    subcommands = {BrandCommand.Apply.class, BrandCommand.Show.class})
public final class BrandCommand extends CommandGroup {

  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description =
          "Save the brand pack in FILE (YAML or JSON: id, name, product_name, logo, colors, typography);"
              + " with --tenant, show that tenant's console with it from the next page load.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro brand apply northwind.yaml --tenant acme"})
  static final class Apply implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin Output output;

    @Parameters(index = "0", paramLabel = "FILE", description = "The brand pack (YAML or JSON).")
    Path file;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "Give the pack to TENANT.")
    String tenant;

    @Override
    public Integer call() {
      ObjectNode doc = read(file);
      String id = doc.path("id").asText("");
      if (id.isEmpty()) {
        String name = file.getFileName().toString();
        id = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
      }
      doc.remove("id");
      ApiClient client = api.connect();
      JsonNode saved =
          client.call("PUT", "/api/brand-packs/" + enc(id), doc, "cannot save brand pack " + id);
      String packId = id;
      output.one(
          spec.commandLine().getOut(),
          saved,
          out ->
              out.println(
                  "brand pack "
                      + packId
                      + " saved (version "
                      + saved.path("version").asText()
                      + (saved.path("receipt").isTextual()
                          ? ", receipt " + saved.path("receipt").asText()
                          : ", unchanged")
                      + ")"));
      if (tenant != null) {
        JsonNode assigned =
            client.call(
                "PUT",
                "/api/tenants/" + enc(tenant) + "/brand",
                Map.of("pack", id),
                "cannot give brand pack " + id + " to " + tenant);
        output.one(
            spec.commandLine().getOut(),
            assigned,
            out ->
                out.println(
                    "tenant "
                        + tenant
                        + " now shows brand pack "
                        + packId
                        + (assigned.path("receipt").isTextual()
                            ? " (receipt " + assigned.path("receipt").asText() + ")"
                            : " (unchanged)")));
      }
      return 0;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show a brand pack with its colours' contrast ratios.",
      footerHeading = "%nExamples:%n",
      footer = {"  maestro brand show northwind --output json"})
  static final class Show implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ApiOptions api;
    @Mixin Output output;

    @Parameters(index = "0", paramLabel = "ID", description = "The brand pack id.")
    String id;

    @Override
    public Integer call() {
      JsonNode p =
          api.connect().call("GET", "/api/brand-packs/" + enc(id), null, "cannot read " + id);
      output.one(
          spec.commandLine().getOut(),
          p,
          out -> {
            out.println(p.path("id").asText() + ": " + p.path("product_name").asText());
            p.path("colors")
                .properties()
                .forEach(e -> out.println("  " + e.getKey() + " " + e.getValue().asText()));
            p.path("typography")
                .properties()
                .forEach(e -> out.println("  " + e.getKey() + " " + e.getValue().asText()));
            for (JsonNode c : p.path("contrast")) {
              out.println(
                  "  contrast "
                      + c.path("text").asText()
                      + " on "
                      + c.path("background").asText()
                      + ": "
                      + c.path("ratio").asText()
                      + ":1");
            }
          });
      return 0;
    }
  }

  static ObjectNode read(Path file) {
    try {
      String text = Files.readString(file);
      JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(text);
      if (doc == null || !doc.isObject()) {
        throw new UserError(file + " is not a brand pack (a YAML or JSON object)");
      }
      return (ObjectNode) doc;
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage());
    }
  }
}
