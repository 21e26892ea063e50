package io.maestro.engine.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.maestro.core.TenantId;
import io.maestro.engine.manifest.ErrorKind;
import io.maestro.engine.task.builtin.HttpExecutor;
import io.maestro.engine.task.builtin.HttpSettings;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpExecutorTest {
  HttpServer server;
  String base;
  final List<String> seenAuth = new CopyOnWriteArrayList<>();
  final List<String> seenKeys = new CopyOnWriteArrayList<>();
  final List<String> lines = new ArrayList<>();

  @BeforeEach
  void serve() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/ok",
        ex -> {
          seenAuth.add(ex.getRequestHeaders().getFirst("Authorization"));
          seenKeys.add(ex.getRequestHeaders().getFirst("Idempotency-Key"));
          byte[] b = "{\"echo\":\"s3cr3t-value\",\"n\":1}".getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    server.createContext(
        "/boom",
        ex -> {
          ex.sendResponseHeaders(503, -1);
          ex.close();
        });
    server.createContext(
        "/big",
        ex -> {
          byte[] b = "x".repeat(5000).getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private TaskContext ctx(Map<String, Object> with) {
    StepLog log =
        new StepLog() {
          @Override
          public void info(String line) {
            lines.add(line);
          }

          @Override
          public void output(String stream, String line) {
            lines.add(line);
          }
        };
    return new TaskContext(
        TenantId.of("acme"),
        "run_1",
        "call",
        1,
        "run_1/call/1",
        1,
        "wf",
        with,
        Map.of(),
        null,
        "alice",
        log,
        Clock.systemUTC());
  }

  private final HttpExecutor http =
      new HttpExecutor(
          new HttpSettings(List.of("127.0.0.1"), 1024, java.time.Duration.ofSeconds(5)),
          Secrets.of(Map.of("api_token", "s3cr3t-value")));

  @Test
  void execute_sendsSecretsByReferenceAndNeverShowsThem() throws Exception {
    Map<String, Object> with = new LinkedHashMap<>();
    with.put("url", base + "/ok");
    with.put("headers", Map.of("Authorization", "Bearer ${secret:api_token}"));
    TaskOutcome out = http.execute(ctx(with));
    assertThat(out).isInstanceOf(TaskOutcome.Succeeded.class);
    assertThat(seenAuth).containsExactly("Bearer s3cr3t-value");
    assertThat(seenKeys).containsExactly("run_1/call/1");
    @SuppressWarnings("unchecked")
    Map<String, Object> o = (Map<String, Object>) ((TaskOutcome.Succeeded) out).output();
    assertThat(o.get("status")).isEqualTo(200);
    assertThat((String) o.get("body")).doesNotContain("s3cr3t-value").contains("***");
    assertThat(String.join("\n", lines)).doesNotContain("s3cr3t-value");
  }

  @Test
  void execute_refusesHostsOutsideTheAllowlist() throws Exception {
    TaskOutcome out = http.execute(ctx(Map.of("url", "http://example.com/")));
    assertThat(out).isInstanceOf(TaskOutcome.Failed.class);
    assertThat(((TaskOutcome.Failed) out).kind()).isEqualTo(ErrorKind.USER);
    assertThat(((TaskOutcome.Failed) out).message()).contains("not allowed");
  }

  @Test
  void execute_serverErrorsArePlatformErrors() throws Exception {
    TaskOutcome out = http.execute(ctx(Map.of("url", base + "/boom")));
    assertThat(((TaskOutcome.Failed) out).kind()).isEqualTo(ErrorKind.PLATFORM);
  }

  @Test
  void execute_capsTheResponseBody() throws Exception {
    TaskOutcome out = http.execute(ctx(Map.of("url", base + "/big")));
    @SuppressWarnings("unchecked")
    Map<String, Object> o = (Map<String, Object>) ((TaskOutcome.Succeeded) out).output();
    assertThat((String) o.get("body")).hasSize(1024);
    assertThat(o.get("truncated")).isEqualTo(true);
  }

  @Test
  void execute_unknownSecretIsAUserError() throws Exception {
    TaskOutcome out =
        http.execute(ctx(Map.of("url", base + "/ok", "headers", Map.of("X", "${secret:nope}"))));
    assertThat(((TaskOutcome.Failed) out).message()).contains("unknown secret 'nope'");
  }

  @Test
  void settings_matchExactHostsAndSuffixPatterns() {
    HttpSettings s = HttpSettings.allow(List.of("api.example.com", "*.corp.example"));
    assertThat(s.allows("api.example.com")).isTrue();
    assertThat(s.allows("x.corp.example")).isTrue();
    assertThat(s.allows("corp.example")).isFalse();
    assertThat(s.allows("evil.com")).isFalse();
    assertThat(HttpSettings.denyAll().allows("127.0.0.1")).isFalse();
  }
}
