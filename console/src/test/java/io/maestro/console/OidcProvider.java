package io.maestro.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small but real OpenID Connect provider for the tests: a discovery document, an authorization
 * endpoint (the user is already signed in here, so it answers with a code at once), a token
 * endpoint that checks the code, client, redirect URI and PKCE verifier (S256) and issues RS256 ID
 * and access tokens, a JWKS and an end-session endpoint. The console talks to it over HTTP exactly
 * as to any provider. Switches make it misbehave the ways a sign-in must survive: ID tokens signed
 * with a key it does not publish, or carrying another nonce.
 */
final class OidcProvider implements AutoCloseable {
  static final String CLIENT_ID = "switchboard";

  private final HttpServer http;
  private final RSAKey key;
  private final RSAKey rogue;
  final String issuer;
  private final Map<String, Grant> codes = new ConcurrentHashMap<>();
  final List<Map<String, String>> tokenRequests = new CopyOnWriteArrayList<>();
  final List<String> authorizeQueries = new CopyOnWriteArrayList<>();
  private final SecureRandom random = new SecureRandom();

  volatile String subject = "olivia@acme";
  volatile String tenant = "acme";
  volatile List<String> roles = List.of("tenant_admin");
  volatile boolean signWithUnpublishedKey;
  volatile boolean wrongNonce;

  private record Grant(
      String clientId, String redirectUri, String challenge, String nonce, String subject) {}

  OidcProvider() throws IOException, JOSEException {
    key = new RSAKeyGenerator(2048).keyID("idp-1").keyUse(KeyUse.SIGNATURE).generate();
    rogue = new RSAKeyGenerator(2048).keyID("idp-1").keyUse(KeyUse.SIGNATURE).generate();
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    issuer = "http://127.0.0.1:" + http.getAddress().getPort() + "/realms/test";
    http.createContext("/realms/test/.well-known/openid-configuration", this::discovery);
    http.createContext("/realms/test/authorize", this::authorize);
    http.createContext("/realms/test/token", this::token);
    http.createContext("/realms/test/jwks", this::jwks);
    http.createContext("/realms/test/logout", this::logout);
    http.start();
  }

  String jwksUrl() {
    return issuer + "/jwks";
  }

  /** The server settings that make a console sign in here. */
  Map<String, String> settings() {
    return Map.of(
        "auth.oidc.issuer", issuer,
        "auth.oidc.jwksUrl", jwksUrl(),
        "auth.oidc.clientId", CLIENT_ID);
  }

  private void discovery(HttpExchange ex) throws IOException {
    ObjectNode d = ConsoleServer.JSON.createObjectNode();
    d.put("issuer", issuer);
    d.put("authorization_endpoint", issuer + "/authorize");
    d.put("token_endpoint", issuer + "/token");
    d.put("jwks_uri", jwksUrl());
    d.put("end_session_endpoint", issuer + "/logout");
    d.putArray("response_types_supported").add("code");
    d.putArray("code_challenge_methods_supported").add("S256");
    d.putArray("id_token_signing_alg_values_supported").add("RS256");
    send(ex, 200, "application/json", d.toString());
  }

  private void authorize(HttpExchange ex) throws IOException {
    String raw = ex.getRequestURI().getRawQuery();
    authorizeQueries.add(raw);
    Map<String, String> q = parse(raw);
    if (!CLIENT_ID.equals(q.get("client_id"))
        || !"code".equals(q.get("response_type"))
        || !"S256".equals(q.get("code_challenge_method"))
        || q.get("code_challenge") == null
        || q.get("redirect_uri") == null
        || !q.getOrDefault("scope", "").contains("openid")) {
      send(ex, 400, "text/plain", "invalid authorization request");
      return;
    }
    String code = token();
    codes.put(
        code,
        new Grant(
            q.get("client_id"),
            q.get("redirect_uri"),
            q.get("code_challenge"),
            q.get("nonce"),
            subject));
    String location =
        q.get("redirect_uri") + "?code=" + enc(code) + "&state=" + enc(q.getOrDefault("state", ""));
    ex.getResponseHeaders().add("Location", location);
    ex.sendResponseHeaders(302, -1);
    ex.close();
  }

  private void token(HttpExchange ex) throws IOException {
    Map<String, String> f =
        parse(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    tokenRequests.add(f);
    Grant g = f.get("code") == null ? null : codes.remove(f.get("code")); // one use
    if (!"authorization_code".equals(f.get("grant_type"))
        || g == null
        || !g.clientId().equals(f.get("client_id"))
        || !g.redirectUri().equals(f.get("redirect_uri"))
        || f.get("code_verifier") == null
        || !g.challenge().equals(s256(f.get("code_verifier")))) {
      send(ex, 400, "application/json", "{\"error\":\"invalid_grant\"}");
      return;
    }
    try {
      Instant now = Instant.now();
      JWTClaimsSet.Builder common =
          new JWTClaimsSet.Builder()
              .issuer(issuer)
              .subject(g.subject())
              .issueTime(Date.from(now))
              .expirationTime(Date.from(now.plusSeconds(3600)))
              .claim("tenant_id", tenant)
              .claim("roles", roles);
      JWTClaimsSet id =
          new JWTClaimsSet.Builder(common.build())
              .audience(CLIENT_ID)
              .claim("nonce", wrongNonce ? "not-" + g.nonce() : g.nonce())
              .build();
      JWTClaimsSet access =
          new JWTClaimsSet.Builder(common.build())
              .audience("maestro")
              .claim("azp", CLIENT_ID)
              .jwtID(token())
              .build();
      ObjectNode body = ConsoleServer.JSON.createObjectNode();
      body.put("token_type", "Bearer");
      body.put("expires_in", 3600);
      body.put("id_token", sign(id, signWithUnpublishedKey ? rogue : key, JOSEObjectType.JWT));
      body.put("access_token", sign(access, key, new JOSEObjectType("at+jwt")));
      send(ex, 200, "application/json", body.toString());
    } catch (JOSEException e) {
      send(ex, 500, "application/json", "{\"error\":\"server_error\"}");
    }
  }

  /**
   * An access token as the token endpoint issues them, for a user who signed in elsewhere (as a CLI
   * user pastes one): {@code tenant} null makes a platform user.
   */
  String accessToken(String user, String tenantId, List<String> roleNames) throws JOSEException {
    Instant now = Instant.now();
    JWTClaimsSet.Builder b =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject(user)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(3600)))
            .claim("roles", roleNames)
            .audience("maestro")
            .claim("azp", CLIENT_ID)
            .jwtID(token());
    if (tenantId != null) {
      b.claim("tenant_id", tenantId);
    }
    return sign(b.build(), key, new JOSEObjectType("at+jwt"));
  }

  private void jwks(HttpExchange ex) throws IOException {
    send(ex, 200, "application/json", new JWKSet(key.toPublicJWK()).toString());
  }

  private void logout(HttpExchange ex) throws IOException {
    Map<String, String> q = parse(ex.getRequestURI().getRawQuery());
    ex.getResponseHeaders().add("Location", q.getOrDefault("post_logout_redirect_uri", issuer));
    ex.sendResponseHeaders(302, -1);
    ex.close();
  }

  private static String sign(JWTClaimsSet claims, RSAKey with, JOSEObjectType type)
      throws JOSEException {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).type(type).build(),
            claims);
    jwt.sign(new RSASSASigner(with));
    return jwt.serialize();
  }

  private String token() {
    byte[] b = new byte[24];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static String s256(String verifier) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(
              MessageDigest.getInstance("SHA-256")
                  .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, String> parse(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
