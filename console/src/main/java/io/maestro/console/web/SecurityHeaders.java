package io.maestro.console.web;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;

/**
 * The headers every console response carries: a strict Content-Security-Policy (scripts and styles
 * from this origin only, no inline code, no framing), the legacy frame and sniffing guards, no
 * referrer leaving the site and no caching of pages with tenant data.
 */
public final class SecurityHeaders {
  public static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none';"
          + " frame-ancestors 'none'";

  private SecurityHeaders() {}

  public static void apply(ServerResponse res) {
    res.header("Content-Security-Policy", CSP);
    res.header("X-Frame-Options", "DENY");
    res.header("X-Content-Type-Options", "nosniff");
    res.header("Referrer-Policy", "same-origin");
    res.header("Cross-Origin-Opener-Policy", "same-origin");
  }

  public static void noStore(ServerResponse res) {
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
  }
}
