package io.maestro.cli.disclose;

import io.maestro.cli.UserError;
import io.maestro.cli.client.ApiOptions;
import io.maestro.cli.receipts.ReceiptsCommand;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code maestro disclose RUN [--region R] [--withhold PATH…] -o pack.tgz}: downloads the run's
 * disclosure pack ({@code GET /api/runs/{id}/disclosure}) and prints its SHA-256, which is the same
 * every time the same scope is packed.
 */
@Command(
    name = "disclose",
    mixinStandardHelpOptions = true,
    description = {
      "Download a run's disclosure pack: a reproducible, signed .tar.gz with the run, its steps,",
      "decisions, receipts with proofs, the checkpoint and the logs. Verify it offline with",
      "maestro verify PACK --keys keys.json."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro disclose run_0193… -o pack.tgz",
      "  maestro disclose run_0193… --region EU --withhold '$.steps[*].outputs' -o eu.tgz",
      "  maestro keys export -o keys.json && maestro verify eu.tgz --keys keys.json"
    })
public final class DiscloseCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ApiOptions api;

  @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
  String run;

  @Option(
      names = "--region",
      paramLabel = "R",
      description = "Only the artifacts of this region (one of the tenant's regions).")
  String region;

  @Option(
      names = "--withhold",
      paramLabel = "PATH",
      arity = "1..*",
      description =
          "JSONPath of members to replace by salted digests, e.g. '$.steps[*].outputs' or"
              + " '$.inputs'; repeatable. A path matching nothing is an error.")
  List<String> withhold = new ArrayList<>();

  @Option(
      names = {"-o", "--out"},
      required = true,
      paramLabel = "FILE",
      description = "Where to write the pack (.tgz).")
  Path file;

  @Override
  public Integer call() {
    StringBuilder path = new StringBuilder("/api/runs/").append(enc(run)).append("/disclosure");
    char sep = '?';
    if (region != null) {
      path.append(sep).append("region=").append(enc(region));
      sep = '&';
    }
    for (String w : withhold) {
      path.append(sep).append("withhold=").append(enc(w));
      sep = '&';
    }
    ReceiptsCommand.Downloads.to(
        file,
        spec,
        sink -> api.connect().download(path.toString(), sink, "cannot disclose run " + run));
    spec.commandLine().getOut().println("sha256 " + sha256(file) + "  " + file);
    spec.commandLine().getOut().flush();
    return 0;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** The hex SHA-256 of a downloaded file, as the commands that download packs print it. */
  public static String sha256(Path file) {
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
