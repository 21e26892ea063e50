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

  /** A PatchOp on user {@code subject}, as the provider's token sends it. */
  private Api.Reply patchUser(String subject, Map<String, Object> body) {
    return scim("PATCH", "/Users/" + enc(subject), idp, body);
  }

  /** A PATCH of group {@code operator}'s members by a value list, as both providers send it. */
  private Api.Reply members(String op, String subject) {
    return scim(
        "PATCH",
        "/Groups/operator",
        idp,
        patch(Map.of("op", op, "path", "members", "value", List.of(Map.of("value", subject)))));
  }

  @SafeVarargs
  private static Map<String, Object> patchAll(Map<String, Object>... ops) {
    return Map.of("schemas", List.of(PATCH), "Operations", List.of(ops));
  }

  /** The stable code of a SCIM error response, from Maestro's extension of the error schema. */
  static String code(Api.Reply r) {
    return r.body().path(EXTENSION).path("code").asText();
  }

  static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
  static final String EXTENSION = "urn:maestro:params:scim:api:messages:2.0:Error";

  /**
   * An RFC 7644 §3.12 error: SCIM's content type and error schema, the status as a string, the
   * scimType when there is one (only for 400 and 409), and the stable code in the extension.
   */
  static void assertScimError(Api.Reply r, int status, String scimType, String code) {
    assertThat(r.status()).as(r.body().toString()).isEqualTo(status);
    assertThat(r.raw().headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/scim+json");
    assertThat(r.body().path("schemas").get(0).asText()).isEqualTo(ERROR);
    assertThat(r.body().path("schemas").toString()).contains(EXTENSION);
    assertThat(r.body().path("status").isTextual()).isTrue();
    assertThat(r.body().path("status").asText()).isEqualTo(Integer.toString(status));
    if (scimType == null) {
      assertThat(r.body().has("scimType")).as(r.body().toString()).isFalse();
    } else {
      assertThat(r.body().path("scimType").asText()).isEqualTo(scimType);
    }
    assertThat(r.body().path("detail").asText()).isNotBlank();
    assertThat(code(r)).isEqualTo(code);
    assertThat(r.body().has("code")).as("no problem+json members at the top").isFalse();
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
    assertScimError(
        scim("POST", "/Users", idp, Map.of("userName", "dora@acme")),
        409,
        "uniqueness",
        "scim_conflict");

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
    assertScimError(
        scim("GET", "/Users?filter=" + enc("name co \"x\""), idp, null),
        400,
        "invalidFilter",
        "scim_invalid_filter");

    Api.Reply grouped = members("add", "dora@acme");
    assertThat(grouped.status()).as(grouped.body().toString()).isEqualTo(200);
    assertThat(grouped.body().path("members").toString()).contains("dora@acme");
    assertThat(api.call("GET", "/api/whoami", dora, null).body().path("roles").toString())
        .contains("operator");

    Api.Reply off =
        patchUser("dora@acme", patch(Map.of("op", "replace", "value", Map.of("active", false))));
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
        patchUser("dora@acme", patch(Map.of("op", "replace", "path", "active", "value", "True")));
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
    assertScimError(
        scim("GET", "/Users/" + enc("dora@acme"), idp, null), 404, null, "scim_user_not_found");

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
    assertScimError(scim("GET", "/Groups/root", idp, null), 404, null, "scim_group_not_found");
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
    assertScimError(refused, 403, null, "policy_denied");
    assertThat(refused.body().path(EXTENSION).path("reasons").toString())
        .contains("role_not_permitted");
    assertThat(refused.body().path(EXTENSION).path("decision_id").asText()).startsWith("dec_");

    String other = api.token("globex", "gus@globex", "tenant_admin");
    assertThat(scim("POST", "/Users", idp, Map.of("userName", "erin@acme")).status())
        .isEqualTo(201);
    Api.Reply theirs =
        scim("GET", "/Users?filter=" + enc("userName eq \"erin@acme\""), other, null);
    assertThat(theirs.status()).isEqualTo(200);
    assertThat(theirs.body().path("totalResults").asInt()).isZero();
    assertThat(scim("GET", "/Users/" + enc("erin@acme"), other, null).status()).isEqualTo(404);
  }

  /**
   * Every error path of /scim/v2 answers in SCIM's error format: a missing or bad token, a
   * malformed body, an unknown endpoint, a method not allowed, a PATCH that is not a PatchOp, a
   * change of identity. The API outside /scim/v2 keeps problem+json.
   */
  @Test
  void everyErrorIsAScimErrorResponse() {
    assertScimError(scim("GET", "/Users", null, null), 401, null, "invalid_token");
    Api.Reply badToken = scim("GET", "/Users", "not-a-token", null);
    assertScimError(badToken, 401, null, "invalid_token");
    assertThat(badToken.raw().headers().firstValue("WWW-Authenticate").orElse(""))
        .contains("Bearer");
    assertScimError(
        api.call(
            "POST",
            "/scim/v2/Users",
            idp,
            "{\"userName\": ".getBytes(StandardCharsets.UTF_8),
            SCIM),
        400,
        "invalidSyntax",
        "malformed_json");
    assertScimError(scim("GET", "/Nothing", idp, null), 404, null, "route_not_found");
    Api.Reply notAllowed = scim("DELETE", "/Groups", idp, null);
    assertScimError(notAllowed, 405, null, "method_not_allowed");
    assertScimError(
        scim("PATCH", "/Groups/operator", idp, Map.of("op", "add")),
        400,
        "invalidSyntax",
        "scim_invalid");
    assertScimError(
        scim("POST", "/Users", idp, Map.of("displayName", "nobody")),
        400,
        "invalidValue",
        "scim_invalid");
    assertThat(scim("POST", "/Users", idp, Map.of("userName", "hugo@acme")).status())
        .isEqualTo(201);
    assertScimError(
        patchUser(
            "hugo@acme", patch(Map.of("op", "replace", "path", "userName", "value", "other@acme"))),
        400,
        "mutability",
        "scim_invalid");
    assertScimError(
        patchUser("hugo@acme", patch(Map.of("op", "replace", "path", "active", "value", "maybe"))),
        400,
        "invalidValue",
        "scim_invalid");

    Api.Reply plain = api.call("GET", "/api/whoami", null, null);
    assertThat(plain.status()).isEqualTo(401);
    assertThat(plain.raw().headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(plain.code()).isEqualTo("invalid_token");
  }

  /**
   * What Okta and Entra ID send (their published request bodies): a lookup by {@code userName eq
   * "…"} before creating (Entra encodes spaces as {@code +}), a create with names, emails and the
   * enterprise extension, Okta's PATCH of {@code active} as a value object without a path, Entra's
   * capitalised ops with a path and {@code "False"} as a string together with attributes this
   * server does not keep, Okta's full PUT, Entra's group read without members and its member
   * removal by value list.
   */
  @Test
  void oktaAndEntraRequestShapes_areUnderstood() {
    String entraLookup = "/Users?filter=userName+eq+%22Frida%40ACME%22";
    Api.Reply before = scim("GET", entraLookup, idp, null);
    assertThat(before.status()).as(before.body().toString()).isEqualTo(200);
    assertThat(before.body().path("totalResults").asInt()).isZero();

    Api.Reply created =
        scim(
            "POST",
            "/Users",
            idp,
            Map.of(
                "schemas",
                List.of(
                    "urn:ietf:params:scim:schemas:core:2.0:User",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"),
                "userName",
                "frida@acme",
                "externalId",
                "9950b140",
                "active",
                true,
                "name",
                Map.of("formatted", "Frida K", "familyName", "K", "givenName", "Frida"),
                "emails",
                List.of(Map.of("type", "work", "value", "frida@acme.example", "primary", true)),
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                Map.of("department", "Ops")));
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    assertThat(created.body().path("displayName").asText()).isEqualTo("Frida K");
    assertThat(created.raw().headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/scim+json");

    // userName is case-insensitive; both encodings of a space find the user.
    assertThat(scim("GET", entraLookup, idp, null).body().path("totalResults").asInt())
        .isEqualTo(1);
    assertThat(
            scim("GET", "/Users?filter=" + enc("userName eq \"frida@acme\""), idp, null)
                .body()
                .path("Resources")
                .get(0)
                .path("id")
                .asText())
        .isEqualTo("frida@acme");
    // Okta's connection test.
    Api.Reply okta = scim("GET", "/Users?startIndex=1&count=2", idp, null);
    assertThat(okta.body().path("itemsPerPage").asInt()).isLessThanOrEqualTo(2);
    assertThat(okta.body().path("startIndex").asInt()).isEqualTo(1);

    Api.Reply entraOff =
        patchUser(
            "frida@acme",
            patchAll(
                Map.of("op", "Replace", "path", "active", "value", "False"),
                Map.of("op", "Add", "path", "name.givenName", "value", "Frida"),
                Map.of(
                    "op",
                    "Replace",
                    "path",
                    "emails[type eq \"work\"].value",
                    "value",
                    "frida@acme.example"),
                Map.of(
                    "op",
                    "Replace",
                    "path",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
                    "value",
                    "Sales"),
                Map.of("op", "Remove", "path", "title")));
    assertThat(entraOff.status()).as(entraOff.body().toString()).isEqualTo(200);
    assertThat(entraOff.body().path("active").asBoolean()).isFalse();
    String frida = api.token(T, "frida@acme");
    assertThat(api.call("GET", "/api/whoami", frida, null).body().path("roles").toString())
        .doesNotContain("read_only");

    Api.Reply oktaOn =
        patchUser("frida@acme", patch(Map.of("op", "replace", "value", Map.of("active", true))));
    assertThat(oktaOn.body().path("active").asBoolean()).isTrue();
    Api.Reply oktaOff =
        patchUser("frida@acme", patch(Map.of("op", "replace", "path", "active", "value", false)));
    assertThat(oktaOff.body().path("active").asBoolean()).isFalse();

    // Okta's full replacement (AIW apps), with active as a string some providers send.
    Api.Reply put =
        scim(
            "PUT",
            "/Users/" + enc("frida@acme"),
            idp,
            Map.of(
                "schemas",
                List.of("urn:ietf:params:scim:schemas:core:2.0:User"),
                "id",
                "frida@acme",
                "userName",
                "frida@acme",
                "name",
                Map.of("givenName", "Frida", "familyName", "K"),
                "emails",
                List.of(Map.of("value", "frida@acme.example", "primary", true)),
                "active",
                "True"));
    assertThat(put.status()).as(put.body().toString()).isEqualTo(200);
    assertThat(put.body().path("active").asBoolean()).isTrue();

    Api.Reply grouped = members("Add", "frida@acme");
    assertThat(grouped.body().path("members").toString()).contains("frida@acme");
    Api.Reply lean =
        scim(
            "GET",
            "/Groups?excludedAttributes=members&filter=" + enc("displayName eq \"operator\""),
            idp,
            null);
    assertThat(lean.body().path("totalResults").asInt()).isEqualTo(1);
    assertThat(lean.body().path("Resources").get(0).has("members")).isFalse();
    assertThat(lean.body().path("Resources").get(0).path("id").asText()).isEqualTo("operator");
    Api.Reply entraRemove = members("Remove", "frida@acme");
    assertThat(entraRemove.status()).as(entraRemove.body().toString()).isEqualTo(200);
    assertThat(entraRemove.body().path("members").toString()).doesNotContain("frida@acme");
  }
}
