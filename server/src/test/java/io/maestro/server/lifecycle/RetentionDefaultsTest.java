package io.maestro.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.json.Json;
import io.maestro.lifecycle.retention.DataClass;
import io.maestro.lifecycle.retention.RetentionBounds;
import io.maestro.lifecycle.retention.RetentionDefaults;
import io.maestro.server.MaestroServer;
import io.maestro.server.MovableClock;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import io.maestro.tenancy.ScopeGuard;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The profile's default rules: a tenant on {@code hosted-saas} without its own rule keeps runs for
 * the profile's 400 days, the job removes them after that, {@code GET /api/retention/rules} says
 * where each rule came from, and a tenant's own rule replaces the default.
 */
class RetentionDefaultsTest {
  @TempDir Path dir;

  @Test
  void defaults_fromTheProfilesSettings_withinTheBounds() throws Exception {
    RetentionBounds open = RetentionBounds.of("internal", OptionalInt.empty(), OptionalInt.empty());
    JsonNode settings =
        Json.MAPPER.readTree(
            """
            {"runs": {"default_days": 400, "min_days": 30},
             "receipt_payloads": {"min_days": 2555},
             "run_logs": {"default_days": 10, "min_days": 90},
             "pictures": {"default_days": 5},
             "evidence_packs": {"default_days": "a year"}}""");
    RetentionDefaults d = RetentionDefaults.fromProfile("regulated", settings, open);
    assertThat(d.source()).isEqualTo("profile:regulated");
    assertThat(d.of(DataClass.RUNS)).contains(400);
    assertThat(d.minimum(DataClass.RUNS)).contains(30);
    assertThat(d.of(DataClass.RECEIPT_PAYLOADS))
        .as("a minimum without a default keeps the class for good")
        .isEmpty();
    assertThat(d.minimum(DataClass.RECEIPT_PAYLOADS)).contains(2555);
    assertThat(d.of(DataClass.RUN_LOGS))
        .as("a default below its own minimum is raised")
        .contains(90);
    assertThat(d.of(DataClass.EVIDENCE_PACKS)).as("not a number of days: ignored").isEmpty();
    assertThat(RetentionDefaults.fromProfile("internal-default", null, open).days()).isEmpty();
    // A default outside the platform's bounds is moved inside them.
    assertThat(
            RetentionDefaults.fromProfile(
                    "regulated",
                    settings,
                    RetentionBounds.of("saas", OptionalInt.of(500), OptionalInt.empty()))
                .of(DataClass.RUNS))
        .contains(500);
    assertThat(
            RetentionDefaults.fromProfile(
                    "regulated",
                    settings,
                    RetentionBounds.of("saas", OptionalInt.empty(), OptionalInt.of(100)))
                .of(DataClass.RUNS))
        .contains(100);
  }

  @Test
  void aHostedTenantWithoutRules_getsItsProfilesDefaults_andItsOwnRuleWins() throws Exception {
    MovableClock clock = new MovableClock();
    try (MaestroServer server =
        MaestroServer.start(
            TestServers.config(
                dir,
                Map.of(
                    "policy.edition", "saas",
                    "policy.defaultProfile", "hosted-saas",
                    "retention.intervalSeconds", "0")),
            ScopeGuard.ENFORCING,
            clock)) {
      Api api = new Api(server.port());
      String ana = api.token("acme", "ana@acme", "tenant_admin", "operator");
      TidyRuns.publish(api, server.port(), ana);
      assertThat(api.call("POST", "/api/runs", ana, Map.of("workflow", "tidy")).status())
          .isEqualTo(202);
      TidyRuns.awaitSucceeded(api, ana, 1);

      JsonNode rules = api.call("GET", "/api/retention/rules", ana, null).body();
      assertThat(rules.path("defaults").asText()).isEqualTo("profile:hosted-saas");
      assertThat(item(rules, "runs").path("keep_days").asInt()).isEqualTo(400);
      assertThat(item(rules, "runs").path("source").asText()).isEqualTo("profile:hosted-saas");
      assertThat(item(rules, "receipt_payloads").path("keep_days").isNull()).isTrue();

      clock.advance(Duration.ofDays(399));
      ana = api.token("acme", "ana@acme", "tenant_admin", "operator");
      Api.Reply early = api.call("POST", "/api/retention/run", ana, null);
      assertThat(early.body().path("removed").path("runs").asLong()).isZero();

      clock.advance(Duration.ofDays(2));
      ana = api.token("acme", "ana@acme", "tenant_admin", "operator");
      Api.Reply due = api.call("POST", "/api/retention/run", ana, null);
      assertThat(due.status()).as(due.body().toString()).isEqualTo(200);
      assertThat(due.body().path("removed").path("runs").asLong()).isEqualTo(1);
      JsonNode batch =
          api.call("GET", "/api/retention/batches", ana, null).body().path("items").get(0);
      String receipt = batch.path("receipt_id").asText();
      assertThat(
              api.call("GET", "/api/receipts/" + receipt, ana, null)
                  .body()
                  .path("receipt")
                  .path("payload")
                  .path("rule_source")
                  .asText())
          .isEqualTo("profile:hosted-saas");

      Api.Reply own = api.call("PUT", "/api/retention/rules/runs", ana, Map.of("keepDays", 30));
      assertThat(own.status()).as(own.body().toString()).isEqualTo(200);
      JsonNode after = api.call("GET", "/api/retention/rules", ana, null).body();
      assertThat(item(after, "runs").path("keep_days").asInt()).isEqualTo(30);
      assertThat(item(after, "runs").path("source").asText()).isEqualTo("tenant");
      assertThat(item(after, "runs").path("decision_id").asText()).startsWith("dec_");
    }
  }

  private static JsonNode item(JsonNode rules, String dataClass) {
    for (JsonNode i : rules.path("items")) {
      if (i.path("data_class").asText().equals(dataClass)) {
        return i;
      }
    }
    throw new AssertionError("no item " + dataClass + " in " + rules);
  }
}
