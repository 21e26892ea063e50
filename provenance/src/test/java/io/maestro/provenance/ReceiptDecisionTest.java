package io.maestro.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.provenance.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A receipt records the decision exactly as the decision point returned it. */
class ReceiptDecisionTest {
  @Test
  void decision_roundTripsThroughTheReceiptUnchanged() {
    Receipt r = single();
    Decision original = Fixtures.runStarted(TenantId.of("acme"), 1).decision().orElseThrow();
    Receipt parsed = ReceiptJson.parse(ReceiptJson.toJson(r, true));
    assertThat(parsed.decision()).contains(original);
    assertThat(parsed.digest()).isEqualTo(r.digest());
  }

  /**
   * Receipts written before receipts recorded the whole decision hold only its reason codes; they
   * must still parse, and serialize back to the bytes they were hashed over, so old logs and
   * exports keep verifying.
   */
  @Test
  void legacyDecision_withReasonCodesOnly_keepsItsDigest() throws IOException {
    JsonNode legacy;
    try (InputStream in =
        getClass().getResourceAsStream("/legacy/receipt-with-decision-codes.json")) {
      legacy = Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    Receipt r = ReceiptJson.parse(legacy);
    assertThat(r.digest().toString())
        .isEqualTo("sha256:f077556b397c4089ffb2a7d380642f1217749c0d44246720805e5239ec4f9c9c");
    assertThat(r.decision().orElseThrow().reasonCodes()).containsExactly("operator may start runs");
    assertThat(ReceiptJson.digestOf(ReceiptJson.toJson(r, true))).isEqualTo(r.digest());
    assertThat(Hash.sha256(ReceiptJson.canonicalBody(r))).isEqualTo(r.digest());
  }

  @Test
  void decision_withoutItsInputDigest_isRefused() {
    Receipt r = single();
    ObjectNode json = ReceiptJson.toJson(r, true);
    ((ObjectNode) json.get("decision")).put("input_digest", "");
    assertThatThrownBy(() -> ReceiptJson.parse(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("input_digest");
  }

  @Test
  void decisionTime_isKeptToTheMillisecond() {
    Decision d =
        new Decision(
            "dec_1",
            true,
            java.util.List.of(),
            java.util.List.of(),
            "",
            "sha256:00",
            "maestro/authz/decision",
            Instant.parse("2026-12-01T10:00:00.123456Z"));
    assertThat(Decision.fromJson(d.toJson())).isEqualTo(d);
  }

  private static Receipt single() {
    return ReceiptJson.create(
        "rcp_1",
        1,
        Instant.parse("2026-12-01T10:00:01Z"),
        Fixtures.runStarted(TenantId.of("acme"), 1),
        Hash.ZERO);
  }
}
