package io.maestro.evidence.verify;

import java.util.List;

/**
 * What verifying a compliance bundle established.
 *
 * @param failures one line per problem, each naming its file; empty when the bundle verifies
 */
public record BundleReport(
    String tenant, String from, String to, int files, int receipts, List<String> failures) {
  public BundleReport {
    failures = List.copyOf(failures);
  }

  public boolean ok() {
    return failures.isEmpty();
  }
}
