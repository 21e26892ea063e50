package io.maestro.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.core.config.ConfigLoader;
import io.maestro.core.config.MaestroConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineSettingsTest {
  @TempDir Path dir;

  private MaestroConfig.Engine engine(Map<String, String> flags) {
    return new ConfigLoader(Map.of(), dir).load(Optional.empty(), flags).engine();
  }

  @Test
  void defaults_keepTheEngineDefaultsAndDenyEgress() {
    MaestroConfig.Engine c = engine(Map.of());
    var workers = EngineSettings.workers(c);
    assertThat(workers.concurrency()).isEqualTo(64);
    assertThat(workers.lease()).isEqualTo(Duration.ofSeconds(30));
    assertThat(workers.poll()).isEqualTo(Duration.ofSeconds(2));
    var http = EngineSettings.http(c);
    assertThat(http.allowedHosts()).isEmpty();
    assertThat(http.allows("api.example.com")).isFalse();
    assertThat(http.maxResponseBytes()).isEqualTo(256 * 1024);
  }

  @Test
  void keys_reachTheWorkerPoolAndTheEgressAllowlist() {
    MaestroConfig.Engine c =
        engine(
            Map.of(
                "engine.workers", "4",
                "engine.leaseSeconds", "3",
                "engine.pollMillis", "100",
                "engine.http.allowedHosts", "api.example.com,*.corp.example",
                "engine.http.maxResponseBytes", "2048"));
    var workers = EngineSettings.workers(c);
    assertThat(workers.concurrency()).isEqualTo(4);
    assertThat(workers.batch()).isLessThanOrEqualTo(4);
    assertThat(workers.lease()).isEqualTo(Duration.ofSeconds(3));
    assertThat(workers.poll()).isEqualTo(Duration.ofMillis(100));
    var http = EngineSettings.http(c);
    assertThat(http.allows("api.example.com")).isTrue();
    assertThat(http.allows("build.corp.example")).isTrue();
    assertThat(http.allows("corp.example")).isFalse();
    assertThat(http.allows("evil.example.com")).isFalse();
    assertThat(http.maxResponseBytes()).isEqualTo(2048);
  }
}
