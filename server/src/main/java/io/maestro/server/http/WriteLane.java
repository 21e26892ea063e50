package io.maestro.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.problem.CoreErrors;
import io.maestro.core.problem.MaestroException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how many state-changing API requests run at once, so a burst of them queues here, in
 * arrival order, instead of inside the connection pool.
 *
 * <p>The engine's own transactions take at most half the pool ({@code ReceiptWriter}); this lane
 * takes the other half. Without it a burst of 1,000 starts queued inside the pool, in no order, and
 * the engine's transactions waited behind them: requests and step attempts alike gave up after the
 * pool's 10 s timeout (on PostgreSQL 550 of 1,000 burst starts failed, and the runs already started
 * stalled). Reads ({@code GET}), public routes and the workers' long poll do not take a place: they
 * are short, or wait on purpose.
 *
 * <p>A request that waits longer than {@code maxWait} is refused {@code server_busy} (503, {@code
 * Retry-After}) before anything ran, so retrying it is safe.
 */
final class WriteLane {
  private final Semaphore places;
  private final Duration maxWait;

  WriteLane(int places, Duration maxWait) {
    this.places = new Semaphore(Math.max(1, places), true);
    this.maxWait = maxWait;
  }

  /** The lane's share of a connection pool of {@code poolSize}: what the engine leaves. */
  static WriteLane forPool(int poolSize) {
    return new WriteLane(poolSize - poolSize / 2, Duration.ofSeconds(30));
  }

  boolean applies(Route r) {
    return r.method() != Method.GET && !r.isPublic() && !r.path().equals("/api/worker/poll");
  }

  Handler wrap(Handler handler) {
    return (req, res) -> run(handler, req, res);
  }

  private void run(Handler handler, ServerRequest req, ServerResponse res) throws Exception {
    boolean admitted;
    try {
      admitted = places.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      admitted = false;
    }
    if (!admitted) {
      res.header(HeaderNames.RETRY_AFTER, "1");
      throw MaestroException.of(
          CoreErrors.SERVER_BUSY,
          "the request waited "
              + maxWait.toSeconds()
              + " s for the database and was not run; retry it");
    }
    try {
      handler.handle(req, res);
    } finally {
      places.release();
    }
  }
}
