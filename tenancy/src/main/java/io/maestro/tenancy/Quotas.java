package io.maestro.tenancy;

/**
 * A tenant's limits. Each is enforced per tenant, never globally, so a noisy tenant exhausts only
 * its own capacity.
 *
 * @param maxConcurrentRuns runs that may be active at once
 * @param maxStepsPerMinute step starts in any sliding minute (the quota pack's unit)
 * @param maxReceiptBacklog receipts not yet covered by a signed checkpoint
 * @param maxStorageBytes bytes of step output (as JSON) the tenant's runs may store
 */
public record Quotas(
    int maxConcurrentRuns, int maxStepsPerMinute, int maxReceiptBacklog, long maxStorageBytes) {
  /** The storage quota of a tenant provisioned without one: 1 GiB. */
  public static final long BASELINE_STORAGE_BYTES = 1L << 30;

  /** What a new tenant gets unless the provisioning request says otherwise. */
  public static final Quotas BASELINE = new Quotas(25, 600, 10_000, BASELINE_STORAGE_BYTES);

  public Quotas {
    if (maxConcurrentRuns < 0
        || maxStepsPerMinute < 0
        || maxReceiptBacklog < 0
        || maxStorageBytes < 0) {
      throw new IllegalArgumentException("quotas must not be negative");
    }
  }

  /** Quotas with the baseline storage quota. */
  public Quotas(int maxConcurrentRuns, int maxStepsPerMinute, int maxReceiptBacklog) {
    this(maxConcurrentRuns, maxStepsPerMinute, maxReceiptBacklog, BASELINE_STORAGE_BYTES);
  }
}
