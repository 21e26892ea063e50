package io.maestro.core.config;

import static io.maestro.core.config.KeySpec.bytes;
import static io.maestro.core.config.KeySpec.key;
import static io.maestro.core.config.KeySpec.millis;
import static io.maestro.core.config.KeySpec.number;
import static io.maestro.core.config.KeySpec.path;
import static io.maestro.core.config.KeySpec.seconds;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Running workflows: the worker pool, the limits of manifests, outputs and `core/http`, the
 * `core/exec` sandbox, and what starts runs (schedules, webhook triggers).
 */
public final class EngineKeys {
  public static final ConfigKey<Integer> WORKERS =
      number("engine.workers", "64", 1, 10_000)
          .doc("Step attempts this server runs at once, each on its own virtual thread.");
  public static final ConfigKey<Duration> LEASE =
      seconds("engine.leaseSeconds", "30", 1, 3600)
          .doc(
              "How long a claimed step stays leased without a heartbeat before another server"
                  + " takes it.");
  public static final ConfigKey<Duration> POLL =
      millis("engine.pollMillis", "2000", 10, 600_000)
          .doc("The slow poll: the longest an idle worker pool waits when no wake-up arrives.");
  public static final ConfigKey<List<String>> HTTP_ALLOWED_HOSTS =
      key("engine.http.allowedHosts", "", ConfigValues::parseHosts)
          .doc(
              "Hosts `core/http` tasks may call, comma-separated (`api.example.com`,"
                  + " `*.example.com`); empty: no egress.");
  public static final ConfigKey<Integer> HTTP_MAX_RESPONSE_BYTES =
      number("engine.http.maxResponseBytes", "262144", 0, 64 * 1024 * 1024)
          .doc("The most of a `core/http` response body kept as the step's output.");
  public static final ConfigKey<Long> LOG_CAP_BYTES =
      bytes("engine.logCapBytes", "1048576", 1024)
          .doc("The most run-log output one step attempt may write.");
  public static final ConfigKey<Integer> MAX_TASKS =
      number("engine.maxTasks", "1000", 1, 100_000)
          .doc(
              "The most tasks one workflow manifest may have; more is 422"
                  + " `manifest_too_many_tasks`.");
  public static final ConfigKey<Long> MAX_STEP_OUTPUT_BYTES =
      bytes("engine.maxStepOutputBytes", "1048576", 1024)
          .doc(
              "The largest output (as JSON) one step may record; a larger one fails the step once"
                  + " with `output_too_large`.");
  public static final ConfigKey<Long> MAX_RUN_OUTPUT_BYTES =
      bytes("engine.maxRunOutputBytes", "16777216", 1024)
          .doc("The most step output (as JSON) one run may record in total.");
  public static final ConfigKey<Long> MAX_EXPRESSION_RESULT_BYTES =
      bytes("engine.maxExpressionResultBytes", "1048576", 1024)
          .doc("The largest value (as JSON) one expression (`with`, `outputs`) may produce.");
  public static final ConfigKey<Long> SANDBOX_MAX_MEMORY_BYTES =
      key("engine.sandbox.maxMemoryBytes", "2147483648", ConfigValues::parseLong)
          .doc(
              "Platform ceiling on the memory a `core/exec` step may ask for; more is 422 at"
                  + " validation.");
  public static final ConfigKey<Long> SANDBOX_MAX_CPU_SECONDS =
      key("engine.sandbox.maxCpuSeconds", "600", ConfigValues::parseLong)
          .doc("Platform ceiling on the CPU seconds a `core/exec` step may ask for.");
  public static final ConfigKey<Long> SANDBOX_MAX_PROCESSES =
      key("engine.sandbox.maxProcesses", "256", ConfigValues::parseLong)
          .doc("Platform ceiling on the processes a `core/exec` step may ask for.");
  public static final ConfigKey<Path> SANDBOX_BWRAP =
      path("sandbox.bwrap")
          .doc(
              "The bubblewrap executable `core/exec` runs commands with. Empty: `bwrap` on the"
                  + " `PATH`. Where it is missing, `core/exec` is disabled and the start-up line"
                  + " says why.");
  public static final ConfigKey<List<String>> SANDBOX_SECCOMP_ALLOW =
      key("sandbox.seccomp.allow", "", ConfigValues::parseSyscalls)
          .doc(
              "Syscalls `core/exec` commands may make beyond the shipped allowlist, comma-separated"
                  + " names (`msgget,shmget`); see docs/sandbox.md.");
  public static final ConfigKey<String> SANDBOX_APPARMOR_PROFILE =
      key("sandbox.apparmorProfile", "maestro-sandbox", ConfigValues::parseProfileName)
          .doc(
              "The AppArmor profile `core/exec` sandboxes run under where the kernel has AppArmor"
                  + " and the profile is loaded. Empty: never use AppArmor.");
  public static final ConfigKey<Duration> SCHEDULES_MIN_INTERVAL =
      seconds("schedules.minIntervalSeconds", "60", 60, 86_400)
          .doc(
              "The shortest time allowed between two ticks of a schedule (60–86400 s); a cron"
                  + " expression that fires more often is refused (`cron_too_frequent`).");
  public static final ConfigKey<Duration> SCHEDULES_POLL =
      seconds("schedules.pollSeconds", "5", 0, 3600)
          .doc(
              "How often the scheduler looks for due ticks (0–3600 s; 0: this server fires no"
                  + " schedules).");
  public static final ConfigKey<Duration> TRIGGERS_WEBHOOK_TOLERANCE =
      seconds("triggers.webhookToleranceSeconds", "300", 1, 3600)
          .doc(
              "How far a webhook trigger request's `webhook-timestamp` may be from the server's"
                  + " clock (1–3600 s); further is refused (`webhook_timestamp_stale`).");

  static final List<ConfigKey<?>> ALL =
      List.of(
          WORKERS,
          LEASE,
          POLL,
          HTTP_ALLOWED_HOSTS,
          HTTP_MAX_RESPONSE_BYTES,
          LOG_CAP_BYTES,
          MAX_TASKS,
          MAX_STEP_OUTPUT_BYTES,
          MAX_RUN_OUTPUT_BYTES,
          MAX_EXPRESSION_RESULT_BYTES,
          SANDBOX_MAX_MEMORY_BYTES,
          SANDBOX_MAX_CPU_SECONDS,
          SANDBOX_MAX_PROCESSES,
          SANDBOX_BWRAP,
          SANDBOX_SECCOMP_ALLOW,
          SANDBOX_APPARMOR_PROFILE,
          SCHEDULES_MIN_INTERVAL,
          SCHEDULES_POLL,
          TRIGGERS_WEBHOOK_TOLERANCE);

  private EngineKeys() {}
}
