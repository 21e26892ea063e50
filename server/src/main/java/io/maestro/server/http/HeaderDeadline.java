package io.maestro.server.http;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose client sent a request line but not, within the deadline, the end of its
 * headers. Helidon's idle timeout covers a connection waiting for its next request line only; a
 * client that trickles or stalls its headers would otherwise hold a connection slot indefinitely.
 */
public final class HeaderDeadline implements Http1ConnectionListener, AutoCloseable {
  private final Duration deadline;
  private final ScheduledThreadPoolExecutor timer =
      new ScheduledThreadPoolExecutor(
          1, r -> Thread.ofPlatform().daemon().name("maestro-header-deadline").unstarted(r));
  private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();

  public HeaderDeadline(Duration deadline) {
    this.deadline = deadline;
    timer.setRemoveOnCancelPolicy(true);
  }

  @Override
  public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
    String id = id(ctx);
    ScheduledFuture<?> close =
        timer.schedule(
            () -> {
              if (pending.remove(id) != null) {
                ctx.serverSocket().close();
              }
            },
            deadline.toMillis(),
            TimeUnit.MILLISECONDS);
    ScheduledFuture<?> previous = pending.put(id, close);
    if (previous != null) {
      previous.cancel(false);
    }
  }

  @Override
  public void headers(ConnectionContext ctx, Headers headers) {
    ScheduledFuture<?> close = pending.remove(id(ctx));
    if (close != null) {
      close.cancel(false);
    }
  }

  private static String id(ConnectionContext ctx) {
    return ctx.socketId() + '/' + ctx.childSocketId();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
