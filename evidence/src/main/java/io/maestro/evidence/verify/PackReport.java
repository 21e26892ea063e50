package io.maestro.evidence.verify;

import java.util.List;

/**
 * What verifying a disclosure pack found.
 *
 * @param withheld the withhold paths the pack declares, each with the places it withheld
 * @param failures one line per problem, naming the file; empty when the pack verifies
 */
public record PackReport(
    String run,
    String region,
    boolean empty,
    int files,
    int receipts,
    long checkpointSize,
    List<String> withheld,
    List<String> failures) {
  public PackReport {
    withheld = List.copyOf(withheld);
    failures = List.copyOf(failures);
  }

  public boolean ok() {
    return failures.isEmpty();
  }
}
