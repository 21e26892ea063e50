package io.maestro.evidence.residency;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One residency violation: an artifact tagged with a region outside its tenant's allowed regions.
 * The artifact is named by {@code kind} and {@code ref}; one artifact tagged with two disallowed
 * regions is two findings.
 *
 * @param kind {@link #RUN}, {@link #EXPORT} or {@link #RECEIPT} (the metric's bounded label)
 * @param ref the run id, export id or receipt id
 * @param subject what the artifact is about, e.g. {@code run:run_0193…}
 * @param detail one human sentence on what carries the tag
 * @param receiptId the {@code residency.violation} receipt recorded when it was first found
 * @param fresh whether this audit found it for the first time (and recorded the receipt)
 */
public record Finding(
    String kind,
    String ref,
    String region,
    String subject,
    String detail,
    String receiptId,
    Instant firstSeen,
    Instant lastSeen,
    Optional<Instant> resolvedAt,
    boolean fresh) {
  public static final String RUN = "run";
  public static final String EXPORT = "export";
  public static final String RECEIPT = "receipt";

  public Finding {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(resolvedAt, "resolvedAt");
  }

  /** The identity of a finding across audits. */
  public Key key() {
    return new Key(kind, ref, region);
  }

  /** A finding's identity: the same artifact and region is the same finding. */
  public record Key(String kind, String ref, String region) {}
}
