package io.maestro.console.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.maestro.core.config.MaestroConfig;
import io.maestro.tenancy.identity.JwksCache;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The console as an OpenID Connect relying party: authorization code flow with PKCE (S256), {@code
 * state} and {@code nonce}, against the issuer of {@code auth.oidc.issuer}. Endpoints come from the
 * issuer's discovery document (whose {@code issuer} must equal the configured one); the ID token's
 * signature is checked against the issuer's JWKS, and its issuer, audience, expiry and nonce
 * against what this sign-in sent. Nothing is kept between the two legs except what the browser
 * carries back in its short-lived cookie ({@link Pending}), so any server process finishes a
 * sign-in any other began.
 */
public final class OidcClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration SKEW = Duration.ofMinutes(1);
  private static final Duration DISCOVERY_TTL = Duration.ofMinutes(5);
  private static final Set<JWSAlgorithm> ALLOWED =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512,
          JWSAlgorithm.EdDSA,
          JWSAlgorithm.Ed25519);

  private final String issuer;
  private final String clientId;
  private final String clientSecret;
  private final String redirectUri;
  private final Clock clock;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private volatile Discovery discovery;
  private URI jwksUri;

  /** What the discovery document says, and when it was read. */
  record Discovery(
      URI authorization, URI token, Optional<URI> endSession, JwksCache keys, Instant fetched) {}

  /** The secrets of one sign-in in flight, carried by the browser between the two legs. */
  public record Pending(String state, String nonce, String verifier) {
    static Pending fresh() {
      return new Pending(random(), random(), random());
    }

    /** S256: the challenge sent with the authorization request. */
    String challenge() {
      return b64(sha256(verifier));
    }

    public String cookieValue() {
      return state + "." + nonce + "." + verifier;
    }

    public static Optional<Pending> parse(String value) {
      String[] p = value == null ? new String[0] : value.split("\\.");
      if (p.length != 3
          || !p[0].matches("[A-Za-z0-9_-]{43}")
          || !p[1].matches("[A-Za-z0-9_-]{43}")
          || !p[2].matches("[A-Za-z0-9_-]{43}")) {
        return Optional.empty();
      }
      return Optional.of(new Pending(p[0], p[1], p[2]));
    }
  }

  /** A finished sign-in: the token the console calls the API with, and until when. */
  public record SignedIn(String apiToken, Instant expires, String subject) {}

  /** A sign-in the console refuses; the message is shown on the sign-in page. */
  public static final class SignInFailed extends RuntimeException {
    SignInFailed(String message) {
      super(message);
    }
  }

  public OidcClient(MaestroConfig.Auth auth, Clock clock) {
    this.issuer = auth.oidcIssuer();
    this.clientId = auth.oidcClientId();
    this.clientSecret = auth.oidcClientSecret();
    this.redirectUri = auth.oidcRedirectUri();
    this.clock = clock;
  }

  /** The console's OIDC sign-in when the configuration asks for it. */
  public static Optional<OidcClient> of(MaestroConfig config) {
    return config.auth().consoleSignIn()
        ? Optional.of(new OidcClient(config.auth(), Clock.systemUTC()))
        : Optional.empty();
  }

  public String issuer() {
    return issuer;
  }

  /** The redirect URI: the configured one, else the callback on the browser's own origin. */
  public String redirectUri(String origin) {
    return redirectUri.isEmpty() ? origin + "/console/oidc/callback" : redirectUri;
  }

  /** A new sign-in: its secrets and where to send the browser. */
  public Map.Entry<Pending, URI> begin(String origin) {
    Pending p = Pending.fresh();
    Map<String, String> q = new LinkedHashMap<>();
    q.put("response_type", "code");
    q.put("client_id", clientId);
    q.put("redirect_uri", redirectUri(origin));
    q.put("scope", "openid profile");
    q.put("state", p.state());
    q.put("nonce", p.nonce());
    q.put("code_challenge", p.challenge());
    q.put("code_challenge_method", "S256");
    URI authorize = discovery().authorization();
    String sep = authorize.getRawQuery() == null ? "?" : "&";
    return Map.entry(p, URI.create(authorize + sep + form(q)));
  }

  /**
   * The second leg: checks {@code state}, redeems {@code code} with the PKCE verifier and checks
   * the ID token.
   */
  public SignedIn finish(Pending pending, String state, String code, String origin) {
    if (state == null
        || !MessageDigest.isEqual(
            pending.state().getBytes(StandardCharsets.UTF_8),
            state.getBytes(StandardCharsets.UTF_8))) {
      throw new SignInFailed("the sign-in's state does not match; start again");
    }
    if (code == null || code.isBlank()) {
      throw new SignInFailed("the identity provider sent no authorization code");
    }
    Discovery d = discovery();
    Map<String, String> body = new LinkedHashMap<>();
    body.put("grant_type", "authorization_code");
    body.put("code", code);
    body.put("redirect_uri", redirectUri(origin));
    body.put("client_id", clientId);
    body.put("code_verifier", pending.verifier());
    HttpRequest.Builder b =
        HttpRequest.newBuilder(d.token())
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(form(body)));
    if (!clientSecret.isEmpty()) {
      String basic =
          URLEncoder.encode(clientId, StandardCharsets.UTF_8)
              + ":"
              + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
      b.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
    }
    JsonNode tokens = json(b.build(), "token endpoint");
    if (tokens.has("error")) {
      throw new SignInFailed(
          "the identity provider refused the code: " + tokens.path("error").asText());
    }
    String idToken = tokens.path("id_token").asText("");
    if (idToken.isEmpty()) {
      throw new SignInFailed("the identity provider returned no ID token");
    }
    JWTClaimsSet id = verifyIdToken(idToken, pending.nonce(), d);
    // The API is called with the access token (a JWT for auth.oidc.audience); a provider that
    // issues none is left with the ID token, which the API accepts only if it names that audience.
    String api = tokens.path("access_token").asText("");
    if (api.isEmpty()) {
      api = idToken;
    }
    Instant expires = expiry(api, tokens.path("expires_in").asLong(3600));
    return new SignedIn(api, expires, id.getSubject());
  }

  /** Where to send the browser to end its session at the provider, if it has such an endpoint. */
  public Optional<URI> endSession(String origin) {
    try {
      return discovery()
          .endSession()
          .map(
              e -> {
                Map<String, String> q = new LinkedHashMap<>();
                q.put("client_id", clientId);
                q.put("post_logout_redirect_uri", origin + "/console/signin");
                return URI.create(e + (e.getRawQuery() == null ? "?" : "&") + form(q));
              });
    } catch (SignInFailed e) {
      return Optional.empty(); // the provider is unreachable: the local sign-out still happened
    }
  }

  /** Whether {@code token} (not verified here; the API verifies it) came from this issuer. */
  public boolean issued(String token) {
    try {
      return issuer.equals(SignedJWT.parse(token).getJWTClaimsSet().getIssuer());
    } catch (ParseException e) {
      return false;
    }
  }

  JWTClaimsSet verifyIdToken(String token, String nonce, Discovery d) {
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new SignInFailed("the ID token is not a signed JWT");
    }
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    if (!ALLOWED.contains(alg)) {
      throw new SignInFailed("ID tokens signed with " + alg + " are not accepted");
    }
    Optional<JWK> key;
    try {
      key = d.keys().find(jwt.getHeader().getKeyID());
    } catch (RuntimeException e) {
      throw new SignInFailed("the identity provider's signing keys cannot be fetched");
    }
    if (key.isEmpty()) {
      throw new SignInFailed("the ID token is signed with a key the issuer does not publish");
    }
    try {
      JWSVerifier v = verifier(key.get());
      if (!v.supportedJWSAlgorithms().contains(alg) || !jwt.verify(v)) {
        throw new SignInFailed("the ID token's signature does not verify");
      }
    } catch (JOSEException e) {
      throw new SignInFailed("the ID token's signature does not verify");
    }
    if (!issuer.equals(claims.getIssuer())) {
      throw new SignInFailed("the ID token comes from another issuer");
    }
    List<String> aud = claims.getAudience();
    if (aud == null || !aud.contains(clientId)) {
      throw new SignInFailed("the ID token is not meant for this console (aud)");
    }
    Object azp = claims.getClaim("azp");
    if (aud.size() > 1 && !clientId.equals(azp)) {
      throw new SignInFailed("the ID token names other audiences and not this console as azp");
    }
    Instant now = clock.instant();
    if (claims.getExpirationTime() == null
        || now.isAfter(claims.getExpirationTime().toInstant().plus(SKEW))) {
      throw new SignInFailed("the ID token has expired");
    }
    if (claims.getIssueTime() == null) {
      throw new SignInFailed("the ID token has no issue time (iat)");
    }
    Object n = claims.getClaim("nonce");
    if (!(n instanceof String s)
        || !MessageDigest.isEqual(
            s.getBytes(StandardCharsets.UTF_8), nonce.getBytes(StandardCharsets.UTF_8))) {
      throw new SignInFailed("the ID token's nonce does not match this sign-in");
    }
    if (claims.getSubject() == null || claims.getSubject().isBlank()) {
      throw new SignInFailed("the ID token has no subject");
    }
    return claims;
  }

  private Instant expiry(String token, long expiresIn) {
    Instant now = clock.instant();
    Instant cap = now.plus(Duration.ofHours(8));
    try {
      var exp = SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime();
      if (exp != null) {
        Instant e = exp.toInstant();
        return e.isBefore(cap) ? e : cap;
      }
    } catch (ParseException e) {
      // an opaque token: the provider's expires_in
    }
    Instant e = now.plusSeconds(Math.max(60, expiresIn));
    return e.isBefore(cap) ? e : cap;
  }

  private Discovery discovery() {
    Discovery d = discovery;
    if (d != null && clock.instant().isBefore(d.fetched().plus(DISCOVERY_TTL))) {
      return d;
    }
    synchronized (this) {
      d = discovery;
      if (d != null && clock.instant().isBefore(d.fetched().plus(DISCOVERY_TTL))) {
        return d;
      }
      String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
      JsonNode doc =
          json(
              HttpRequest.newBuilder(URI.create(base + "/.well-known/openid-configuration"))
                  .timeout(Duration.ofSeconds(10))
                  .header("Accept", "application/json")
                  .GET()
                  .build(),
              "discovery document");
      if (!issuer.equals(doc.path("issuer").asText())) {
        throw new SignInFailed(
            "the discovery document names issuer "
                + doc.path("issuer").asText()
                + ", not the configured "
                + issuer);
      }
      URI jwks = uri(doc, "jwks_uri");
      String end = doc.path("end_session_endpoint").asText("");
      // A new key cache per discovery read keeps rotation simple: the provider's keys are re-read
      // every five minutes, or as soon as an ID token names a kid the cache has not seen.
      Discovery next =
          new Discovery(
              uri(doc, "authorization_endpoint"),
              uri(doc, "token_endpoint"),
              end.isEmpty() ? Optional.empty() : Optional.of(URI.create(end)),
              d != null && d.keys() != null && jwks.equals(jwksUri)
                  ? d.keys()
                  : JwksCache.http(jwks, clock),
              clock.instant());
      jwksUri = jwks;
      discovery = next;
      return next;
    }
  }

  private static URI uri(JsonNode doc, String field) {
    String v = doc.path(field).asText("");
    if (!v.startsWith("https://") && !v.startsWith("http://")) {
      throw new SignInFailed("the discovery document has no usable " + field);
    }
    return URI.create(v);
  }

  private JsonNode json(HttpRequest req, String what) {
    try {
      HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
      JsonNode body;
      try {
        body = JSON.readTree(res.body());
      } catch (IOException e) {
        throw new SignInFailed("the identity provider's " + what + " is not JSON");
      }
      if (res.statusCode() >= 400 && !body.has("error")) {
        throw new SignInFailed(
            "the identity provider's " + what + " answered HTTP " + res.statusCode());
      }
      return body;
    } catch (IOException e) {
      throw new SignInFailed(
          "cannot reach the identity provider's " + what + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SignInFailed("interrupted");
    }
  }

  private static JWSVerifier verifier(JWK key) throws JOSEException {
    return switch (key) {
      case RSAKey rsa -> new RSASSAVerifier(rsa);
      case ECKey ec -> new ECDSAVerifier(ec);
      case OctetKeyPair okp -> new Ed25519Verifier(okp.toPublicJWK());
      default -> throw new JOSEException("unsupported key type " + key.getKeyType());
    };
  }

  static String form(Map<String, String> fields) {
    StringJoiner j = new StringJoiner("&");
    fields.forEach(
        (k, v) ->
            j.add(
                URLEncoder.encode(k, StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return j.toString();
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return b64(b);
  }

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
