package io.maestro.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class RefusalsTest {
  private static JsonNode json(String text) throws Exception {
    return ApiClient.JSON.readTree(text);
  }

  @Test
  void problem_withReasons_leadsWithTheirCodes() throws Exception {
    JsonNode p =
        json(
            """
            {"code": "policy_denied", "detail": "the run falls outside the ramp",
             "reasons": [{"code": "ramp_excluded", "message": "the run falls outside the ramp"}]}
            """);
    assertThat(new ApiClient.Reply(403, p).problem())
        .isEqualTo("refused: ramp_excluded — the run falls outside the ramp (policy_denied)");
    assertThat(Refusals.reasonLines(p))
        .isEqualTo("\n  ramp_excluded: the run falls outside the ramp");
  }

  @Test
  void problem_withSeveralReasons_namesEach() throws Exception {
    JsonNode p =
        json(
            """
            {"code": "quota_exceeded", "detail": "too many runs",
             "reasons": [{"code": "quota_runs", "message": "too many runs"},
                         {"code": "quota_steps", "message": "too many steps"}]}
            """);
    assertThat(new ApiClient.Reply(429, p).problem())
        .startsWith("refused: quota_runs, quota_steps — too many runs");
  }

  @Test
  void problem_withoutReasons_isUnchanged() throws Exception {
    JsonNode p = json("{\"code\": \"run_not_found\", \"detail\": \"no run r1\"}");
    assertThat(new ApiClient.Reply(404, p).problem()).isEqualTo("no run r1 (run_not_found)");
    assertThat(Refusals.prefix(p)).isEmpty();
    assertThat(Refusals.reasonLines(p)).isEmpty();
  }
}
