package io.maestro.cli.compliance;

import io.maestro.cli.UserError;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.disclose.DiscloseCommand;
import io.maestro.cli.receipts.ReceiptsCommand;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
 * {@code maestro compliance bundle --from T --to T -o bundle.tgz}: downloads the tenant's
 * compliance bundle ({@code GET /api/compliance/bundle}) and prints its SHA-256, the same every
 * time for a window that has ended.
 */
@Command(
    name = "bundle",
    mixinStandardHelpOptions = true,
    description = {
      "Download the tenant's compliance bundle over [from, to): access log, admin changes with",
      "diffs, policy revisions and profiles, decisions, receipts with proofs, drills, checkpoints",
      "and an index; signed. Verify it with maestro compliance verify."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro compliance bundle --from 2026-10-01T00:00:00Z --to 2027-01-01T00:00:00Z -o q4.tgz",
      "  maestro compliance verify q4.tgz --keys keys.json"
    })
public final class ComplianceBundleCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ApiOptions api;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "TIME",
      description = "Start of the window, included (RFC 3339).")
  String from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "TIME",
      description = "End of the window, excluded (RFC 3339).")
  String to;

  @Option(
      names = {"-o", "--out"},
      required = true,
      paramLabel = "FILE",
      description = "Where to write the bundle (.tgz).")
  Path file;

  @Override
  public Integer call() {
    Instant f = time("--from", from);
    Instant t = time("--to", to);
    if (!f.isBefore(t)) {
      throw new UserError("--from " + from + " must be before --to " + to, 2);
    }
    String path =
        "/api/compliance/bundle?from="
            + URLEncoder.encode(f.toString(), StandardCharsets.UTF_8)
            + "&to="
            + URLEncoder.encode(t.toString(), StandardCharsets.UTF_8);
    ReceiptsCommand.Downloads.to(
        file, spec, sink -> api.connect().download(path, sink, "cannot make the bundle"));
    spec.commandLine().getOut().println("sha256 " + DiscloseCommand.sha256(file) + "  " + file);
    spec.commandLine().getOut().flush();
    return 0;
  }

  private static Instant time(String option, String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new UserError(
          option + " " + value + " is not an RFC 3339 time such as 2026-10-01T00:00:00Z", 2);
    }
  }
}
