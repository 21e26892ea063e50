package io.maestro.evidence.compliance;

/** The names of the Conductor Compliance Pack's files, its format id, tag and statement type. */
public final class CompliancePackFormat {
  /** {@code index.json}'s {@code format}. */
  public static final String FORMAT = "maestro.compliance-pack.v1";

  /** The tag every pack carries (index and signed statement). */
  public static final String TAG = "Conductor Compliance";

  /** The predicate type of the signed in-toto Statement over the pack's files. */
  public static final String PREDICATE_TYPE = "https://maestro.io/attestations/compliance-pack/v1";

  public static final String INDEX = "index.json";
  public static final String STATEMENT = "statement.dsse.json";
  public static final String POLICY_BUNDLE = "policy/bundle.tar.gz";
  public static final String POLICY_FACTS = "policy/bundle.json";
  public static final String POLICY_KEY = "policy/bundle.pub.pem";
  public static final String PROFILE_LOCK = "policy/profiles.lock";
  public static final String TENANT_PROFILE = "policy/tenant.json";
  public static final String RELEASE = "release/";
  public static final String SLO_REPORT = "slo/report.json";
  public static final String INCIDENTS = "incidents/";
  public static final String DRILLS = "drills/";
  public static final String PLATFORM_CHECKPOINT = "checkpoints/platform.note";
  public static final String ISOLATION_REPORT = "isolation/report.md";

  /** Section ids, in the index's order. */
  public static final String POLICY = "policy";

  public static final String SBOM = "sbom_and_attestation";
  public static final String SLO = "slo_report";
  public static final String INCIDENT_TIMELINES = "incident_timelines";
  public static final String DRILL_REPORTS = "drill_reports";
  public static final String ISOLATION = "isolation_report";

  private CompliancePackFormat() {}

  /** The file of the platform log's drill receipt {@code seq}. */
  public static String drill(long seq) {
    return DRILLS + String.format("%012d.json", seq);
  }

  /** The file of one incident and its timeline. */
  public static String incident(String id) {
    return INCIDENTS + id.replaceAll("[^A-Za-z0-9._-]", "_") + ".json";
  }
}
