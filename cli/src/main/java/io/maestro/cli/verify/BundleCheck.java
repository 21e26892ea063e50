package io.maestro.cli.verify;

import io.maestro.cli.UserError;
import io.maestro.evidence.verify.BundleFiles;
import io.maestro.evidence.verify.BundleReport;
import io.maestro.evidence.verify.BundleVerifier;
import io.maestro.evidence.verify.CompliancePackReport;
import io.maestro.evidence.verify.CompliancePackVerifier;
import io.maestro.provenance.keys.TrustedKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code maestro verify bundle.tgz} (and {@code maestro compliance verify}): a compliance bundle or
 * a Conductor Compliance Pack, checked offline by the evidence module's verifier; on failure one
 * line per problem, each naming its file, and exit status 1.
 */
public final class BundleCheck {
  private BundleCheck() {}

  /** Reads {@code file} as a .tar.gz; null when it is not one. */
  static BundleFiles read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return BundleFiles.read(in);
    } catch (IOException e) {
      throw new UserError("cannot read " + file + " as a .tar.gz: " + e.getMessage(), 1);
    }
  }

  /** Whether the archive is a compliance bundle (rather than a disclosure pack). */
  static boolean isBundle(Path file) {
    return BundleVerifier.isBundle(read(file));
  }

  /** Whether the archive is a Conductor Compliance Pack. */
  static boolean isCompliancePack(Path file) {
    return CompliancePackVerifier.isCompliancePack(read(file));
  }

  /** Verifies a compliance bundle or a compliance pack, whichever {@code file} is. */
  public static void verifyEither(Path file, TrustedKeys keys, PrintWriter out, PrintWriter err) {
    if (isCompliancePack(file)) {
      verifyPack(file, keys, out, err);
    } else {
      verify(file, keys, out, err);
    }
  }

  /** A Conductor Compliance Pack: prints each section's status, then what holds. */
  public static void verifyPack(Path file, TrustedKeys keys, PrintWriter out, PrintWriter err) {
    CompliancePackReport r;
    try {
      r = CompliancePackVerifier.verify(read(file), keys);
    } catch (IOException | RuntimeException e) {
      throw new UserError("cannot read " + file + " as a compliance pack: " + e.getMessage(), 1);
    }
    r.sections().forEach(s -> out.println("  " + s));
    if (!r.ok()) {
      out.flush();
      PackCheck.fail(r.failures(), err);
    }
    out.printf(
        "OK %s pack of tenant %s as of %s: %d files match the signed statement, %d drill"
            + " receipt(s) proven under the platform checkpoint%n",
        r.tag(), r.tenant(), r.at(), r.files(), r.drills());
    out.flush();
  }

  public static void verify(Path file, TrustedKeys keys, PrintWriter out, PrintWriter err) {
    BundleReport r;
    try {
      r = BundleVerifier.verify(read(file), keys);
    } catch (IOException | RuntimeException e) {
      throw new UserError("cannot read " + file + " as a compliance bundle: " + e.getMessage(), 1);
    }
    if (!r.ok()) {
      PackCheck.fail(r.failures(), err);
    }
    out.printf(
        "OK compliance bundle of tenant %s from %s to %s: %d files match the signed statement,"
            + " %d receipt(s) proven under their checkpoints%n",
        r.tenant(), r.from(), r.to(), r.files(), r.receipts());
    out.flush();
  }
}
