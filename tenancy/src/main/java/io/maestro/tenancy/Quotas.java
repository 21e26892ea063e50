package io.maestro.tenancy;

/**
 * A tenant's limits. Each is enforced per tenant, never globally, so a noisy tenant exhausts only
 * its own capacity.
 *
 * @param maxConcurrentRuns runs that may be active at once
 * @param maxStepsPerMinute step starts in any sliding minute (the quota pack's unit)
 * @param maxReceiptBacklog receipts not yet covered by a signed checkpoint
 * @param maxStorageBytes bytes of step output (as JSON) the tenant's runs may store
 * @param sandbox the tenant's own ceilings on what its {@code core/exec} steps may ask for
 */
public record Quotas(
    int maxConcurrentRuns,
    int maxStepsPerMinute,
    int maxReceiptBacklog,
    long maxStorageBytes,
    SandboxQuota sandbox) {
  /**
   * A tenant's sandbox ceilings; 0 means none of its own (the platform's apply).
   *
   * @param maxMemoryBytes the largest {@code memory} its steps may ask for
   * @param maxCpuSeconds the largest {@code cpuSeconds}
   * @param maxProcesses the largest {@code processes}
   */
  public record SandboxQuota(long maxMemoryBytes, long maxCpuSeconds, long maxProcesses) {
    public static final SandboxQuota NONE = new SandboxQuota(0, 0, 0);

    public SandboxQuota {
      if (maxMemoryBytes < 0 || maxCpuSeconds < 0 || maxProcesses < 0) {
        throw new IllegalArgumentException("quotas must not be negative");
      }
    }

    public boolean isNone() {
      return equals(NONE);
    }
  }

  /** Quotas without sandbox ceilings of the tenant's own. */
  public Quotas(
      int maxConcurrentRuns, int maxStepsPerMinute, int maxReceiptBacklog, long maxStorageBytes) {
    this(
        maxConcurrentRuns,
        maxStepsPerMinute,
        maxReceiptBacklog,
        maxStorageBytes,
        SandboxQuota.NONE);
  }

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
    java.util.Objects.requireNonNull(sandbox, "sandbox");
  }

  /** Quotas with the baseline storage quota. */
  public Quotas(int maxConcurrentRuns, int maxStepsPerMinute, int maxReceiptBacklog) {
    this(maxConcurrentRuns, maxStepsPerMinute, maxReceiptBacklog, BASELINE_STORAGE_BYTES);
  }
}
