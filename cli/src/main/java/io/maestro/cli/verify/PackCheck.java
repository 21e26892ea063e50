package io.maestro.cli.verify;

import io.maestro.cli.UserError;
import io.maestro.evidence.verify.PackReport;
import io.maestro.evidence.verify.PackVerifier;
import io.maestro.provenance.keys.TrustedKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code maestro verify pack.tgz}: a disclosure pack, checked offline by the evidence module's
 * verifier. Prints what holds and every withheld path; on failure one line per problem, each naming
 * its file, and exit status 1.
 */
final class PackCheck {
  private PackCheck() {}

  /** True for a gzip file (a pack), by its magic bytes. */
  static boolean isGzip(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage());
    }
  }

  /** Prints each failure on its own line and exits 1 with the first. */
  static void fail(java.util.List<String> failures, PrintWriter err) {
    failures.forEach(f -> err.println("  " + f));
    err.flush();
    throw new UserError(
        "verification FAILED — "
            + failures.get(0)
            + (failures.size() > 1
                ? " (and " + (failures.size() - 1) + " more, listed above)"
                : ""),
        1);
  }

  static void verify(Path file, TrustedKeys keys, PrintWriter out, PrintWriter err) {
    PackReport r;
    try (InputStream in = Files.newInputStream(file)) {
      r = PackVerifier.verify(in, keys);
    } catch (IOException e) {
      throw new UserError("cannot read " + file + " as a disclosure pack: " + e.getMessage(), 1);
    }
    for (String w : r.withheld()) {
      out.println("withheld " + w);
    }
    if (!r.ok()) {
      out.flush();
      fail(r.failures(), err);
    }
    out.printf(
        "OK disclosure pack of run %s%s: %d files match the signed manifest, %d receipt(s) proven"
            + " under the checkpoint of size %d%s%n",
        r.run(),
        r.region().isEmpty() ? "" : " (region " + r.region() + ")",
        r.files(),
        r.receipts(),
        r.checkpointSize(),
        r.empty() ? "; empty: the run has no artifacts in this region" : "");
  }
}
