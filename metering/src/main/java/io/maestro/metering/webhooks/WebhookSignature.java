package io.maestro.metering.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signing: a secret is {@code whsec_} followed by the base64 of 32 random bytes;
 * a signature is {@code v1,} followed by the base64 HMAC-SHA256, keyed with those bytes, of {@code
 * <webhook-id>.<webhook-timestamp>.<body>}. With several secrets (during a rotation) the header
 * carries one signature per secret, separated by spaces, and a receiver accepts any that matches.
 */
public final class WebhookSignature {
  public static final String SECRET_PREFIX = "whsec_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private WebhookSignature() {}

  /** A new random secret. */
  public static String newSecret() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** The {@code webhook-signature} header value for {@code body}, signed with every secret. */
  public static String header(String id, long timestampSeconds, String body, List<String> secrets) {
    return secrets.stream()
        .map(s -> "v1," + sign(s, id + "." + timestampSeconds + "." + body))
        .collect(Collectors.joining(" "));
  }

  /**
   * Whether {@code header} (a {@code webhook-signature} value: space-separated {@code v1,<base64>}
   * entries) holds a signature of {@code body} with {@code secret}; compared in constant time.
   */
  public static boolean verify(
      String id, long timestampSeconds, String body, String header, String secret) {
    byte[] expected =
        sign(secret, id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8);
    for (String entry : header.trim().split("\\s+")) {
      if (entry.startsWith("v1,")
          && MessageDigest.isEqual(expected, entry.substring(3).getBytes(StandardCharsets.UTF_8))) {
        return true;
      }
    }
    return false;
  }

  private static String sign(String secret, String content) {
    if (!secret.startsWith(SECRET_PREFIX)) {
      throw new IllegalArgumentException("a webhook secret starts with " + SECRET_PREFIX);
    }
    byte[] key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
    }
  }
}
