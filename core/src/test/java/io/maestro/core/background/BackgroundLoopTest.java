package io.maestro.core.background;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BackgroundLoopTest {
  private static final Duration LONG = Duration.ofHours(1);

  @Test
  void every_runsAPassAtOnceOnANamedDaemonThread() throws Exception {
    AtomicReference<Thread> ran = new AtomicReference<>();
    CountDownLatch once = new CountDownLatch(1);
    try (BackgroundLoop loop =
        BackgroundLoop.every(
            "maestro-test-loop",
            LONG,
            () -> {
              ran.set(Thread.currentThread());
              once.countDown();
            })) {
      assertThat(once.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(ran.get().getName()).isEqualTo("maestro-test-loop");
      assertThat(ran.get().isDaemon()).isTrue();
      assertThat(loop.running()).isTrue();
    }
  }

  @Test
  void afterEach_waitsOneIntervalBeforeTheFirstPass() throws Exception {
    AtomicInteger passes = new AtomicInteger();
    try (BackgroundLoop loop = BackgroundLoop.afterEach("t", LONG, passes::incrementAndGet)) {
      Thread.sleep(200);
      assertThat(passes.get()).isZero();
      // A wake-up ends the first rest, too.
      loop.wake();
      awaitAtLeast(passes, 1);
    }
  }

  @Test
  void wake_endsTheRestEarly_andAWakeDuringAPassIsNotLost() throws Exception {
    Semaphore entered = new Semaphore(0);
    Semaphore release = new Semaphore(0);
    AtomicInteger passes = new AtomicInteger();
    try (BackgroundLoop loop =
        BackgroundLoop.every(
            "t",
            LONG,
            () -> {
              passes.incrementAndGet();
              entered.release();
              release.acquireUninterruptibly();
            })) {
      assertThat(entered.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
      loop.wake(); // arrives while the first pass runs
      release.release();
      // The rest after the first pass ends at once: a second pass starts without an hour's wait.
      assertThat(entered.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
      release.release();
      Thread.sleep(100);
      assertThat(passes.get()).isEqualTo(2);
      loop.wake();
      assertThat(entered.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
      release.release();
    }
  }

  @Test
  void aPassThatThrows_isRetriedAfterTheInterval() throws Exception {
    AtomicInteger passes = new AtomicInteger();
    try (BackgroundLoop loop =
        BackgroundLoop.every(
            "t",
            Duration.ofMillis(20),
            () -> {
              if (passes.incrementAndGet() < 3) {
                throw new IllegalStateException("database unreachable");
              }
            })) {
      awaitAtLeast(passes, 3);
      assertThat(loop.running()).isTrue();
    }
  }

  @Test
  void paced_restsWhatEachPassReturns() throws Exception {
    AtomicInteger passes = new AtomicInteger();
    try (BackgroundLoop loop =
        BackgroundLoop.paced("t", LONG, l -> passes.incrementAndGet() < 5 ? Duration.ZERO : LONG)) {
      awaitAtLeast(passes, 5);
      Thread.sleep(100);
      assertThat(passes.get()).isEqualTo(5);
    }
  }

  @Test
  void hold_isNotShortenedByWakeUps_onlyByClose() throws Exception {
    CountDownLatch holding = new CountDownLatch(1);
    AtomicBoolean held = new AtomicBoolean();
    BackgroundLoop loop =
        BackgroundLoop.paced(
            "t",
            LONG,
            l -> {
              holding.countDown();
              l.hold(LONG);
              held.set(true);
              return LONG;
            });
    assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
    loop.wake();
    Thread.sleep(100);
    assertThat(held.get()).isFalse();
    long start = System.nanoTime();
    loop.close();
    assertThat(held.get()).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void close_waitsForTheRunningPass_withoutInterruptingIt() throws Exception {
    CountDownLatch inPass = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    AtomicBoolean finished = new AtomicBoolean();
    BackgroundLoop loop =
        BackgroundLoop.every(
            "t",
            LONG,
            () -> {
              inPass.countDown();
              long until = System.nanoTime() + Duration.ofMillis(300).toNanos();
              while (System.nanoTime() < until) {
                if (Thread.currentThread().isInterrupted()) {
                  interrupted.set(true);
                }
                Thread.onSpinWait();
              }
              finished.set(true);
            });
    assertThat(inPass.await(10, TimeUnit.SECONDS)).isTrue();
    loop.close();
    assertThat(finished.get()).isTrue();
    assertThat(interrupted.get()).isFalse();
    assertThat(loop.running()).isFalse();
  }

  @Test
  void aZeroInterval_isRefused() {
    assertThatThrownBy(() -> BackgroundLoop.every("t", Duration.ZERO, () -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("interval");
  }

  private static void awaitAtLeast(AtomicInteger n, int at) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (n.get() < at && System.nanoTime() < until) {
      Thread.sleep(5);
    }
    assertThat(n.get()).isGreaterThanOrEqualTo(at);
  }
}
