package io.maestro.governance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Where a run falls on a ramp: a number in [0, 100) with two decimals, from the SHA-256 of tenant,
 * workflow and the run's key (its idempotency key, else its id). The same request always lands in
 * the same bucket, so a ramp's answer is stable and a decision replays exactly; a run is inside a
 * ramp of {@code p} percent when its bucket is below {@code p}.
 */
public final class Bucketing {
  private Bucketing() {}

  public static double bucket(String tenant, String workflow, String key) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
    // NUL separators: "a" + "bc" and "ab" + "c" must not share a bucket by construction.
    byte[] h = sha.digest((tenant + '\0' + workflow + '\0' + key).getBytes(StandardCharsets.UTF_8));
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (h[i] & 0xff);
    }
    return Long.remainderUnsigned(v, 10_000) / 100.0;
  }
}
