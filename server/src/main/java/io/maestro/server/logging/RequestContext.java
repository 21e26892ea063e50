package io.maestro.server.logging;

/**
 * The request id of the request the current thread is serving. Helidon serves each request on its
 * own virtual thread, so a thread-local is exact; log formatters read it to stamp every line.
 */
public final class RequestContext {
  private static final ThreadLocal<String> REQUEST_ID = new ThreadLocal<>();

  private RequestContext() {}

  public static String requestId() {
    return REQUEST_ID.get();
  }

  public static void set(String requestId) {
    REQUEST_ID.set(requestId);
  }

  public static void clear() {
    REQUEST_ID.remove();
  }
}
