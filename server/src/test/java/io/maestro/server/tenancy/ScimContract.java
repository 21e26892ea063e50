package io.maestro.server.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.server.MaestroServer;
import io.maestro.server.auth.Api;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * SCIM 2.0 as an identity provider calls it, over real HTTP (RFC 7644): create a user, find it with
 * a filter, give it a role through a group, deactivate it with a PatchOp (it can no longer act; its
 * account stays), reactivate it, delete it; each change a member change with its receipt; every
 * route policy-gated (an operator may not provision; another tenant sees nothing).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ScimContract {
  static final String T = "acme";
  static final String PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
  static final Map<String, String> SCIM = Map.of("Content-Type", "application/scim+json");

  @TempDir static Path dir;
  MaestroServer server;
  Api api;
  String idp;

  abstract MaestroServer startServer(Path dataDir);

  void cleanUp() {}

  @BeforeAll
  void start() {
    server = startServer(dir);
    api = new Api(server.port());
    idp = api.token(T, "svc:okta@acme", "tenant_admin");
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    cleanUp();
  }

  private Api.Reply scim(String method, String path, String token, Object body) {
    return api.call(method, "/scim/v2" + path, token, body, SCIM);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static Map<String, Object> patch(Map<String, Object> op) {
    return Map.of("schemas", List.of(PATCH), "Operations", List.of(op));
  }

  @Test
  void aUsersLifecycle_createFilterGroupDeactivateReactivateDelete() {
    Api.Reply created =
        scim(
            "POST",
            "/Users",
            idp,
            Map.of(
                "schemas",
                List.of("urn:ietf:params:scim:schemas:core:2.0:User"),
                "userName",
                "dora@acme",
                "externalId",
                "00u1",
                "displayName",
                "Dora"));
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    assertThat(created.body().path("id").asText()).isEqualTo("dora@acme");
    assertThat(created.body().path("active").asBoolean()).isTrue();
    assertThat(created.body().path("groups").get(0).path("value").asText()).isEqualTo("read_only");
    assertThat(scim("POST", "/Users", idp, Map.of("userName", "dora@acme")).code())
        .isEqualTo("scim_conflict");

    // A member now: its own token acts with the role SCIM gave it.
    String dora = api.token(T, "dora@acme");
    assertThat(api.call("GET", "/api/whoami", dora, null).body().path("roles").toString())
        .contains("read_only");

    Api.Reply found = scim("GET", "/Users?filter=" + enc("externalId eq \"00u1\""), idp, null);
    assertThat(found.status()).isEqualTo(200);
    assertThat(found.body().path("totalResults").asInt()).isEqualTo(1);
    assertThat(found.body().path("Resources").get(0).path("userName").asText())
        .isEqualTo("dora@acme");
    assertThat(
            scim("GET", "/Users?filter=" + enc("userName eq \"nobody@acme\""), idp, null)
                .body()
                .path("totalResults")
                .asInt())
        .isZero();
    assertThat(scim("GET", "/Users?filter=" + enc("name co \"x\""), idp, null).code())
        .isEqualTo("scim_invalid_filter");

    Api.Reply grouped =
        scim(
            "PATCH",
            "/Groups/operator",
            idp,
            patch(
                Map.of(
                    "op",
                    "add",
                    "path",
                    "members",
                    "value",
                    List.of(Map.of("value", "dora@acme")))));
    assertThat(grouped.status()).as(grouped.body().toString()).isEqualTo(200);
    assertThat(grouped.body().path("members").toString()).contains("dora@acme");
    assertThat(api.call("GET", "/api/whoami", dora, null).body().path("roles").toString())
        .contains("operator");

    Api.Reply off =
        scim(
            "PATCH",
            "/Users/" + enc("dora@acme"),
            idp,
            patch(Map.of("op", "replace", "value", Map.of("active", false))));
    assertThat(off.status()).as(off.body().toString()).isEqualTo(200);
    assertThat(off.body().path("active").asBoolean()).isFalse();
    // Deactivated: no longer a member, so its role is gone; the account stays.
    assertThat(api.call("GET", "/api/whoami", dora, null).body().path("roles").toString())
        .doesNotContain("operator");
    assertThat(
            scim("GET", "/Users/" + enc("dora@acme"), idp, null).body().path("active").asBoolean())
        .isFalse();
    assertThat(
            scim("GET", "/Users?filter=" + enc("active eq false"), idp, null)
                .body()
                .path("totalResults")
                .asInt())
        .isEqualTo(1);

    Api.Reply on =
        scim(
            "PATCH",
            "/Users/" + enc("dora@acme"),
            idp,
            patch(Map.of("op", "replace", "path", "active", "value", "True")));
    assertThat(on.body().path("active").asBoolean()).isTrue();
    assertThat(on.body().path("groups").get(0).path("value").asText()).isEqualTo("operator");

    Api.Reply removed =
        scim(
            "PATCH",
            "/Groups/operator",
            idp,
            patch(Map.of("op", "remove", "path", "members[value eq \"dora@acme\"]")));
    assertThat(removed.body().path("members").toString()).doesNotContain("dora@acme");
    assertThat(
            scim("GET", "/Users/" + enc("dora@acme"), idp, null)
                .body()
                .path("groups")
                .get(0)
                .path("value")
                .asText())
        .isEqualTo("read_only");

    assertThat(scim("DELETE", "/Users/" + enc("dora@acme"), idp, null).status()).isEqualTo(204);
    assertThat(scim("GET", "/Users/" + enc("dora@acme"), idp, null).code())
        .isEqualTo("scim_user_not_found");

    // Each membership change is a receipt in the tenant's log.
    JsonNode receipts =
        api.call("GET", "/api/receipts?limit=500&type=member.changed", idp, null).body();
    long dorasChanges = 0;
    for (JsonNode r : receipts.path("receipts")) {
      if (r.path("actor").path("sub").asText().equals("svc:okta@acme")) {
        dorasChanges++;
      }
    }
    // create, operator, deactivate, reactivate, back to read_only, delete (already removed: no).
    assertThat(dorasChanges).isGreaterThanOrEqualTo(5);
  }

  @Test
  void groupsAreTheTenantRoles() {
    Api.Reply all = scim("GET", "/Groups", idp, null);
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.body().path("totalResults").asInt()).isEqualTo(5);
    Api.Reply one =
        scim("GET", "/Groups?filter=" + enc("displayName eq \"tenant_admin\""), idp, null);
    assertThat(one.body().path("totalResults").asInt()).isEqualTo(1);
    assertThat(one.body().path("Resources").get(0).path("displayName").asText())
        .isEqualTo("tenant_admin");
    assertThat(scim("GET", "/Groups/root", idp, null).code()).isEqualTo("scim_group_not_found");
    assertThat(
            scim("GET", "/ServiceProviderConfig", idp, null)
                .body()
                .path("patch")
                .path("supported")
                .asBoolean())
        .isTrue();
  }

  @Test
  void provisioningIsPolicyGated_andTenantBound() {
    String operator = api.token(T, "olav@acme", "operator");
    Api.Reply refused = scim("POST", "/Users", operator, Map.of("userName", "x@acme"));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.reasonCodes()).contains("role_not_permitted");
    assertThat(refused.body().path("decision_id").asText()).isNotEmpty();

    String other = api.token("globex", "gus@globex", "tenant_admin");
    assertThat(scim("POST", "/Users", idp, Map.of("userName", "erin@acme")).status())
        .isEqualTo(201);
    Api.Reply theirs =
        scim("GET", "/Users?filter=" + enc("userName eq \"erin@acme\""), other, null);
    assertThat(theirs.status()).isEqualTo(200);
    assertThat(theirs.body().path("totalResults").asInt()).isZero();
    assertThat(scim("GET", "/Users/" + enc("erin@acme"), other, null).status()).isEqualTo(404);
  }
}
