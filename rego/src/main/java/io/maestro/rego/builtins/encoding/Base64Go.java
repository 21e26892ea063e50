package io.maestro.rego.builtins.encoding;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Go's encoding/base64 (padded standard and URL alphabets; CR and LF in the input are ignored;
 * errors name the offending byte offset) and encoding/hex.
 */
final class Base64Go {
  private static final String STD =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  private static final String URL =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  private Base64Go() {}

  static String encode(byte[] in, boolean url, boolean pad) {
    String alphabet = url ? URL : STD;
    StringBuilder sb = new StringBuilder((in.length + 2) / 3 * 4);
    int i = 0;
    for (; i + 2 < in.length; i += 3) {
      int v = (in[i] & 0xff) << 16 | (in[i + 1] & 0xff) << 8 | (in[i + 2] & 0xff);
      sb.append(alphabet.charAt(v >> 18 & 63))
          .append(alphabet.charAt(v >> 12 & 63))
          .append(alphabet.charAt(v >> 6 & 63))
          .append(alphabet.charAt(v & 63));
    }
    int rem = in.length - i;
    if (rem > 0) {
      int v = (in[i] & 0xff) << 16 | (rem == 2 ? (in[i + 1] & 0xff) << 8 : 0);
      sb.append(alphabet.charAt(v >> 18 & 63)).append(alphabet.charAt(v >> 12 & 63));
      if (rem == 2) {
        sb.append(alphabet.charAt(v >> 6 & 63));
      }
      if (pad) {
        sb.append(rem == 2 ? "=" : "==");
      }
    }
    return sb.toString();
  }

  /** Decodes padded base64, or returns null when the input is malformed. */
  static byte[] decode(String s, boolean url) {
    Result r = run(s, url);
    return r.error < 0 ? r.bytes : null;
  }

  /** Go's CorruptInputError text for a malformed input. */
  static String lastError(String s, boolean url) {
    return "illegal base64 data at input byte " + run(s, url).error;
  }

  private record Result(byte[] bytes, int error) {}

  private static Result run(String s, boolean url) {
    String alphabet = url ? URL : STD;
    byte[] src = s.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int si = 0;
    while (si < src.length) {
      int[] quantum = new int[4];
      int j = 0;
      int dlen = 4;
      for (; j < 4; j++) {
        while (si < src.length && (src[si] == '\n' || src[si] == '\r')) {
          si++;
        }
        if (si == src.length) {
          if (j == 0) {
            return new Result(out.toByteArray(), -1);
          }
          return new Result(null, si - j);
        }
        int c = src[si] & 0xff;
        si++;
        int v = c < 128 ? alphabet.indexOf(c) : -1;
        if (v >= 0) {
          quantum[j] = v;
          continue;
        }
        if (c == '\n' || c == '\r') {
          j--;
          continue;
        }
        if (c != '=') {
          return new Result(null, si - 1);
        }
        // padding
        switch (j) {
          case 0, 1 -> {
            return new Result(null, si - 1);
          }
          case 2 -> {
            while (si < src.length && (src[si] == '\n' || src[si] == '\r')) {
              si++;
            }
            if (si == src.length) {
              return new Result(null, src.length);
            }
            if (src[si] != '=') {
              return new Result(null, si - 1);
            }
            si++;
          }
          default -> {}
        }
        while (si < src.length && (src[si] == '\n' || src[si] == '\r')) {
          si++;
        }
        if (si < src.length) {
          return new Result(null, si);
        }
        dlen = j;
        break;
      }
      int val = quantum[0] << 18 | quantum[1] << 12 | quantum[2] << 6 | quantum[3];
      out.write(val >> 16 & 0xff);
      if (dlen > 2) {
        out.write(val >> 8 & 0xff);
      }
      if (dlen > 3) {
        out.write(val & 0xff);
      }
      if (dlen < 4) {
        break;
      }
    }
    return new Result(out.toByteArray(), -1);
  }

  static String hexEncode(byte[] in) {
    StringBuilder sb = new StringBuilder(in.length * 2);
    for (byte b : in) {
      sb.append(Character.forDigit(b >> 4 & 15, 16)).append(Character.forDigit(b & 15, 16));
    }
    return sb.toString();
  }

  /** encoding/hex DecodeString with Go's error texts. */
  static byte[] hexDecode(String s) {
    byte[] src = s.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[src.length / 2];
    int j = 1;
    for (; j < src.length; j += 2) {
      int a = Character.digit((char) (src[j - 1] & 0xff), 16);
      int b = Character.digit((char) (src[j] & 0xff), 16);
      if (a < 0 || (src[j - 1] & 0xff) > 'f') {
        throw invalidByte(src[j - 1]);
      }
      if (b < 0 || (src[j] & 0xff) > 'f') {
        throw invalidByte(src[j]);
      }
      out[j / 2] = (byte) (a << 4 | b);
    }
    if (src.length % 2 == 1) {
      if (Character.digit((char) (src[j - 1] & 0xff), 16) < 0) {
        throw invalidByte(src[j - 1]);
      }
      throw new IllegalArgumentException("encoding/hex: odd length hex string");
    }
    return out;
  }

  private static IllegalArgumentException invalidByte(byte b) {
    int c = b & 0xff;
    String shown = c >= 0x20 && c != 0x7f && c < 0x80 ? " '" + (char) c + "'" : "";
    if (c >= 0xa0) {
      shown = " '" + (char) c + "'";
    }
    return new IllegalArgumentException(
        String.format("encoding/hex: invalid byte: U+%04X%s", c, shown));
  }
}
