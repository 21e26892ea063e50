package io.maestro.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.config.MaestroConfig;
import io.maestro.core.logging.LogFields;
import io.maestro.server.http.HttpJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogSetupTest {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @AfterEach
  void reset() {
    LogFields.clear();
    LogSetup.configure(MaestroConfig.LogFormat.TEXT, "WARN", System.err);
  }

  @Test
  void json_isOneObjectPerLineWithTheRequestId() throws Exception {
    LogSetup.configure(
        MaestroConfig.LogFormat.JSON, "INFO", new PrintStream(out, true, StandardCharsets.UTF_8));
    LogFields.requestId("req-1");
    Logger.getLogger("io.maestro.test").info("hello \"world\"\nsecond line");
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text.lines()).hasSize(1);
    JsonNode line = HttpJson.MAPPER.readTree(text);
    assertThat(line.path("level").asText()).isEqualTo("INFO");
    assertThat(line.path("logger").asText()).isEqualTo("io.maestro.test");
    assertThat(line.path("message").asText()).isEqualTo("hello \"world\"\nsecond line");
    assertThat(line.path("request_id").asText()).isEqualTo("req-1");
    assertThat(line.path("time").asText()).endsWith("Z");
  }

  @Test
  void text_isReadableAndRespectsTheLevel() {
    LogSetup.configure(
        MaestroConfig.LogFormat.TEXT, "WARN", new PrintStream(out, true, StandardCharsets.UTF_8));
    Logger log = Logger.getLogger("io.maestro.test.Thing");
    log.info("not shown");
    LogFields.requestId("req-2");
    log.warning("shown");
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("not shown");
    assertThat(text).contains("WARN  [req-2] Thing: shown");
  }

  @Test
  void json_carriesTenantRunAndDecisionIdsWhenTheRequestHasThem() throws Exception {
    LogSetup.configure(
        MaestroConfig.LogFormat.JSON, "INFO", new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      LogFields.requestId("req-3");
      LogFields.put(LogFields.DECISION_ID, "dec_1");
      LogFields.put(LogFields.TENANT, "acme");
      LogFields.put(LogFields.RUN_ID, "run_1");
      Logger.getLogger("io.maestro.test").info("working");
      JsonNode line = HttpJson.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
      assertThat(line.path("request_id").asText()).isEqualTo("req-3");
      assertThat(line.path("tenant").asText()).isEqualTo("acme");
      assertThat(line.path("run_id").asText()).isEqualTo("run_1");
      assertThat(line.path("decision_id").asText()).isEqualTo("dec_1");
    } finally {
      LogFields.clear();
    }
    out.reset();
    Logger.getLogger("io.maestro.test").info("between requests");
    JsonNode outside = HttpJson.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(outside.has("tenant")).isFalse();
    assertThat(outside.has("request_id")).isFalse();
  }

  @Test
  void libraryChatter_belowWarn_isDropped() {
    LogSetup.configure(
        MaestroConfig.LogFormat.TEXT, "INFO", new PrintStream(out, true, StandardCharsets.UTF_8));
    Logger.getLogger("com.zaxxer.hikari.HikariDataSource").info("maestro-db - Starting...");
    Logger.getLogger("com.zaxxer.hikari.HikariDataSource").warning("pool trouble");
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("Starting").contains("pool trouble");
  }
}
