package io.maestro.evidence.pack;

/** The names of a disclosure pack's fixed files and its format id. */
public final class PackFormat {
  /** The manifest's {@code format}. */
  public static final String FORMAT = "maestro.disclosure.v1";

  public static final String MANIFEST = "manifest.json";
  public static final String SIGNATURE = "manifest.dsse.json";
  public static final String CHECKPOINT = "checkpoint.note";
  public static final String RUN = "run.json";
  public static final String WORKFLOW_MANIFEST = "workflow/manifest.yaml";
  public static final String WORKFLOW_DIGEST = "workflow/digest.json";
  public static final String RECEIPTS = "receipts/";
  public static final String DECISIONS = "decisions/";
  public static final String STEPS = "steps/";
  public static final String LOGS = "logs/";

  /** The DSSE payload type of the signed manifest. */
  public static final String PAYLOAD_TYPE = "application/vnd.maestro.disclosure-manifest+json";

  /** The log directory of the engine's run-level lines (no step). */
  public static final String RUN_LOG_DIR = "_run";

  private PackFormat() {}

  /** The receipt file of log position {@code seq}. */
  public static String receipt(long seq) {
    return RECEIPTS + String.format("%012d.json", seq);
  }

  /** The file of the step at {@code index} (manifest order). */
  public static String step(int index) {
    return STEPS + String.format("%04d.json", index);
  }

  /** A log chunk of a step (or of {@link #RUN_LOG_DIR}), numbered from 1. */
  public static String logChunk(String dir, int chunk) {
    return LOGS + dir + "/" + String.format("%04d.ndjson", chunk);
  }

  /** A step id as a directory name: characters outside [A-Za-z0-9._-] become '_'. */
  public static String logDir(String stepId) {
    String d = stepId.replaceAll("[^A-Za-z0-9._-]", "_");
    return d.startsWith(".") || d.isEmpty() ? "_" + d : d;
  }
}
