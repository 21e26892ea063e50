package io.maestro.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void sharedAcrossThreads_withANonThreadSafeGenerator_idsStayUnique() throws Exception {
    // A fixed clock leaves uniqueness entirely to the random bits.
    Ids ids =
        new Ids(
            Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC),
            new SplittableRandom(7));
    Set<String> seen = ConcurrentHashMap.newKeySet();
    int threads = 16;
    int each = 20_000;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      go.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    for (int i = 0; i < each; i++) {
                      seen.add(ids.next("run"));
                    }
                  }));
    }
    go.countDown();
    for (Thread w : workers) {
      w.join();
    }
    assertThat(seen).hasSize(threads * each);
  }

  @Test
  void sameSeedAndClock_replayTheSameIds() {
    Clock clock = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
    assertThat(new Ids(clock, new SplittableRandom(3)).next("dec"))
        .isEqualTo(new Ids(clock, new SplittableRandom(3)).next("dec"))
        .startsWith("dec_");
  }
}
