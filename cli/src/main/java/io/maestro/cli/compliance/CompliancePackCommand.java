package io.maestro.cli.compliance;

import io.maestro.cli.UserError;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.disclose.DiscloseCommand;
import io.maestro.cli.receipts.ReceiptsCommand;
import io.maestro.core.json.Json;
import io.maestro.evidence.compliance.CompliancePackFormat;
import io.maestro.evidence.verify.BundleFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code maestro compliance pack [--at T] -o pack.tgz}: downloads the tenant's Conductor Compliance
 * Pack ({@code GET /api/compliance/pack}) and prints its SHA-256, the instant it was made as of and
 * what each section holds; the same {@code --at} gives the same bytes.
 */
@Command(
    name = "pack",
    mixinStandardHelpOptions = true,
    description = {
      "Download the Conductor Compliance Pack: the policy snapshot (signed bundle, profile lock),",
      "SBOM and build attestation, SLO report, incident timelines, drill reports and the isolation",
      "report, as of an instant; signed. Verify it with maestro compliance verify."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro compliance pack -o pack.tgz",
      "  maestro compliance pack --at 2026-12-01T00:00:00Z -o pack.tgz   (the same bytes again)",
      "  maestro compliance verify pack.tgz --keys keys.json"
    })
public final class CompliancePackCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ApiOptions api;

  @Option(
      names = "--at",
      paramLabel = "TIME",
      description =
          "The instant the pack is made as of (RFC 3339, not in the future; default now).")
  String at;

  @Option(
      names = {"-o", "--out"},
      required = true,
      paramLabel = "FILE",
      description = "Where to write the pack (.tgz).")
  Path file;

  @Override
  public Integer call() {
    String path = "/api/compliance/pack";
    if (at != null) {
      try {
        path += "?at=" + URLEncoder.encode(Instant.parse(at).toString(), StandardCharsets.UTF_8);
      } catch (DateTimeParseException e) {
        throw new UserError(
            "--at " + at + " is not an RFC 3339 time such as 2026-12-01T00:00:00Z", 2);
      }
    }
    String p = path;
    ReceiptsCommand.Downloads.to(
        file, spec, sink -> api.connect().download(p, sink, "cannot make the compliance pack"));
    var out = spec.commandLine().getOut();
    out.println("sha256 " + DiscloseCommand.sha256(file) + "  " + file);
    try (InputStream in = Files.newInputStream(file)) {
      var index =
          Json.MAPPER.readTree(BundleFiles.read(in).files().get(CompliancePackFormat.INDEX));
      out.println(
          index.path("tag").asText()
              + " pack of tenant "
              + index.path("tenant").asText()
              + " as of "
              + index.path("at").asText()
              + " (--at "
              + index.path("at").asText()
              + " makes the same pack again)");
      for (var s : index.path("sections")) {
        out.println(
            "  "
                + s.path("id").asText()
                + ": "
                + s.path("status").asText()
                + (s.has("summary") ? " — " + s.path("summary").asText() : "")
                + (s.has("reason") ? " — " + s.path("reason").asText() : ""));
      }
    } catch (IOException | RuntimeException e) {
      throw new UserError("the server's answer is not a compliance pack: " + e.getMessage(), 1);
    }
    out.flush();
    return 0;
  }
}
