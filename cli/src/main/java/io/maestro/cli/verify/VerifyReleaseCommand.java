package io.maestro.cli.verify;

import io.maestro.provenance.release.ReleaseVerifier;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code maestro verify release DIR --keys JWKS}: the release gate. Checks the signed layout, each
 * step's attestation (signature by the step's functionaries), every file's SHA-256, the layout's
 * artifact rules, the build provenance and the SBOMs; exit 1 names the first check that failed.
 */
@Command(
    name = "release",
    mixinStandardHelpOptions = true,
    description = {
      "Verify a release directory made by maestro release sign: signatures, digests, SBOMs and the"
          + " in-toto layout (docs/supply-chain.md).",
      "",
      "Exit status: 0 verified, 1 not (the line names the failed check: signature, digest, layout,"
          + " provenance, sbom, image, format), 2 usage error."
    },
    footerHeading = "%nExamples:%n",
    footer = {"  maestro verify release dist/release --keys release-keys.json"})
public final class VerifyReleaseCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The release directory.")
  Path dir;

  @Option(
      names = "--keys",
      required = true,
      paramLabel = "JWKS",
      description = "The trusted release public keys (JWKS, from maestro release keygen).")
  Path keys;

  @Override
  public Integer call() {
    ReleaseVerifier.Report r = ReleaseGate.verify(dir, keys);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "OK release %s: %d files attested, %d layout steps, source commit %s, builder %s, %d"
            + " materials, SBOM components %s, %s, signed by %s%n",
        dir,
        r.artifacts(),
        r.steps(),
        r.commit(),
        r.builder(),
        r.materials(),
        r.sbomComponents(),
        r.imageDigest().map(d -> "image " + d).orElse("no image"),
        String.join(", ", r.signers()));
    out.flush();
    return 0;
  }
}
