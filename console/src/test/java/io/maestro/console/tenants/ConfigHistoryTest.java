package io.maestro.console.tenants;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ConfigHistoryTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode receipt(String changes) throws Exception {
    return JSON.readTree("{\"id\":\"rcp_1\",\"payload\":{\"changes\":" + changes + "}}");
  }

  @Test
  void revertPutsBackEachReplacedSetting() throws Exception {
    JsonNode r =
        receipt(
            "[{\"op\":\"replace\",\"path\":\"/quotas/max_concurrent_runs\",\"from\":25,\"to\":7},"
                + "{\"op\":\"replace\",\"path\":\"/name\",\"from\":\"Old\",\"to\":\"New\"},"
                + "{\"op\":\"replace\",\"path\":\"/budget/daily_max_usd\",\"from\":100,\"to\":5}]");
    assertThat(ConfigHistory.revert(r).orElseThrow())
        .isEqualTo(
            JSON.readTree(
                "{\"quotas\":{\"max_concurrent_runs\":25},\"name\":\"Old\",\"budget\":{\"daily_max_usd\":100}}"));
    assertThat(ConfigHistory.lines(r)).first().isEqualTo("/quotas/max_concurrent_runs: 25 → 7");
  }

  @Test
  void aChangeWithNothingToPutBackHasNoRevert() throws Exception {
    assertThat(
            ConfigHistory.revert(
                receipt("[{\"op\":\"add\",\"path\":\"/regions\",\"to\":[\"EU\"]}]")))
        .isEmpty();
    assertThat(ConfigHistory.revert(receipt("[]"))).isEmpty();
  }

  @Test
  void aProfileAssignmentIsRevertedToTheProfileItReplaced() throws Exception {
    JsonNode assigned =
        receipt(
            "[{\"op\":\"replace\",\"path\":\"/profile\",\"from\":\"partner-demo\","
                + "\"to\":\"regulated\"}]");
    assertThat(ConfigHistory.revertProfile(assigned)).hasValue("partner-demo");
    assertThat(ConfigHistory.revert(assigned)).as("a profile is not PATCHed back").isEmpty();
    assertThat(
            ConfigHistory.revertProfile(
                receipt(
                    "[{\"op\":\"replace\",\"path\":\"/quotas/max_concurrent_runs\",\"from\":25,\"to\":7}]")))
        .isEmpty();
  }
}
