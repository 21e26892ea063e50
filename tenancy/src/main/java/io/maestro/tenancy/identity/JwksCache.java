package io.maestro.tenancy.identity;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.maestro.core.problem.CoreErrors;
import io.maestro.core.problem.MaestroException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The signing keys an OIDC provider publishes at its JWKS URL, cached in memory.
 *
 * <p>The set is fetched on first use and again when it is older than {@code ttl}. A token whose
 * {@code kid} is not in the cached set triggers an immediate refresh (the provider rotated its
 * keys), but at most once per {@code minRefreshInterval}, so a flood of tokens with made-up key ids
 * cannot turn into a flood of requests to the provider. When a refresh fails, the last good set
 * keeps being used and the failure is logged; with no set at all, verification fails with {@code
 * service_unavailable} (retryable) rather than a 401, because the token may well be valid.
 *
 * <p>Thread-safe; refreshes are serialized.
 */
public final class JwksCache implements KeySource {
  private static final Logger LOG = Logger.getLogger(JwksCache.class.getName());

  private final Fetcher fetcher;
  private final Clock clock;
  private final Duration ttl;
  private final Duration minRefreshInterval;
  private volatile Snapshot snapshot;
  private Instant lastAttempt = Instant.MIN;

  /** Fetches a JWKS document. Implementations may block; they are called one at a time. */
  @FunctionalInterface
  public interface Fetcher {
    String fetch() throws IOException;
  }

  public JwksCache(Fetcher fetcher, Clock clock, Duration ttl, Duration minRefreshInterval) {
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.minRefreshInterval = Objects.requireNonNull(minRefreshInterval, "minRefreshInterval");
  }

  /** A cache over an HTTP(S) JWKS URL: 5 minute TTL, at most one unknown-kid refresh per 30 s. */
  public static JwksCache http(URI url, Clock clock) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Fetcher fetcher =
        () -> {
          HttpRequest req =
              HttpRequest.newBuilder(url)
                  .timeout(Duration.ofSeconds(5))
                  .header("Accept", "application/json")
                  .build();
          try {
            HttpResponse<String> res = client.send(req, HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) {
              throw new IOException("JWKS " + url + " answered HTTP " + res.statusCode());
            }
            return res.body();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted fetching " + url, e);
          }
        };
    return new JwksCache(fetcher, clock, Duration.ofMinutes(5), Duration.ofSeconds(30));
  }

  @Override
  public Optional<JWK> find(String kid) {
    Snapshot s = snapshot;
    Instant now = clock.instant();
    if (s == null || now.isAfter(s.fetchedAt().plus(ttl))) {
      s = refresh(s, now);
    }
    Optional<JWK> key = s == null ? Optional.empty() : Keys.select(s.keys(), kid);
    if (key.isEmpty() && kid != null) {
      s = refresh(s, now);
      key = s == null ? Optional.empty() : Keys.select(s.keys(), kid);
    }
    if (s == null) {
      throw new MaestroException(
          CoreErrors.UNAVAILABLE,
          "the identity provider's signing keys cannot be fetched",
          Map.of(),
          true,
          null);
    }
    return key;
  }

  /** How many times the set was fetched successfully (for tests and metrics). */
  public int fetches() {
    Snapshot s = snapshot;
    return s == null ? 0 : s.generation();
  }

  private synchronized Snapshot refresh(Snapshot seen, Instant now) {
    Snapshot current = snapshot;
    if (current != seen) {
      return current; // another thread refreshed while this one waited
    }
    // Expired or not, at most one fetch per interval: a provider that is down is not hammered, and
    // the last good set (possibly stale) keeps serving meanwhile.
    if (now.isBefore(lastAttempt.plus(minRefreshInterval))) {
      return current;
    }
    lastAttempt = now;
    try {
      List<JWK> keys = JWKSet.parse(fetcher.fetch()).getKeys();
      Snapshot next =
          new Snapshot(List.copyOf(keys), now, current == null ? 1 : current.generation() + 1);
      snapshot = next;
      return next;
    } catch (IOException | ParseException | RuntimeException e) {
      LOG.log(Level.WARNING, "cannot refresh the identity provider's JWKS: " + e.getMessage());
      return current;
    }
  }

  private record Snapshot(List<JWK> keys, Instant fetchedAt, int generation) {}
}
