package io.maestro.rego.builtins.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** PEM and base64 decoding with the behaviour of Go's {@code encoding/pem} and StdEncoding. */
public final class Pem {
  private Pem() {}

  /** One decoded PEM block and the text that follows it. */
  public record Block(String type, byte[] bytes, String rest) {}

  /**
   * Finds the first PEM block in the text, skipping anything before it; returns null when there is
   * none (Go's {@code pem.Decode} returning nil).
   */
  public static Block decode(String text) {
    int from = 0;
    while (true) {
      int begin = text.indexOf("-----BEGIN ", from);
      if (begin < 0) {
        return null;
      }
      int typeEnd = text.indexOf("-----", begin + 11);
      if (typeEnd < 0) {
        return null;
      }
      String type = text.substring(begin + 11, typeEnd);
      int bodyStart = typeEnd + 5;
      String endMarker = "-----END " + type + "-----";
      int end = text.indexOf(endMarker, bodyStart);
      if (type.contains("\n") || end < 0) {
        from = begin + 11;
        continue;
      }
      String body = text.substring(bodyStart, end);
      // Headers ("Key: value" lines followed by a blank line) precede the base64 body.
      if (body.contains(":")) {
        int blank = body.indexOf("\n\n");
        int blankCr = body.indexOf("\r\n\r\n");
        if (blankCr >= 0 && (blank < 0 || blankCr < blank)) {
          body = body.substring(blankCr + 4);
        } else if (blank >= 0) {
          body = body.substring(blank + 2);
        }
      }
      byte[] bytes;
      try {
        bytes = Base64.getMimeDecoder().decode(body.replaceAll("\\s", ""));
      } catch (IllegalArgumentException e) {
        from = begin + 11;
        continue;
      }
      int restStart = end + endMarker.length();
      // Go consumes the line ending after the END marker.
      if (restStart < text.length() && text.charAt(restStart) == '\r') {
        restStart++;
      }
      if (restStart < text.length() && text.charAt(restStart) == '\n') {
        restStart++;
      }
      return new Block(type, bytes, text.substring(restStart));
    }
  }

  /** Go's base64.StdEncoding.DecodeString: strict padding, CR and LF ignored. */
  public static byte[] base64Std(String s) {
    String cleaned = s.replace("\r", "").replace("\n", "");
    for (int i = 0; i < cleaned.length(); i++) {
      char c = cleaned.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '+'
              || c == '/'
              || c == '=';
      if (!ok) {
        throw new IllegalArgumentException("illegal base64 data at input byte " + i);
      }
    }
    if (cleaned.length() % 4 != 0) {
      int at = cleaned.length() - cleaned.length() % 4;
      throw new IllegalArgumentException("illegal base64 data at input byte " + at);
    }
    try {
      return Base64.getDecoder().decode(cleaned);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("illegal base64 data at input byte 0", e);
    }
  }

  static String latin(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }
}
