package io.maestro.server.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Brand packs through the real server and its policy gate: validation codes, the contrast rule of
 * the canon rbac pack, platform-only management, receipts for every change, and a tenant reading
 * its own pack.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrandApiTest {
  @TempDir static Path dir;
  MaestroServer server;
  Api api;
  String root;
  String acmeAdmin;
  String acmeViewer;

  static final Map<String, Object> NORTHWIND =
      Map.of(
          "name", "Northwind Partners",
          "product_name", "Northwind Flow",
          "colors", Map.of("banner_bg", "#0f4c3a", "accent", "#0f6b52"));

  @BeforeAll
  void start() {
    server = TestServers.start(dir);
    api = new Api(server.port());
    root = api.token(null, "root@platform", "conductor_admin");
    acmeAdmin = api.token("acme", "admin@acme", "tenant_admin");
    acmeViewer = api.token("acme", "viewer@acme", "read_only");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  List<JsonNode> receipts(String token, String type) {
    JsonNode r = api.call("GET", "/api/receipts?type=" + type, token, null).body();
    List<JsonNode> out = new java.util.ArrayList<>();
    r.path("receipts").forEach(out::add);
    return out;
  }

  /** The payload of a receipt in the platform log, read from the database (no tenant reads it). */
  String platformPayload(String receiptId) {
    return server
        .database()
        .inTransaction(
            io.maestro.store.TenantScope.platform(),
            tx ->
                new io.maestro.provenance.ReceiptLog("t")
                    .list(
                        tx,
                        io.maestro.provenance.LogId.platform(),
                        new io.maestro.provenance.ReceiptLog.Query(
                            java.util.Optional.of(
                                io.maestro.provenance.ReceiptTypes.BRAND_PACK_SAVED),
                            java.util.Optional.empty(),
                            0,
                            500))
                    .receipts())
        .stream()
        .filter(r -> r.id().equals(receiptId))
        .findFirst()
        .orElseThrow()
        .payload()
        .orElseThrow();
  }

  @Test
  void aPlatformAdminSavesAndAssignsAPack_eachChangeWithAReceipt_andTheTenantSeesIt() {
    Api.Reply saved = api.call("PUT", "/api/brand-packs/northwind", root, NORTHWIND);
    assertThat(saved.status()).as(saved.body().toString()).isEqualTo(200);
    assertThat(saved.body().path("version").asLong()).isEqualTo(1);
    assertThat(saved.body().path("receipt").asText()).startsWith("rcp_");
    assertThat(saved.body().path("css").asText()).contains("--mc-banner-bg: #0f4c3a;");
    Api.Reply again = api.call("PUT", "/api/brand-packs/northwind", root, NORTHWIND);
    assertThat(again.body().path("receipt").isNull()).as("unchanged: no receipt").isTrue();

    Map<String, Object> darker = new java.util.HashMap<>(NORTHWIND);
    darker.put("colors", Map.of("banner_bg", "#0b3d2e", "accent", "#0f6b52"));
    Api.Reply changed = api.call("PUT", "/api/brand-packs/northwind", root, darker);
    assertThat(changed.body().path("version").asLong()).isEqualTo(2);
    assertThat(platformPayload(saved.body().path("receipt").asText()))
        .contains("\"path\":\"/colors\"")
        .contains("#0f4c3a");
    assertThat(platformPayload(changed.body().path("receipt").asText()))
        .contains("\"path\":\"/colors/banner_bg\"")
        .contains("\"from\":\"#0f4c3a\"")
        .contains("\"to\":\"#0b3d2e\"");

    assertThat(api.call("GET", "/api/tenants/acme/brand", acmeViewer, null).status())
        .isEqualTo(404);
    // The console's read: no pack is an answer, and no "not found" attempt is receipted.
    int before = receipts(acmeAdmin, "access.not_found").size();
    Api.Reply none = api.call("GET", "/api/tenants/acme/brand?optional=true", acmeViewer, null);
    assertThat(none.status()).isEqualTo(200);
    assertThat(none.body().path("assigned").asBoolean(true)).isFalse();
    assertThat(receipts(acmeAdmin, "access.not_found")).hasSize(before);
    Api.Reply assigned =
        api.call("PUT", "/api/tenants/acme/brand", root, Map.of("pack", "northwind"));
    assertThat(assigned.status()).as(assigned.body().toString()).isEqualTo(200);
    JsonNode receipt =
        receipts(acmeAdmin, "brand.assigned").stream()
            .filter(r -> r.path("id").asText().equals(assigned.body().path("receipt").asText()))
            .findFirst()
            .orElseThrow();
    assertThat(receipt.path("payload").path("changes").get(0).path("to").asText())
        .isEqualTo("northwind");
    assertThat(receipt.path("decision").path("allow").asBoolean()).isTrue();

    Api.Reply mine = api.call("GET", "/api/tenants/acme/brand", acmeViewer, null);
    assertThat(mine.status()).isEqualTo(200);
    assertThat(mine.body().path("product_name").asText()).isEqualTo("Northwind Flow");
    assertThat(api.call("PUT", "/api/tenants/acme/brand", root, Map.of("pack", "nope")).code())
        .isEqualTo("brand_pack_not_found");
  }

  @Test
  void colorsFailingWcagAa_areRefusedByPolicy_withTheContrastReason() {
    Api.Reply r =
        api.call(
            "PUT",
            "/api/brand-packs/pale",
            root,
            Map.of(
                "name", "Pale",
                "product_name", "Pale",
                "colors", Map.of("banner_bg", "#dddddd", "banner_fg", "#ffffff")));
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.code()).isEqualTo("policy_denied");
    assertThat(r.reasonCodes()).containsExactly("brand_contrast_insufficient");
    assertThat(r.body().path("decision_id").asText()).isNotEmpty();
    assertThat(api.call("GET", "/api/brand-packs/pale", root, null).status()).isEqualTo(404);
  }

  @Test
  void malformedPacks_areRefusedWithStableCodes() {
    assertThat(
            api.call(
                    "PUT",
                    "/api/brand-packs/bad",
                    root,
                    Map.of("name", "n", "product_name", "p", "colors", Map.of("fg", "blue")))
                .code())
        .isEqualTo("brand_color_invalid");
    String script =
        java.util.Base64.getEncoder()
            .encodeToString(
                "<svg onload=\"alert(1)\"/>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(
            api.call(
                    "PUT",
                    "/api/brand-packs/bad",
                    root,
                    Map.of(
                        "name",
                        "n",
                        "product_name",
                        "p",
                        "logo",
                        "data:image/svg+xml;base64," + script))
                .code())
        .isEqualTo("brand_logo_unsafe");
    assertThat(api.call("PUT", "/api/brand-packs/bad", root, Map.of("name", "n")).code())
        .isEqualTo("brand_pack_invalid");
  }

  @Test
  void tenantRolesMayNeitherManageNorAssignPacks() {
    Api.Reply put = api.call("PUT", "/api/brand-packs/mine", acmeAdmin, NORTHWIND);
    assertThat(put.status()).isEqualTo(403);
    assertThat(put.reasonCodes()).contains("role_not_permitted");
    Api.Reply assign =
        api.call("PUT", "/api/tenants/acme/brand", acmeAdmin, Map.of("pack", "northwind"));
    assertThat(assign.status()).isEqualTo(403);
    assertThat(api.call("GET", "/api/brand-packs/northwind", acmeAdmin, null).status())
        .isEqualTo(403);
  }

  @Test
  void typographyTokens_areStoredCanonically_servedAsCustomProperties_andBadOnesRefused() {
    Api.Reply saved =
        api.call(
            "PUT",
            "/api/brand-packs/typeset",
            root,
            Map.of(
                "name", "Typeset",
                "product_name", "Typeset Flow",
                "typography",
                    Map.of(
                        "font_family", "Atkinson Hyperlegible, 'Noto Sans', sans-serif",
                        "font_size", "1.0625rem",
                        "line_height", 1.6)));
    assertThat(saved.status()).as(saved.body().toString()).isEqualTo(200);
    assertThat(saved.body().path("typography").path("font_family").asText())
        .isEqualTo("\"Atkinson Hyperlegible\", \"Noto Sans\", sans-serif");
    assertThat(saved.body().path("css").asText())
        .contains("--mc-font: \"Atkinson Hyperlegible\", \"Noto Sans\", sans-serif;")
        .contains("--mc-font-size: 1.0625rem;")
        .contains("--mc-line-height: 1.6;");
    assertThat(
            api.call("GET", "/api/brand-packs/typeset", root, null)
                .body()
                .path("typography")
                .path("font_size")
                .asText())
        .isEqualTo("1.0625rem");

    Api.Reply injected =
        api.call(
            "PUT",
            "/api/brand-packs/typeset",
            root,
            Map.of(
                "name", "n",
                "product_name", "p",
                "typography", Map.of("font_family", "x;} body{display:none}, sans-serif")));
    assertThat(injected.status()).isEqualTo(422);
    assertThat(injected.code()).isEqualTo("brand_typography_invalid");
    assertThat(
            api.call(
                    "PUT",
                    "/api/brand-packs/typeset",
                    root,
                    Map.of(
                        "name", "n", "product_name", "p", "typography", Map.of("font_size", "8px")))
                .code())
        .isEqualTo("brand_typography_invalid");
    assertThat(
            api.call("GET", "/api/brand-packs/typeset", root, null)
                .body()
                .path("product_name")
                .asText())
        .as("a refused pack leaves the stored one as it was")
        .isEqualTo("Typeset Flow");
  }
}
