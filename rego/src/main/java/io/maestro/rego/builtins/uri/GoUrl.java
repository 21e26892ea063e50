package io.maestro.rego.builtins.uri;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A URL parsed as Go's {@code net/url.Parse} parses one (what OPA's {@code uri.*} builtins use):
 * the same split into scheme, opaque part, authority, path, query and fragment, the same escape
 * rules, and the same errors, worded as Go words them.
 */
record GoUrl(
    String scheme,
    String opaque,
    String host,
    String path,
    String rawPath,
    String rawQuery,
    String fragment) {

  /** Go's url.Parse failed; the message is Go's {@code parse "<url>": <reason>}. */
  static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    ParseException(String url, String reason) {
      super("parse " + quote(url) + ": " + reason);
    }
  }

  private enum Mode {
    PATH,
    HOST,
    ZONE,
    FRAGMENT
  }

  static GoUrl parse(String raw) throws ParseException {
    int hash = raw.indexOf('#');
    String rest = hash < 0 ? raw : raw.substring(0, hash);
    GoUrl u = parseWithoutFragment(raw, rest);
    // Go reads the fragment after the rest, so an error in the rest is reported first.
    String fragment = hash < 0 ? "" : unescape(raw, raw.substring(hash + 1), Mode.FRAGMENT);
    return new GoUrl(u.scheme, u.opaque, u.host, u.path, u.rawPath, u.rawQuery, fragment);
  }

  private static GoUrl parseWithoutFragment(String raw, String rest) throws ParseException {
    String fragment = "";
    for (int i = 0; i < rest.length(); i++) {
      char c = rest.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new ParseException(raw, "net/url: invalid control character in URL");
      }
    }
    if (rest.isEmpty()) {
      return new GoUrl("", "", "", "", "", "", fragment);
    }
    if (rest.equals("*")) {
      return new GoUrl("", "", "", "*", "", "", fragment);
    }
    String scheme = "";
    for (int i = 0; i < rest.length(); i++) {
      char c = rest.charAt(i);
      if (Character.isLetter(c) && c < 0x80) {
        continue;
      }
      if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
        if (i == 0) {
          break;
        }
        continue;
      }
      if (c == ':') {
        if (i == 0) {
          throw new ParseException(raw, "missing protocol scheme");
        }
        scheme = rest.substring(0, i).toLowerCase(Locale.ROOT);
        rest = rest.substring(i + 1);
      }
      break;
    }
    String rawQuery = "";
    if (rest.endsWith("?") && rest.indexOf('?') == rest.length() - 1) {
      rest = rest.substring(0, rest.length() - 1);
    } else {
      int q = rest.indexOf('?');
      if (q >= 0) {
        rawQuery = rest.substring(q + 1);
        rest = rest.substring(0, q);
      }
    }
    if (!rest.startsWith("/")) {
      if (!scheme.isEmpty()) {
        return new GoUrl(scheme, rest, "", "", "", rawQuery, fragment);
      }
      int colon = rest.indexOf(':');
      int slash = rest.indexOf('/');
      if (colon >= 0 && (slash < 0 || colon < slash)) {
        throw new ParseException(raw, "first path segment in URL cannot contain colon");
      }
    }
    String host = "";
    // Without a scheme, "///x" is a path, not an empty authority (as in Go).
    if (rest.startsWith("//") && (!scheme.isEmpty() || !rest.startsWith("///"))) {
      String authority = rest.substring(2);
      int slash = authority.indexOf('/');
      if (slash >= 0) {
        rest = authority.substring(slash);
        authority = authority.substring(0, slash);
      } else {
        rest = "";
      }
      host = authorityHost(raw, authority);
    }
    String path = unescape(raw, rest, Mode.PATH);
    String rawPath = escapePath(path).equals(rest) ? "" : rest;
    return new GoUrl(scheme, "", host, path, rawPath, rawQuery, fragment);
  }

  /** The host without its port; the brackets of an IPv6 literal removed. */
  String hostname() {
    int colon = portColon();
    String h = colon < 0 ? host : host.substring(0, colon);
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }

  /** The port after the host, or "". */
  String port() {
    int colon = portColon();
    return colon < 0 ? "" : host.substring(colon + 1);
  }

  private int portColon() {
    int colon = host.lastIndexOf(':');
    if (colon < 0 || (host.startsWith("[") && colon < host.indexOf(']'))) {
      return -1;
    }
    for (int i = colon + 1; i < host.length(); i++) {
      if (!Character.isDigit(host.charAt(i))) {
        return -1;
      }
    }
    return colon;
  }

  private static String authorityHost(String raw, String authority) throws ParseException {
    int at = authority.lastIndexOf('@');
    String hostPort = at < 0 ? authority : authority.substring(at + 1);
    if (at >= 0) {
      String userinfo = authority.substring(0, at);
      for (int i = 0; i < userinfo.length(); i++) {
        char c = userinfo.charAt(i);
        if (!(isUnreserved(c) || "$&'()*+,;=:%@!".indexOf(c) >= 0)) {
          throw new ParseException(raw, "net/url: invalid userinfo");
        }
      }
    }
    if (hostPort.startsWith("[")) {
      int close = hostPort.lastIndexOf(']');
      if (close < 0) {
        throw new ParseException(raw, "missing ']' in host");
      }
      String colonPort = hostPort.substring(close + 1);
      if (!validOptionalPort(colonPort)) {
        throw new ParseException(raw, "invalid port " + quote(colonPort) + " after host");
      }
      int zone = hostPort.substring(0, close).indexOf("%25");
      if (zone >= 0) {
        String h1 = unescape(raw, hostPort.substring(0, zone), Mode.HOST);
        String h2 = unescape(raw, hostPort.substring(zone, close), Mode.ZONE);
        return h1 + h2 + unescape(raw, hostPort.substring(close), Mode.HOST);
      }
    } else {
      int colon = hostPort.lastIndexOf(':');
      if (colon >= 0 && !validOptionalPort(hostPort.substring(colon))) {
        throw new ParseException(
            raw, "invalid port " + quote(hostPort.substring(colon)) + " after host");
      }
    }
    return unescape(raw, hostPort, Mode.HOST);
  }

  private static boolean validOptionalPort(String port) {
    if (port.isEmpty()) {
      return true;
    }
    if (port.charAt(0) != ':') {
      return false;
    }
    for (int i = 1; i < port.length(); i++) {
      if (port.charAt(i) < '0' || port.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** Go's url.unescape: %XX decoded as bytes (UTF-8), with Go's checks in the host. */
  private static String unescape(String raw, String s, Mode mode) throws ParseException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      if (b == '%') {
        if (i + 2 >= bytes.length || hex(bytes[i + 1]) < 0 || hex(bytes[i + 2]) < 0) {
          String bad = new String(bytes, i, Math.min(3, bytes.length - i), StandardCharsets.UTF_8);
          throw new ParseException(raw, "invalid URL escape " + quote(bad));
        }
        int v = hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]);
        if (mode == Mode.HOST && v < 0x80 && v != '%') {
          String esc = new String(bytes, i, 3, StandardCharsets.US_ASCII);
          throw new ParseException(raw, "invalid URL escape " + quote(esc));
        }
        out.write(v);
        i += 2;
      } else {
        if (mode == Mode.HOST && b < 0x80 && shouldEscapeInHost(b)) {
          throw new ParseException(
              raw, "invalid character " + quote(String.valueOf((char) b)) + " in host name");
        }
        out.write(b);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Go's %q for the short ASCII texts quoted in its errors. */
  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static boolean shouldEscapeInHost(int c) {
    return !(isUnreserved((char) c) || "!$&'()*+,;=:[]<>\"".indexOf(c) >= 0);
  }

  private static boolean isUnreserved(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_'
        || c == '.'
        || c == '~';
  }

  /** Go's escape(path, encodePath): everything but unreserved and $&+,/:;=@ as %XX. */
  private static String escapePath(String path) {
    StringBuilder sb = new StringBuilder();
    for (byte x : path.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if (c < 0x80 && (isUnreserved((char) c) || "$&+,/:;=@".indexOf(c) >= 0)) {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        sb.append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return sb.toString();
  }

  private static int hex(byte b) {
    return Character.digit(b, 16);
  }
}
