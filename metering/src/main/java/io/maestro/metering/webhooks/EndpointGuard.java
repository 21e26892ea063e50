package io.maestro.metering.webhooks;

import io.maestro.core.problem.MaestroException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * The SSRF guard for webhook endpoints. A URL must be absolute {@code https} (or {@code http} in
 * dev mode), without user info, and every address its host resolves to must be public: not
 * loopback, private (RFC 1918, IPv6 unique-local), link-local (which holds cloud metadata
 * services), carrier-grade NAT, unspecified, multicast, reserved or documentation ranges. In dev
 * mode loopback and private addresses are allowed (for local receivers); link-local, unspecified
 * and multicast addresses never are. The check runs at registration and again, after a fresh DNS
 * resolution, before every delivery attempt (redirects are never followed).
 */
public final class EndpointGuard {
  private final boolean devMode;
  private final Resolver resolver;

  /** Resolves a host name to its addresses (the system resolver unless a test gives another). */
  @FunctionalInterface
  public interface Resolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;
  }

  public EndpointGuard(boolean devMode) {
    this(devMode, host -> List.of(InetAddress.getAllByName(host)));
  }

  public EndpointGuard(boolean devMode, Resolver resolver) {
    this.devMode = devMode;
    this.resolver = resolver;
  }

  public boolean devMode() {
    return devMode;
  }

  /** The URL, parsed and checked for form (scheme, host, no user info); no DNS lookup. */
  public URI parse(String url) {
    if (url == null || url.isBlank() || url.length() > 2048) {
      throw MaestroException.of(WebhookErrors.URL_INVALID, "the url is missing or too long");
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw MaestroException.of(WebhookErrors.URL_INVALID, "the url is malformed");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean allowed = scheme.equals("https") || (devMode && scheme.equals("http"));
    if (!allowed) {
      throw MaestroException.of(
          WebhookErrors.URL_INVALID,
          devMode ? "the url must use http or https" : "the url must use https");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw MaestroException.of(WebhookErrors.URL_INVALID, "the url has no host");
    }
    if (uri.getRawUserInfo() != null) {
      throw MaestroException.of(WebhookErrors.URL_INVALID, "the url must not carry credentials");
    }
    if (uri.getRawFragment() != null) {
      throw MaestroException.of(WebhookErrors.URL_INVALID, "the url must not have a fragment");
    }
    return uri;
  }

  /**
   * Resolves the URL's host and checks every address; throws {@code webhook_url_forbidden} when one
   * is not allowed and {@code webhook_url_invalid} when the host does not resolve.
   */
  public List<InetAddress> check(URI uri) {
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    List<InetAddress> addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw MaestroException.of(WebhookErrors.URL_INVALID, "the url's host does not resolve");
    }
    if (addresses.isEmpty()) {
      throw MaestroException.of(WebhookErrors.URL_INVALID, "the url's host does not resolve");
    }
    for (InetAddress a : addresses) {
      if (!allowed(a)) {
        throw MaestroException.of(
            WebhookErrors.URL_FORBIDDEN,
            "the url's host resolves to "
                + a.getHostAddress()
                + ", which is not a public address"
                + (devMode ? "" : " (only dev mode may deliver to loopback or private addresses)"));
      }
    }
    return addresses;
  }

  /** Parses and checks in one step, as registration does. */
  public URI require(String url) {
    URI uri = parse(url);
    check(uri);
    return uri;
  }

  boolean allowed(InetAddress a) {
    if (a.isAnyLocalAddress() || a.isMulticastAddress() || a.isLinkLocalAddress()) {
      return false;
    }
    boolean local = a.isLoopbackAddress() || a.isSiteLocalAddress() || uniqueLocal(a);
    if (local) {
      return devMode;
    }
    return !reserved(a);
  }

  private static boolean uniqueLocal(InetAddress a) {
    return a instanceof Inet6Address && (a.getAddress()[0] & 0xfe) == 0xfc;
  }

  /** Special-purpose ranges (RFC 6890 and friends) that are not the public internet. */
  private static boolean reserved(InetAddress a) {
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int o1 = b[0] & 0xff;
      int o2 = b[1] & 0xff;
      int o3 = b[2] & 0xff;
      return o1 == 0
          || (o1 == 100 && o2 >= 64 && o2 <= 127) // carrier-grade NAT
          || (o1 == 192 && o2 == 0 && (o3 == 0 || o3 == 2)) // IETF protocol, TEST-NET-1
          || (o1 == 198 && (o2 == 18 || o2 == 19)) // benchmarking
          || (o1 == 198 && o2 == 51 && o3 == 100) // TEST-NET-2
          || (o1 == 203 && o2 == 0 && o3 == 113) // TEST-NET-3
          || o1 >= 240; // reserved and broadcast
    }
    int w0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
    int w1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    boolean zeroPrefix = true;
    for (int i = 0; i < 10; i++) {
      zeroPrefix &= b[i] == 0;
    }
    return (w0 == 0x2001 && w1 == 0x0db8) // documentation
        || (w0 == 0x0064 && w1 == 0xff9b) // NAT64, may reach IPv4 private space
        || (w0 == 0x2002) // 6to4, embeds an IPv4 address
        || zeroPrefix; // IPv4-compatible and other ::/80 forms
  }
}
