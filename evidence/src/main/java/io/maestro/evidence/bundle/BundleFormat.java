package io.maestro.evidence.bundle;

/** The names of a compliance bundle's files, its format id and its statement's types. */
public final class BundleFormat {
  /** {@code scope.json}'s {@code format}. */
  public static final String FORMAT = "maestro.compliance-bundle.v1";

  /** The predicate type of the signed in-toto Statement over the bundle's files. */
  public static final String PREDICATE_TYPE =
      "https://maestro.io/attestations/compliance-bundle/v1";

  public static final String SCOPE = "scope.json";
  public static final String STATEMENT = "statement.dsse.json";
  public static final String INDEX = "index.json";
  public static final String ACCESS_LOG = "access/log.ndjson";
  public static final String ADMIN_CHANGES = "admin/changes.ndjson";
  public static final String POLICY_BUNDLES = "policy/bundles.json";
  public static final String PROFILES = "policy/profiles.json";
  public static final String RECEIPTS = "receipts/";
  public static final String DRILLS = "drills/";
  public static final String DECISIONS = "decisions/";
  public static final String TENANT_CHECKPOINT = "checkpoints/tenant.note";
  public static final String PLATFORM_CHECKPOINT = "checkpoints/platform.note";

  private BundleFormat() {}

  /** The file of the tenant log's receipt {@code seq}. */
  public static String receipt(long seq) {
    return RECEIPTS + String.format("%012d.json", seq);
  }

  /** The file of the platform log's drill receipt {@code seq}. */
  public static String drill(long seq) {
    return DRILLS + String.format("%012d.json", seq);
  }

  /** The file of a decision bound to a receipt. */
  public static String decision(String id) {
    return DECISIONS + id.replaceAll("[^A-Za-z0-9._-]", "_") + ".json";
  }
}
