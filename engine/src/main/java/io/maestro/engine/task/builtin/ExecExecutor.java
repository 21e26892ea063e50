package io.maestro.engine.task.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.JsonText;
import io.maestro.engine.manifest.Durations;
import io.maestro.engine.manifest.ErrorKind;
import io.maestro.engine.manifest.TaskCatalog;
import io.maestro.engine.sandbox.Network;
import io.maestro.engine.sandbox.Sandbox;
import io.maestro.engine.sandbox.SandboxCeilings;
import io.maestro.engine.sandbox.SandboxLimits;
import io.maestro.engine.sandbox.SandboxOutput;
import io.maestro.engine.sandbox.SandboxRequest;
import io.maestro.engine.sandbox.SandboxResult;
import io.maestro.engine.sandbox.SandboxWorkspace;
import io.maestro.engine.task.TaskContext;
import io.maestro.engine.task.TaskExecutor;
import io.maestro.engine.task.TaskOutcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code core/exec}: runs a command in the bubblewrap sandbox (no network, read-only system, a
 * read-only {@code /workspace}, a size-capped {@code /tmp}, seccomp, rlimits, a wall-clock timeout
 * that kills the whole process tree). Parameters: {@code command} (a list of arguments, or a string
 * run by {@code /bin/sh -c}), {@code env} (added to a minimal environment), {@code files} (path →
 * text written into {@code /workspace}), {@code timeout} (default 5m), {@code memory} (bytes, e.g.
 * {@code 256Mi}), {@code cpuSeconds}, {@code processes}. The run's inputs are in {@code
 * /workspace/inputs.json}.
 *
 * <p>stdout and stderr go to the run log line by line, capped. Delivery is at-least-once: a
 * redelivered attempt runs the command again; it can tell by {@code MAESTRO_IDEMPOTENCY_KEY} and
 * {@code MAESTRO_DELIVERY}. Errors: a non-zero exit, a signal or a resource limit is a user error;
 * the wall-clock limit is a timeout; a sandbox that cannot be built is a platform error. Output:
 * {@code {exitCode, reason, wallMillis, stdout}} with the last 4 KiB of stdout.
 */
public final class ExecExecutor implements TaskExecutor {
  private static final Set<String> KEYS =
      Set.of("command", "env", "files", "timeout", "memory", "cpuSeconds", "processes");
  private static final int STDOUT_TAIL = 4096;

  private final Sandbox sandbox;
  private final SandboxLimits defaults;
  private final SandboxCeilings ceilings;

  public ExecExecutor(Sandbox sandbox, SandboxLimits defaults) {
    this(sandbox, defaults, SandboxCeilings.DEFAULTS);
  }

  /**
   * @param ceilings the most a manifest may ask for; requests beyond are refused at validation
   */
  public ExecExecutor(Sandbox sandbox, SandboxLimits defaults, SandboxCeilings ceilings) {
    this.sandbox = sandbox;
    this.defaults = defaults;
    this.ceilings = ceilings;
  }

  @Override
  public String type() {
    return "core/exec";
  }

  @Override
  public List<TaskCatalog.Problem> check(JsonNode with) {
    List<TaskCatalog.Problem> p = new ArrayList<>(TaskExecutor.unknownKeys(with, KEYS));
    p.addAll(TaskExecutor.require(with, "command"));
    JsonNode c = with.path("command");
    if (!c.isMissingNode() && !c.isTextual() && !(c.isArray() && !c.isEmpty())) {
      p.add(new TaskCatalog.Problem("command", "command is a string or a non-empty list"));
    }
    p.addAll(TaskExecutor.duration(with, "timeout"));
    for (SandboxCeilings.Problem over : ceilings.check(with, "the platform")) {
      p.add(new TaskCatalog.Problem(over.key(), over.message()));
    }
    return p;
  }

  @Override
  public TaskOutcome execute(TaskContext ctx) throws InterruptedException {
    List<String> argv = command(ctx.with().get("command"));
    if (argv.isEmpty()) {
      return new TaskOutcome.Failed(ErrorKind.USER, "command is empty");
    }
    SandboxLimits limits;
    try {
      limits = limits(ctx.with());
    } catch (IllegalArgumentException e) {
      return new TaskOutcome.Failed(ErrorKind.USER, "bad limits: " + e.getMessage());
    }
    Map<String, String> env = new LinkedHashMap<>(SandboxRequest.baseEnv());
    if (ctx.with().get("env") instanceof Map<?, ?> m) {
      m.forEach((k, v) -> env.put(String.valueOf(k), String.valueOf(v)));
    }
    env.put("MAESTRO_RUN_ID", ctx.runId());
    env.put("MAESTRO_STEP_ID", ctx.stepId());
    env.put("MAESTRO_ATTEMPT", String.valueOf(ctx.attempt()));
    env.put("MAESTRO_DELIVERY", String.valueOf(ctx.delivery()));
    env.put("MAESTRO_IDEMPOTENCY_KEY", ctx.idempotencyKey());
    Deque<String> tail = new ArrayDeque<>();
    int[] tailBytes = {0};
    SandboxOutput out =
        new SandboxOutput() {
          @Override
          public void line(Channel channel, String line) {
            String stream = channel == Channel.STDOUT ? "stdout" : "stderr";
            ctx.log().output(stream, line);
            if (channel == Channel.STDOUT) {
              tail.addLast(line);
              tailBytes[0] += line.length() + 1;
              while (tailBytes[0] > STDOUT_TAIL && tail.size() > 1) {
                tailBytes[0] -= tail.removeFirst().length() + 1;
              }
            }
          }

          @Override
          public void truncated(long capBytes) {
            ctx.log().info("output exceeded " + capBytes + " bytes; the rest was dropped");
          }
        };
    SandboxResult r;
    try (SandboxWorkspace ws = sandbox.newWorkspace()) {
      ws.write("inputs.json", JsonText.write(ctx.runInputs()));
      if (ctx.with().get("files") instanceof Map<?, ?> files) {
        for (Map.Entry<?, ?> f : files.entrySet()) {
          ws.write(String.valueOf(f.getKey()), String.valueOf(f.getValue()));
        }
      }
      r =
          sandbox.run(
              new SandboxRequest(
                  argv, env, java.util.Optional.of(ws.path()), limits, Network.NONE, out));
    } catch (MaestroException e) {
      return new TaskOutcome.Failed(ErrorKind.PLATFORM, "sandbox: " + e.detail());
    } catch (IllegalArgumentException e) {
      return new TaskOutcome.Failed(ErrorKind.USER, "bad request: " + e.getMessage());
    }
    if (r.reason() == SandboxResult.Reason.CANCELLED) {
      throw new InterruptedException("cancelled while running");
    }
    ctx.log().info(r.describe());
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("exitCode", r.exitCode());
    output.put("reason", r.reason().name());
    output.put("wallMillis", r.wallTime().toMillis());
    output.put("stdout", String.join("\n", tail));
    if (r.succeeded()) {
      return new TaskOutcome.Succeeded(output);
    }
    ErrorKind kind =
        r.reason() == SandboxResult.Reason.TIMEOUT ? ErrorKind.TIMEOUT : ErrorKind.USER;
    return new TaskOutcome.Failed(kind, r.describe());
  }

  private static List<String> command(Object c) {
    if (c instanceof List<?> l) {
      return l.stream().map(String::valueOf).toList();
    }
    if (c instanceof String s && !s.isBlank()) {
      return List.of("/bin/sh", "-c", s);
    }
    return List.of();
  }

  private SandboxLimits limits(Map<String, Object> with) {
    SandboxLimits l = defaults;
    if (with.get("timeout") != null) {
      l = l.withTimeout(Durations.parse(String.valueOf(with.get("timeout"))));
    }
    if (with.get("memory") != null) {
      l =
          l.withMemoryBytes(
              SandboxCeilings.atMost(
                  bytes(String.valueOf(with.get("memory"))), "memory", ceilings.memoryBytes()));
    }
    if (with.get("cpuSeconds") instanceof Number n) {
      l =
          l.withCpuSeconds(
              (int) SandboxCeilings.atMost(n.longValue(), "cpuSeconds", ceilings.cpuSeconds()));
    }
    if (with.get("processes") instanceof Number n) {
      l =
          l.withMaxProcesses(
              (int) SandboxCeilings.atMost(n.longValue(), "processes", ceilings.processes()));
    }
    return l;
  }

  /** {@code 268435456}, {@code 256Mi}, {@code 1Gi}, {@code 512Ki}. */
  static long bytes(String s) {
    return SandboxCeilings.parseBytes(s);
  }
}
