package io.maestro.evidence.verify;

import java.util.List;

/**
 * What verifying a Conductor Compliance Pack established.
 *
 * @param sections each section's id and status ({@code included}, {@code none}, {@code absent} with
 *     its reason), as the index says
 * @param failures one line per problem, each naming its file; empty when the pack verifies
 */
public record CompliancePackReport(
    String tenant,
    String at,
    String tag,
    int files,
    int drills,
    List<String> sections,
    List<String> failures) {
  public CompliancePackReport {
    sections = List.copyOf(sections);
    failures = List.copyOf(failures);
  }

  public boolean ok() {
    return failures.isEmpty();
  }
}
