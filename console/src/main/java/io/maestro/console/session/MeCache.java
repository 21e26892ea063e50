package io.maestro.console.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Who a session's token belongs to ({@code GET /api/whoami}), remembered for a few seconds so a
 * page does not pay a whoami round trip (with the tenant's usage counts) on every load. Only what
 * the page draws depends on it: each API call the page makes still authenticates the token and goes
 * through the policy gate, and a 401 from any of them ends the session. Keyed by the token's
 * digest, bounded, per process.
 */
public final class MeCache {
  static final Duration TTL = Duration.ofSeconds(10);
  private static final int LIMIT = 10_000;
  private static final ConcurrentHashMap<String, Entry> CACHE = new ConcurrentHashMap<>();

  private record Entry(Me me, long expiresNanos) {}

  private MeCache() {}

  public static Me get(String token, Supplier<Me> whoami) {
    String key = digest(token);
    long now = System.nanoTime();
    Entry e = CACHE.get(key);
    if (e != null && now - e.expiresNanos() < 0) {
      return e.me();
    }
    Me me = whoami.get();
    if (CACHE.size() >= LIMIT) {
      CACHE.clear(); // crude but bounded: a full cache only costs whoami calls
    }
    CACHE.put(key, new Entry(me, now + TTL.toNanos()));
    return me;
  }

  public static void forget(String token) {
    CACHE.remove(digest(token));
  }

  private static String digest(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
