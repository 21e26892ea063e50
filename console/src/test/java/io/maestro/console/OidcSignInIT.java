package io.maestro.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OIDC sign-in (authorization code + PKCE) against a real provider over HTTP ({@link OidcProvider}:
 * discovery, authorize, token, JWKS, RS256-signed tokens) and a real dev-mode server configured to
 * trust it: the happy path sets the session cookie and the API takes the user for the provider's; a
 * forged state, an ID token signed with an unpublished key, a replayed nonce and a callback without
 * the pending cookie are each refused with no session; sign-out ends the session and links to the
 * provider's end-session endpoint. The last test does it in Chromium.
 */
class OidcSignInIT {
  @TempDir static Path dataDir;
  static OidcProvider idp;
  static ConsoleServer server;
  static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeAll
  static void start() throws Exception {
    idp = new OidcProvider();
    server = ConsoleServer.start(dataDir, idp.settings());
    // The tenant the provider's users belong to.
    server.token("acme", "tenant_admin");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (idp != null) {
      idp.close();
    }
  }

  @BeforeEach
  void reset() {
    idp.signWithUnpublishedKey = false;
    idp.wrongNonce = false;
    idp.subject = "olivia@acme";
  }

  static HttpResponse<String> get(String url, String cookie) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static String cookie(HttpResponse<?> res, String name) {
    return res.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith(name + "="))
        .findFirst()
        .orElse(null);
  }

  /** Start → provider → callback location, as a browser would go, with the pending cookie. */
  record Leg(String pendingCookie, String callback, Map<String, String> authorize) {}

  static Leg toProviderAndBack() throws Exception {
    HttpResponse<String> start = get(server.base + "/console/oidc/start", null);
    assertThat(start.statusCode()).isEqualTo(303);
    String location = start.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(idp.issuer + "/authorize?");
    String set = cookie(start, "maestro_oidc");
    assertThat(set)
        .contains("HttpOnly")
        .contains("SameSite=Lax")
        .contains("Path=/console/oidc")
        .doesNotContain("Secure");
    HttpResponse<String> authorized = get(location, null);
    assertThat(authorized.statusCode()).isEqualTo(302);
    return new Leg(
        set.substring(0, set.indexOf(';')),
        authorized.headers().firstValue("Location").orElseThrow(),
        OidcProvider.parse(URI.create(location).getRawQuery()));
  }

  @Test
  void signsInWithCodeAndPkceAndTheApiTakesTheProvidersUser() throws Exception {
    HttpResponse<String> form = get(server.base + "/console/signin", null);
    assertThat(form.body()).contains("/console/oidc/start").contains(idp.issuer);

    Leg leg = toProviderAndBack();
    assertThat(leg.authorize())
        .containsEntry("client_id", OidcProvider.CLIENT_ID)
        .containsEntry("code_challenge_method", "S256")
        .containsEntry("redirect_uri", server.base + "/console/oidc/callback")
        .containsKeys("state", "nonce", "code_challenge");
    assertThat(leg.authorize().get("state")).isNotEqualTo(leg.authorize().get("nonce"));

    HttpResponse<String> back = get(leg.callback(), leg.pendingCookie());
    assertThat(back.statusCode()).as(back.body()).isEqualTo(303);
    assertThat(back.headers().firstValue("Location")).contains("/console");
    String session = cookie(back, "maestro_console");
    assertThat(session).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/console");
    assertThat(cookie(back, "maestro_oidc"))
        .as("the pending sign-in is used up")
        .contains("Max-Age=0");

    // The token endpoint got the verifier whose S256 is the challenge sent to authorize.
    Map<String, String> tokenRequest = idp.tokenRequests.getLast();
    assertThat(OidcProvider.s256(tokenRequest.get("code_verifier")))
        .isEqualTo(leg.authorize().get("code_challenge"));

    String sessionCookie = session.substring(0, session.indexOf(';'));
    HttpResponse<String> runs = get(server.base + "/console/runs", sessionCookie);
    assertThat(runs.statusCode()).isEqualTo(200);
    assertThat(runs.body()).contains("olivia@acme").contains("acme");
    String token = sessionCookie.substring("maestro_console=".length());
    JsonNode me = server.call("GET", "/api/whoami", token, null, null);
    assertThat(me.path("subject").asText()).isEqualTo("olivia@acme");
    assertThat(me.path("via").asText()).isEqualTo("oidc");

    // The same code cannot be redeemed twice: the provider refuses, the console says so.
    HttpResponse<String> replay = get(leg.callback(), leg.pendingCookie());
    assertThat(replay.statusCode()).isEqualTo(401);
    assertThat(cookie(replay, "maestro_console")).isNull();

    // Sign-out ends the console session and sends the browser to the provider's end-session.
    HttpResponse<String> out =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(server.base + "/console/signout"))
                .header("Cookie", sessionCookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "csrf=" + io.maestro.console.session.Session.csrf(token)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(out.statusCode()).isEqualTo(200);
    assertThat(out.body())
        .contains("Signed out of the console.")
        .contains(
            "href=\"" + idp.issuer + "/logout?client_id=switchboard&amp;post_logout_redirect_uri=");
    assertThat(cookie(out, "maestro_console")).contains("Max-Age=0");
    assertThat(
            get(server.base + "/console/runs", sessionCookie.replaceAll("=.*", "=")).statusCode())
        .isEqualTo(303);
  }

  @Test
  void aForgedStateIsRefused() throws Exception {
    Leg leg = toProviderAndBack();
    String forged = leg.callback().replaceAll("state=[^&]+", "state=forged");
    HttpResponse<String> back = get(forged, leg.pendingCookie());
    assertThat(back.statusCode()).isEqualTo(401);
    assertThat(back.body()).contains("state does not match");
    assertThat(cookie(back, "maestro_console")).isNull();
  }

  @Test
  void anIdTokenSignedWithAKeyTheIssuerDoesNotPublishIsRefused() throws Exception {
    idp.signWithUnpublishedKey = true;
    Leg leg = toProviderAndBack();
    HttpResponse<String> back = get(leg.callback(), leg.pendingCookie());
    assertThat(back.statusCode()).isEqualTo(401);
    assertThat(back.body()).contains("signature does not verify");
    assertThat(cookie(back, "maestro_console")).isNull();
  }

  @Test
  void anIdTokenForAnotherSignInIsRefused() throws Exception {
    idp.wrongNonce = true;
    Leg leg = toProviderAndBack();
    HttpResponse<String> back = get(leg.callback(), leg.pendingCookie());
    assertThat(back.statusCode()).isEqualTo(401);
    assertThat(back.body()).contains("nonce does not match");
    assertThat(cookie(back, "maestro_console")).isNull();
  }

  @Test
  void aCallbackThisBrowserDidNotStartIsRefused() throws Exception {
    // Login CSRF: an attacker's code delivered to a victim's browser, which holds no pending
    // cookie.
    Leg leg = toProviderAndBack();
    HttpResponse<String> back = get(leg.callback(), null);
    assertThat(back.statusCode()).isEqualTo(400);
    assertThat(cookie(back, "maestro_console")).isNull();
    assertThat(idp.tokenRequests.stream().noneMatch(r -> leg.callback().contains(r.get("code"))))
        .as("the code was never redeemed")
        .isTrue();
  }

  @Test
  void signsInInChromiumThroughTheProvider() throws Exception {
    Chromium.require();
    idp.subject = "bruno@acme";
    Path shots = Path.of("target", "screenshots");
    Files.createDirectories(shots);
    try (Playwright pw = Chromium.playwright();
        Browser browser = Chromium.launch(pw);
        BrowserContext context = browser.newContext()) {
      Page page = context.newPage();
      page.navigate(server.base + "/");
      page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("signin.png")));
      page.locator("#oidc-signin").click();
      page.waitForURL(server.base + "/console/runs");
      assertThat(page.locator("header").textContent()).contains("bruno@acme");
      List<com.microsoft.playwright.options.Cookie> cookies = context.cookies();
      assertThat(cookies)
          .filteredOn(c -> c.name.equals("maestro_console"))
          .singleElement()
          .satisfies(c -> assertThat(c.httpOnly).isTrue());
    }
  }
}
