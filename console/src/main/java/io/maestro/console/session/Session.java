package io.maestro.console.session;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * The signed-in browser: an HttpOnly, SameSite=Lax cookie (Secure over TLS) holding the API token
 * the sign-in obtained. Nothing is kept in the server process, so any server process serves any
 * session. The CSRF token of every form is derived from the cookie's token, which a page of another
 * site can neither read nor send with a value it knows.
 */
public final class Session {
  public static final String COOKIE = "maestro_console";
  public static final String CSRF_FIELD = "csrf";

  private Session() {}

  /** The token of the session cookie, if any. */
  public static Optional<String> token(ServerRequest req) {
    for (String header : req.headers().all(HeaderNames.COOKIE, java.util.List::of)) {
      for (String part : header.split(";")) {
        String p = part.trim();
        if (p.startsWith(COOKIE + "=")) {
          String v = p.substring(COOKIE.length() + 1);
          return v.isEmpty() ? Optional.empty() : Optional.of(v);
        }
      }
    }
    return Optional.empty();
  }

  /** The CSRF token every form of this session carries. */
  public static String csrf(String token) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest(("maestro-console-csrf\n" + token).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** True when {@code submitted} is this session's CSRF token (compared in constant time). */
  public static boolean csrfMatches(String token, String submitted) {
    return submitted != null
        && MessageDigest.isEqual(
            csrf(token).getBytes(StandardCharsets.UTF_8),
            submitted.getBytes(StandardCharsets.UTF_8));
  }

  public static void start(ServerRequest req, ServerResponse res, String token, Duration ttl) {
    res.headers().add(HeaderNames.SET_COOKIE, cookie(req, token, ttl.toSeconds()));
  }

  public static void end(ServerRequest req, ServerResponse res) {
    res.headers().add(HeaderNames.SET_COOKIE, cookie(req, "", 0));
  }

  private static String cookie(ServerRequest req, String value, long maxAge) {
    return COOKIE
        + "="
        + value
        + "; Path=/console; Max-Age="
        + maxAge
        + "; HttpOnly; SameSite=Lax"
        + (req.isSecure() ? "; Secure" : "");
  }
}
