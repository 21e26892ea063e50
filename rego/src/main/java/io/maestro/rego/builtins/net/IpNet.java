package io.maestro.rego.builtins.net;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An IP network as Go's {@code net.IPNet} sees it: an address (4 bytes for IPv4, 16 for IPv6) and a
 * prefix length. The address is kept as written (not masked) because Go prints it that way for
 * networks built from a bare IPv4 address with its classful default mask.
 */
record IpNet(byte[] address, int prefix) {

  int bits() {
    return address.length * 8;
  }

  BigInteger first() {
    return toInt(address).and(mask());
  }

  BigInteger last() {
    return first().or(BigInteger.ONE.shiftLeft(bits() - prefix).subtract(BigInteger.ONE));
  }

  private BigInteger mask() {
    BigInteger all = BigInteger.ONE.shiftLeft(bits()).subtract(BigInteger.ONE);
    BigInteger host = BigInteger.ONE.shiftLeft(bits() - prefix).subtract(BigInteger.ONE);
    return all.xor(host);
  }

  /** Whether this network contains the address (of the same family). */
  boolean contains(byte[] ip) {
    if (ip.length != address.length) {
      return false;
    }
    BigInteger v = toInt(ip);
    return v.compareTo(first()) >= 0 && v.compareTo(last()) <= 0;
  }

  /** The network with its address masked, as {@code net.ParseCIDR} returns it. */
  IpNet masked() {
    return new IpNet(fromInt(first(), address.length), prefix);
  }

  @Override
  public String toString() {
    return format(address) + "/" + prefix;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpNet n && n.prefix == prefix && Arrays.equals(n.address, address);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(address) * 31 + prefix;
  }

  // ---- parsing, following Go's net.ParseIP / net.ParseCIDR ----

  /** Parses "addr/prefix"; returns null when Go's ParseCIDR would fail. */
  static IpNet parseCidr(String s) {
    int slash = s.indexOf('/');
    if (slash < 0) {
      return null;
    }
    String addr = s.substring(0, slash);
    String len = s.substring(slash + 1);
    byte[] ip = addr.indexOf(':') >= 0 ? parseIpv6(addr) : parseIpv4(addr);
    if (ip == null
        || len.isEmpty()
        || len.length() > 3
        || !len.chars().allMatch(Character::isDigit)) {
      return null;
    }
    if (len.length() > 1 && len.charAt(0) == '0') {
      return null;
    }
    int n = Integer.parseInt(len);
    if (n > ip.length * 8) {
      return null;
    }
    return new IpNet(ip, n).masked();
  }

  /**
   * Parses an address; IPv4-mapped IPv6 addresses come back as 4 bytes (Go compares them as IPv4).
   * Returns null when Go's ParseIP would fail.
   */
  static byte[] parseIp(String s) {
    if (s.indexOf(':') >= 0) {
      byte[] ip = parseIpv6(s);
      if (ip != null && isV4Mapped(ip)) {
        return Arrays.copyOfRange(ip, 12, 16);
      }
      return ip;
    }
    return parseIpv4(s);
  }

  private static boolean isV4Mapped(byte[] ip) {
    for (int i = 0; i < 10; i++) {
      if (ip[i] != 0) {
        return false;
      }
    }
    return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
  }

  static byte[] parseIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      // Go rejects empty parts, non-digits, and leading zeros (ambiguous octal).
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      if (p.length() > 1 && p.charAt(0) == '0') {
        return null;
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  static byte[] parseIpv6(String s) {
    byte[] out = new byte[16];
    int ellipsis = -1;
    int i = 0;
    int pos = 0;
    if (s.startsWith("::")) {
      ellipsis = 0;
      pos = 2;
      if (pos == s.length()) {
        return out;
      }
    }
    while (i < 16) {
      int end = pos;
      int n = 0;
      while (end < s.length() && Character.digit(s.charAt(end), 16) >= 0 && end - pos < 4) {
        n = n * 16 + Character.digit(s.charAt(end), 16);
        end++;
      }
      if (end == pos) {
        return null;
      }
      if (end < s.length() && s.charAt(end) == '.') {
        // An embedded IPv4 address ends the string.
        if (ellipsis < 0 && i != 12) {
          return null;
        }
        if (i + 4 > 16) {
          return null;
        }
        byte[] v4 = parseIpv4(s.substring(pos));
        if (v4 == null) {
          return null;
        }
        System.arraycopy(v4, 0, out, i, 4);
        i += 4;
        pos = s.length();
        break;
      }
      if (end < s.length() && Character.digit(s.charAt(end), 16) >= 0) {
        return null; // more than four hex digits
      }
      out[i] = (byte) (n >> 8);
      out[i + 1] = (byte) n;
      i += 2;
      pos = end;
      if (pos == s.length()) {
        break;
      }
      if (s.charAt(pos) != ':' || pos + 1 == s.length()) {
        return null;
      }
      pos++;
      if (s.charAt(pos) == ':') {
        if (ellipsis >= 0) {
          return null;
        }
        ellipsis = i;
        pos++;
        if (pos == s.length()) {
          break;
        }
      }
    }
    if (pos != s.length()) {
      return null;
    }
    if (i < 16) {
      if (ellipsis < 0) {
        return null;
      }
      int n = 16 - i;
      for (int j = i - 1; j >= ellipsis; j--) {
        out[j + n] = out[j];
      }
      for (int j = ellipsis + n - 1; j >= ellipsis; j--) {
        out[j] = 0;
      }
    } else if (ellipsis >= 0) {
      return null; // an ellipsis must stand for at least one group
    }
    return out;
  }

  // ---- formatting, following Go's net.IP.String ----

  static String format(byte[] ip) {
    if (ip.length == 4) {
      return (ip[0] & 0xff) + "." + (ip[1] & 0xff) + "." + (ip[2] & 0xff) + "." + (ip[3] & 0xff);
    }
    if (isV4Mapped(ip)) {
      return format(Arrays.copyOfRange(ip, 12, 16));
    }
    // Find the longest run of zero groups (at least two) to compress, first one on ties.
    int bestStart = -1;
    int bestLen = 0;
    for (int g = 0; g < 8; ) {
      if (group(ip, g) == 0) {
        int start = g;
        while (g < 8 && group(ip, g) == 0) {
          g++;
        }
        if (g - start > bestLen && g - start >= 2) {
          bestStart = start;
          bestLen = g - start;
        }
      } else {
        g++;
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int g = 0; g < 8; g++) {
      if (g == bestStart) {
        sb.append("::");
        g += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(group(ip, g)));
    }
    return sb.toString();
  }

  private static int group(byte[] ip, int g) {
    return ((ip[2 * g] & 0xff) << 8) | (ip[2 * g + 1] & 0xff);
  }

  static BigInteger toInt(byte[] ip) {
    return new BigInteger(1, ip);
  }

  static byte[] fromInt(BigInteger v, int len) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[len];
    int copy = Math.min(raw.length, len);
    System.arraycopy(raw, raw.length - copy, out, len - copy, copy);
    return out;
  }

  /** The smallest list of aligned networks covering exactly [first, last]. */
  static List<IpNet> rangeToCidrs(BigInteger first, BigInteger last, int len) {
    List<IpNet> out = new ArrayList<>();
    int bits = len * 8;
    BigInteger cur = first;
    while (cur.compareTo(last) <= 0) {
      int host = cur.signum() == 0 ? bits : cur.getLowestSetBit();
      host = Math.min(host, bits);
      // Shrink the block until it fits inside the remaining range.
      while (host > 0
          && cur.add(BigInteger.ONE.shiftLeft(host)).subtract(BigInteger.ONE).compareTo(last) > 0) {
        host--;
      }
      out.add(new IpNet(fromInt(cur, len), bits - host));
      cur = cur.add(BigInteger.ONE.shiftLeft(host));
    }
    return out;
  }
}
