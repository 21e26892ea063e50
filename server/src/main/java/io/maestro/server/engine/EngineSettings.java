package io.maestro.server.engine;

import io.maestro.core.config.MaestroConfig;
import io.maestro.engine.OutputLimits;
import io.maestro.engine.sandbox.SandboxAvailability;
import io.maestro.engine.sandbox.SandboxCeilings;
import io.maestro.engine.sandbox.SandboxConfig;
import io.maestro.engine.task.builtin.HttpSettings;
import io.maestro.engine.worker.WorkerSettings;
import java.util.Optional;

/** The engine's settings as the {@code engine.*} and {@code sandbox.*} keys configure them. */
public final class EngineSettings {
  private EngineSettings() {}

  /** The worker pool. */
  public static WorkerSettings workers(MaestroConfig.Engine config) {
    return WorkerSettings.defaults()
        .withConcurrency(config.workers())
        .withLease(config.lease())
        .withPoll(config.poll());
  }

  /** {@code core/http}'s egress ({@code engine.http.*}). */
  public static HttpSettings http(MaestroConfig.Engine config) {
    return new HttpSettings(
        config.httpAllowedHosts(),
        config.httpMaxResponseBytes(),
        HttpSettings.denyAll().defaultTimeout());
  }

  /**
   * The sandbox; its state lives under the system temp directory, which the unprivileged sandbox
   * user can reach (a private data directory may not be). {@code maestro doctor} probes with the
   * same configuration ({@link SandboxAvailability#probe}).
   */
  public static SandboxConfig sandbox(MaestroConfig config) {
    MaestroConfig.Sandbox s = config.sandbox();
    SandboxConfig c =
        SandboxConfig.defaults()
            .withExtraSyscalls(s.seccompAllow())
            .withAppArmorProfile(
                s.apparmorProfile().isEmpty()
                    ? Optional.empty()
                    : Optional.of(s.apparmorProfile()));
    return s.bwrap().map(c::withBwrap).orElse(c);
  }

  /** The platform's sandbox ceilings, which no tenant can raise. */
  public static SandboxCeilings platformCeilings(MaestroConfig.Limits limits) {
    return new SandboxCeilings(
        limits.sandboxMaxMemoryBytes(),
        limits.sandboxMaxCpuSeconds(),
        limits.sandboxMaxProcesses());
  }

  /** Output caps, with each tenant's storage quota. */
  public static OutputLimits outputLimits(
      MaestroConfig.Limits limits, OutputLimits.StorageQuota tenantStorage) {
    return new OutputLimits(
        limits.maxStepOutputBytes(),
        limits.maxRunOutputBytes(),
        limits.maxExpressionResultBytes(),
        tenantStorage);
  }
}
