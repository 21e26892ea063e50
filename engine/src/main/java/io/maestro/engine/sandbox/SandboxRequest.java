package io.maestro.engine.sandbox;

import io.maestro.core.problem.MaestroException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One command to run in the sandbox.
 *
 * @param command argv; {@code command.get(0)} is looked up on the {@code PATH} given in {@code env}
 *     (or {@code /bin:/usr/bin} without one) inside the sandbox
 * @param env the complete environment of the command: nothing is inherited from the server, and
 *     bubblewrap adds only {@code PWD=/workspace}. {@link #baseEnv()} is a sensible start.
 * @param workspace a host directory mounted read-only at {@code /workspace} (the command's working
 *     directory), holding the run's inputs as files; empty means an empty directory. It must be
 *     readable by the sandbox user (see {@link Sandbox#newWorkspace()}).
 * @param limits resource limits
 * @param network network access, {@link Network#NONE} unless the step is allowed more
 * @param output consumer of the output lines
 */
public record SandboxRequest(
    List<String> command,
    Map<String, String> env,
    Optional<Path> workspace,
    SandboxLimits limits,
    Network network,
    SandboxOutput output) {

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public SandboxRequest {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(output, "output");
    if (command.isEmpty() || command.get(0).isEmpty()) {
      throw invalid("the command is empty");
    }
    for (String arg : command) {
      // A NUL cannot be passed through execve; rejecting it here gives a clear error instead.
      if (arg == null || arg.indexOf('\0') >= 0) {
        throw invalid("command arguments must be non-null and free of NUL characters");
      }
    }
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getKey() == null || !ENV_NAME.matcher(e.getKey()).matches()) {
        throw invalid("invalid environment variable name: " + e.getKey());
      }
      if (e.getValue() == null || e.getValue().indexOf('\0') >= 0) {
        throw invalid("environment variable " + e.getKey() + " has no value or contains NUL");
      }
    }
    command = List.copyOf(command);
    // Keep the caller's order so the command sees its environment as written.
    env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
  }

  /** A command with {@link #baseEnv()}, no workspace, default limits, no network, no output. */
  public static SandboxRequest of(List<String> command) {
    return new SandboxRequest(
        command,
        baseEnv(),
        Optional.empty(),
        SandboxLimits.defaults(),
        Network.NONE,
        SandboxOutput.discard());
  }

  /** {@code PATH}, {@code HOME=/tmp}, {@code TMPDIR=/tmp} and {@code LANG=C.UTF-8}. */
  public static Map<String, String> baseEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", "/tmp");
    env.put("TMPDIR", "/tmp");
    env.put("LANG", "C.UTF-8");
    return env;
  }

  public SandboxRequest withEnv(Map<String, String> value) {
    return new SandboxRequest(command, value, workspace, limits, network, output);
  }

  public SandboxRequest withWorkspace(Path value) {
    return new SandboxRequest(command, env, Optional.of(value), limits, network, output);
  }

  public SandboxRequest withLimits(SandboxLimits value) {
    return new SandboxRequest(command, env, workspace, value, network, output);
  }

  public SandboxRequest withNetwork(Network value) {
    return new SandboxRequest(command, env, workspace, limits, value, output);
  }

  public SandboxRequest withOutput(SandboxOutput value) {
    return new SandboxRequest(command, env, workspace, limits, network, value);
  }

  private static MaestroException invalid(String detail) {
    return MaestroException.of(SandboxErrors.INVALID_REQUEST, detail);
  }
}
