package io.maestro.cli.compliance;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.UserError;
import io.maestro.cli.client.ApiOptions;
import io.maestro.core.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code maestro compliance controls [--oscal -o DIR]}: each control's live status, or the OSCAL
 * component definition and assessment results written to a directory.
 */
@Command(
    name = "controls",
    mixinStandardHelpOptions = true,
    description = {
      "Each control of the catalog with its status from the tenant's receipts (met, partial,",
      "no_evidence); with --oscal, the OSCAL 1.1.2 component-definition.json and",
      "assessment-results.json written to the -o directory."
    },
    footerHeading = "%nExamples:%n",
    footer = {"  maestro compliance controls", "  maestro compliance controls --oscal -o oscal/"})
public final class ComplianceControlsCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ApiOptions api;

  @Option(names = "--oscal", description = "Write the OSCAL documents instead of a table.")
  boolean oscal;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "DIR",
      description = "The directory for the OSCAL documents (with --oscal).")
  Path out;

  @Override
  public Integer call() {
    PrintWriter w = spec.commandLine().getOut();
    if (!oscal) {
      JsonNode list =
          api.connect().call("GET", "/api/compliance/controls", null, "cannot read the controls");
      for (JsonNode c : list.path("controls")) {
        w.printf(
            "%-24s %-12s %s%n",
            c.path("id").asText(), c.path("status").asText(), c.path("title").asText());
      }
      w.flush();
      return 0;
    }
    if (out == null) {
      throw new UserError("--oscal needs -o DIR", 2);
    }
    try {
      Files.createDirectories(out);
      for (String model : new String[] {"component-definition", "assessment-results"}) {
        JsonNode doc =
            api.connect()
                .call("GET", "/api/compliance/oscal/" + model, null, "cannot export " + model);
        Path file = out.resolve(model + ".json");
        Files.write(file, Json.PRETTY.writeValueAsBytes(doc));
        w.println("wrote " + file);
      }
    } catch (IOException e) {
      throw new UserError("cannot write to " + out + ": " + e.getMessage());
    }
    w.flush();
    return 0;
  }
}
