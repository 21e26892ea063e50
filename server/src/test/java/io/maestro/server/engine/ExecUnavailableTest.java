package io.maestro.server.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.config.ConfigException;
import io.maestro.core.config.ConfigLoader;
import io.maestro.core.config.MaestroConfig;
import io.maestro.engine.sandbox.SandboxConfig;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server whose bubblewrap does not exist (the {@code sandbox.bwrap} key pointing nowhere) runs
 * without {@code core/exec} and says why to whoever uses it.
 */
class ExecUnavailableTest {
  @TempDir Path dir;

  private static String manifest(String name, String secondTaskUses) {
    return """
        {"apiVersion": "maestro/v1", "kind": "Workflow",
         "metadata": {"name": "%s", "version": "1"},
         "spec": {"tasks": [
           {"id": "hi", "uses": "core/log", "with": {"message": "hi"}},
           {"id": "two", "uses": "%s", "needs": ["hi"], "with": %s}]}}
        """
        .formatted(
            name,
            secondTaskUses,
            secondTaskUses.equals("core/exec") ? "{\"command\": \"true\"}" : "{}");
  }

  @Test
  void missingBwrap_manifestUsingExecGets422TaskTypeUnavailableWithTheReason() {
    Path missing = dir.resolve("no-such-bwrap");
    MaestroConfig config =
        TestServers.config(dir.resolve("data"), Map.of("sandbox.bwrap", missing.toString()));
    try (MaestroServer server = MaestroServer.start(config)) {
      Api api = new Api(server.port());
      String author = api.token("acme", "alice@acme", "workflow_author");

      Api.Reply refused =
          api.call(
              "PUT",
              "/api/workflows/uses-exec/versions/1",
              author,
              manifest("uses-exec", "core/exec"));
      assertThat(refused.status()).as(refused.body().toString()).isEqualTo(422);
      assertThat(refused.code()).isEqualTo("task_type_unavailable");
      assertThat(refused.body().path("errors").get(0).path("path").asText())
          .isEqualTo("spec.tasks[1].uses");
      assertThat(refused.body().path("errors").get(0).path("message").asText())
          .isEqualTo(
              "task type 'core/exec' is unavailable on this server: bubblewrap not found at "
                  + missing
                  + " (sandbox.bwrap) — apt-get install bubblewrap or point sandbox.bwrap at it");

      // Everything else still works on this server.
      Api.Reply accepted =
          api.call(
              "PUT", "/api/workflows/no-exec/versions/1", author, manifest("no-exec", "core/noop"));
      assertThat(accepted.status()).as(accepted.body().toString()).isEqualTo(201);
    }
  }

  @Test
  void sandboxKeys_reachTheSandboxConfiguration() {
    MaestroConfig config =
        new ConfigLoader(Map.of("MAESTRO_SANDBOX_SECCOMP_ALLOW", "msgget, shmget"), dir)
            .load(
                Optional.empty(),
                Map.of("sandbox.bwrap", "tools/bwrap", "sandbox.apparmorProfile", ""));
    SandboxConfig sandbox = EngineSettings.sandbox(config);
    assertThat(sandbox.bwrap()).contains(dir.resolve("tools/bwrap"));
    assertThat(sandbox.extraSyscalls()).containsExactly("msgget", "shmget");
    assertThat(sandbox.appArmorProfile()).isEmpty();

    SandboxConfig defaults =
        EngineSettings.sandbox(new ConfigLoader(Map.of(), dir).load(Optional.empty(), Map.of()));
    assertThat(defaults.bwrap()).isEmpty();
    assertThat(defaults.extraSyscalls()).isEqualTo(List.of());
    assertThat(defaults.appArmorProfile()).contains("maestro-sandbox");

    assertThatThrownBy(
            () ->
                new ConfigLoader(Map.of(), dir)
                    .load(Optional.empty(), Map.of("sandbox.seccomp.allow", "msgget;rm -rf")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sandbox.seccomp.allow: 'msgget;rm -rf' is not a syscall name");
  }
}
