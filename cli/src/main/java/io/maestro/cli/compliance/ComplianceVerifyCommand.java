package io.maestro.cli.compliance;

import io.maestro.cli.UserError;
import io.maestro.cli.verify.BundleCheck;
import io.maestro.core.json.Json;
import io.maestro.provenance.keys.TrustedKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code maestro compliance verify FILE --keys keys.json}: a compliance bundle or a Conductor
 * Compliance Pack, checked offline.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verify a compliance bundle or compliance pack offline: the signed statement, every file's",
      "SHA-256 (a changed, removed or added file is named) and every receipt's proof.",
      "Exit 0 verified, 1 not."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  maestro keys export -o keys.json",
      "  maestro compliance verify q4.tgz --keys keys.json"
    })
public final class ComplianceVerifyCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "BUNDLE",
      description = "The compliance bundle or pack (.tgz).")
  Path file;

  @Option(
      names = "--keys",
      required = true,
      paramLabel = "JWKS",
      description = "The trusted public keys (maestro keys export).")
  Path keys;

  @Override
  public Integer call() {
    TrustedKeys trusted;
    try {
      trusted = TrustedKeys.fromJwks(Json.MAPPER.readTree(keys.toFile()));
    } catch (IOException | IllegalArgumentException e) {
      throw new UserError("the keys file is not a usable JWKS: " + e.getMessage());
    }
    BundleCheck.verifyEither(
        file, trusted, spec.commandLine().getOut(), spec.commandLine().getErr());
    return 0;
  }
}
