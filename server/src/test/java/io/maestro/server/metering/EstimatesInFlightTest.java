package io.maestro.server.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.TenantId;
import io.maestro.engine.registry.PublishedWorkflow;
import io.maestro.metering.CostEstimate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Starts asking for the same version's estimate while one is computed share it; a start after it
 * finished computes anew; a failed computation is not shared as a failure.
 */
class EstimatesInFlightTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final PublishedWorkflow HELLO = new PublishedWorkflow("hello", "1", "d1", null);

  private final EstimatesInFlight estimates = new EstimatesInFlight();

  private static CostEstimate estimate(int n) {
    return new CostEstimate(
        "hello", "1", java.math.BigDecimal.valueOf(n), CostEstimate.HISTORY, "pb", List.of());
  }

  @Test
  void concurrentStartsShareTheEstimateBeingComputed_laterStartsComputeAnew() throws Exception {
    AtomicInteger computed = new AtomicInteger();
    CountDownLatch computing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Future<CostEstimate>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      results.add(
          pool.submit(
              () ->
                  estimates.estimate(
                      ACME,
                      HELLO,
                      () -> {
                        computing.countDown();
                        await(release);
                        return estimate(computed.incrementAndGet());
                      })));
      computing.await();
      for (int i = 0; i < 5; i++) {
        results.add(
            pool.submit(
                () -> estimates.estimate(ACME, HELLO, () -> estimate(computed.incrementAndGet()))));
      }
      Thread.sleep(200); // the five are waiting on the first computation
      release.countDown();
      CostEstimate first = results.get(0).get();
      for (Future<CostEstimate> f : results) {
        assertThat(f.get()).isSameAs(first);
      }
    }
    assertThat(computed).hasValue(1);
    estimates.estimate(ACME, HELLO, () -> estimate(computed.incrementAndGet()));
    assertThat(computed).as("a start after the computation ended computes anew").hasValue(2);
    // Another tenant or digest never shares.
    estimates.estimate(TenantId.of("other"), HELLO, () -> estimate(computed.incrementAndGet()));
    assertThat(computed).hasValue(3);
  }

  @Test
  void aFailedComputation_failsItsCaller_andTheNextStartComputesAgain() {
    assertThatThrownBy(
            () ->
                estimates.estimate(
                    ACME,
                    HELLO,
                    () -> {
                      throw new IllegalStateException("database gone");
                    }))
        .hasMessage("database gone");
    CostEstimate e = estimate(7);
    assertThat(estimates.estimate(ACME, HELLO, () -> e)).isSameAs(e);
  }

  private static void await(CountDownLatch l) {
    try {
      l.await();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
