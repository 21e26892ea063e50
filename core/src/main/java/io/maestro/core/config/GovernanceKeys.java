package io.maestro.core.config;

import static io.maestro.core.config.KeySpec.key;
import static io.maestro.core.config.KeySpec.number;
import static io.maestro.core.config.KeySpec.path;
import static io.maestro.core.config.KeySpec.seconds;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The governance jobs and evidence: canary rollback, SLOs, retention, residency audits and the
 * release the compliance pack carries.
 */
public final class GovernanceKeys {
  public static final ConfigKey<Duration> ROLLBACK_INTERVAL =
      seconds("governance.rollback.intervalSeconds", "30", 0, 3600)
          .doc(
              "How often the rollback controller checks every canary ramp's error rate (0–3600 s;"
                  + " 0: the controller is off).");
  public static final ConfigKey<BigDecimal> ROLLBACK_ERROR_RATE =
      key("governance.rollback.errorRatePercent", "0.5", ConfigValues::parsePercent)
          .doc(
              "A canary breaches when more than this percentage of its finished runs failed, over"
                  + " both the short and the long window.");
  public static final ConfigKey<Integer> ROLLBACK_MIN_RUNS =
      number("governance.rollback.minRuns", "10", 1, 100_000)
          .doc(
              "Runs of the canary that must have finished in the short window before its error"
                  + " rate is judged (1–100000).");
  public static final ConfigKey<Duration> ROLLBACK_SHORT_WINDOW =
      seconds("governance.rollback.shortWindowSeconds", "300", 10, 86_400)
          .doc("The short window of the error-rate check (10–86400 s).");
  public static final ConfigKey<Duration> ROLLBACK_LONG_WINDOW =
      seconds("governance.rollback.longWindowSeconds", "3600", 10, 604_800)
          .doc(
              "The long window of the error-rate check (10–604800 s; at least the short"
                  + " window).");
  public static final ConfigKey<Integer> ROLLBACK_RECEIPT_BACKLOG =
      number("governance.rollback.receiptBacklogPercent", "80", 0, 100)
          .doc(
              "A canary breaches when its tenant's receipts awaiting a signed checkpoint reach"
                  + " this percentage of the tenant's `maxReceiptBacklog` quota, before the quota"
                  + " refuses its starts (0–100; 0: the backlog is not judged).");
  public static final ConfigKey<Path> SLO_FILE =
      path("governance.slo.file")
          .doc(
              "An SLO file (`kind: SLOSet`) that replaces the SLOs shipped for the edition"
                  + " (`policy.edition`). Empty: the edition's.");
  public static final ConfigKey<Duration> SLO_EVALUATION_INTERVAL =
      seconds("governance.slo.evaluationIntervalSeconds", "60", 1, 3600)
          .doc("How often the `mc_slo_*` gauges are evaluated (1–3600 s).");
  public static final ConfigKey<Duration> RETENTION_INTERVAL =
      seconds("retention.intervalSeconds", "3600", 0, 86_400)
          .doc(
              "How often the retention job removes every tenant's expired data (0–86400 s; 0: the"
                  + " job is off).");
  public static final ConfigKey<Integer> RETENTION_BATCH_SIZE =
      number("retention.batchSize", "500", 1, 10_000)
          .doc(
              "Rows (for runs: runs) the retention job removes per batch and transaction"
                  + " (1–10000).");
  public static final ConfigKey<Integer> RETENTION_MAX_BATCHES =
      number("retention.maxBatches", "100", 1, 100_000)
          .doc("Batches per tenant and data class in one run of the retention job (1–100000).");
  public static final ConfigKey<Integer> RETENTION_MIN_DAYS =
      number("retention.minDays", "", 1, 36_500)
          .doc(
              "The shortest retention rule a tenant may set, in days (1–36500). Empty: the"
                  + " edition's (7 for saas, 1 otherwise).");
  public static final ConfigKey<Integer> RETENTION_MAX_DAYS =
      number("retention.maxDays", "", 0, 36_500)
          .doc(
              "The longest retention rule a tenant may set, in days (0–36500; 0: no maximum)."
                  + " Empty: the edition's (3650 for saas, none otherwise).");
  public static final ConfigKey<Duration> EVIDENCE_RESIDENCY_INTERVAL =
      seconds("evidence.residency.intervalSeconds", "3600", 0, 86_400)
          .doc(
              "How often the residency auditor checks every tenant's runs, stored disclosure packs"
                  + " and receipts against its allowed regions (0–86400 s; 0: the job is off).");
  public static final ConfigKey<Path> EVIDENCE_RELEASE_DIR =
      path("evidence.releaseDir")
          .doc(
              "A release directory (`maestro release sign --out`) whose SBOMs and signed"
                  + " attestations the compliance pack carries. Empty: the directory of the"
                  + " running `maestro.jar`.");

  static final List<ConfigKey<?>> ALL =
      List.of(
          ROLLBACK_INTERVAL,
          ROLLBACK_ERROR_RATE,
          ROLLBACK_MIN_RUNS,
          ROLLBACK_SHORT_WINDOW,
          ROLLBACK_LONG_WINDOW,
          ROLLBACK_RECEIPT_BACKLOG,
          SLO_FILE,
          SLO_EVALUATION_INTERVAL,
          RETENTION_INTERVAL,
          RETENTION_BATCH_SIZE,
          RETENTION_MAX_BATCHES,
          RETENTION_MIN_DAYS,
          RETENTION_MAX_DAYS,
          EVIDENCE_RESIDENCY_INTERVAL,
          EVIDENCE_RELEASE_DIR);

  private GovernanceKeys() {}
}
