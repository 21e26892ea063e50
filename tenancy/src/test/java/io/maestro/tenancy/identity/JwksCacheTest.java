package io.maestro.tenancy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.maestro.core.problem.MaestroException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class JwksCacheTest {
  final TokenVerifierTest.MutableClock clock =
      new TokenVerifierTest.MutableClock(Instant.parse("2026-11-22T12:00:00Z"));
  final AtomicReference<String> published = new AtomicReference<>();
  final AtomicInteger calls = new AtomicInteger();
  final JwksCache cache =
      new JwksCache(
          () -> {
            calls.incrementAndGet();
            String s = published.get();
            if (s == null) {
              throw new IOException("down");
            }
            return s;
          },
          clock,
          Duration.ofMinutes(5),
          Duration.ofSeconds(30));

  static ECKey key(String kid) throws Exception {
    return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
  }

  void publish(ECKey... keys) {
    JWKSet set =
        new JWKSet(
            java.util.Arrays.stream(keys)
                .map(k -> (com.nimbusds.jose.jwk.JWK) k.toPublicJWK())
                .toList());
    published.set(set.toString());
  }

  @Test
  void find_fetchesOnceAndServesFromMemory() throws Exception {
    publish(key("a"));
    assertThat(cache.find("a")).isPresent();
    assertThat(cache.find("a")).isPresent();
    assertThat(calls).hasValue(1);
  }

  @Test
  void find_unknownKid_refreshesImmediately_toPickUpARotation() throws Exception {
    publish(key("a"));
    assertThat(cache.find("a")).isPresent();
    clock.set(clock.instant().plusSeconds(31));
    publish(key("a"), key("b"));
    assertThat(cache.find("b"))
        .as("the rotated key is found without waiting for the TTL")
        .isPresent();
    assertThat(calls).hasValue(2);
  }

  @Test
  void find_unknownKids_refreshAtMostOncePerInterval() throws Exception {
    publish(key("a"));
    cache.find("a");
    for (int i = 0; i < 50; i++) {
      assertThat(cache.find("made-up-" + i)).isEmpty();
    }
    assertThat(calls)
        .as("a flood of made-up kids is one fetch at most")
        .hasValueLessThanOrEqualTo(2);
  }

  @Test
  void find_afterTtl_refetches_andKeepsTheLastGoodSetWhenTheProviderIsDown() throws Exception {
    publish(key("a"));
    cache.find("a");
    clock.set(clock.instant().plus(Duration.ofMinutes(6)));
    published.set(null);
    assertThat(cache.find("a"))
        .as("stale keys still verify while the provider is down")
        .isPresent();
    assertThat(calls).hasValue(2);
  }

  @Test
  void find_withNoSetAtAll_isRetryableUnavailability() {
    assertThatThrownBy(() -> cache.find("a"))
        .isInstanceOf(MaestroException.class)
        .satisfies(e -> assertThat(((MaestroException) e).retryable()).isTrue())
        .satisfies(e -> assertThat(((MaestroException) e).code().status()).isEqualTo(503));
  }
}
