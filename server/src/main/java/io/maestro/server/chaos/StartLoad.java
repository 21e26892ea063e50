package io.maestro.server.chaos;

import io.maestro.server.chaos.DrillHttp.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A steady stream of run starts from a few client threads, each start remembered with when it was
 * sent, when it was answered and how: the load a database restart meets, and the record from which
 * the drill tells which runs the server acknowledged (202) and how long clients were turned away.
 */
final class StartLoad {
  /** One start as the client saw it; {@code runId} is set when the server acknowledged it. */
  record Attempt(Instant sent, Instant answered, int status, String code, String runId) {
    boolean acknowledged() {
      return status == 202 && !runId.isEmpty();
    }

    Duration took() {
      return Duration.between(sent, answered);
    }
  }

  private final Probe probe;
  private final int clients;
  private final Duration pause;
  private final AtomicBoolean running = new AtomicBoolean();
  private final java.util.concurrent.atomic.AtomicInteger quotaRefusals =
      new java.util.concurrent.atomic.AtomicInteger();
  private final List<Attempt> attempts = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  StartLoad(Probe probe, int clients, Duration pause) {
    this.probe = probe;
    this.clients = clients;
    this.pause = pause;
  }

  void start() {
    running.set(true);
    for (int i = 0; i < clients; i++) {
      threads.add(Thread.ofPlatform().daemon().name("chaos-load-" + i).start(this::loop));
    }
  }

  private void loop() {
    while (running.get()) {
      Instant sent = Instant.now();
      Attempt a;
      try {
        Reply r = probe.start();
        a =
            new Attempt(
                sent,
                Instant.now(),
                r.status(),
                r.code(),
                r.status() == 202 ? r.body().path("id").asText() : "");
      } catch (IllegalStateException e) {
        // No answer at all (connection refused or reset): as bad as a refusal, and said so.
        a = new Attempt(sent, Instant.now(), 0, "no_answer", "");
      }
      if (a.status() == 429 && "quota_exceeded".equals(a.code())) {
        // The clients outran the tenant's own quota (on a fast machine they start ~60 runs/s):
        // back off as a client should; it says nothing about the database restart.
        quotaRefusals.incrementAndGet();
        Probe.sleep(Duration.ofSeconds(1));
        continue;
      }
      synchronized (attempts) {
        attempts.add(a);
      }
      Probe.sleep(pause);
    }
  }

  /** Starts the tenant's quota refused (the clients then backed off); not counted as attempts. */
  int quotaRefusals() {
    return quotaRefusals.get();
  }

  /** Stops the clients and waits for their last starts to be answered. */
  void stop() {
    running.set(false);
    for (Thread t : threads) {
      try {
        t.join(Duration.ofSeconds(40));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Every start so far, in the order they were answered. */
  List<Attempt> attempts() {
    synchronized (attempts) {
      return List.copyOf(attempts);
    }
  }
}
