package io.maestro.server.logging;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the current thread is serving: the request id, and once the policy gate has decided, the
 * tenant, the decision id and (on run routes) the run id. Helidon serves each request on its own
 * virtual thread, so a thread-local is exact; log formatters read it to stamp every line.
 */
public final class RequestContext {
  /** Field names as they appear in JSON log lines. */
  public static final String TENANT = "tenant";

  public static final String RUN_ID = "run_id";
  public static final String DECISION_ID = "decision_id";

  private static final ThreadLocal<String> REQUEST_ID = new ThreadLocal<>();
  private static final ThreadLocal<Map<String, String>> FIELDS = new ThreadLocal<>();

  private RequestContext() {}

  public static String requestId() {
    return REQUEST_ID.get();
  }

  public static void set(String requestId) {
    REQUEST_ID.set(requestId);
  }

  /**
   * Adds a field ({@link #TENANT}, {@link #RUN_ID}, {@link #DECISION_ID}) to this request's lines.
   */
  public static void put(String name, String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    Map<String, String> m = FIELDS.get();
    if (m == null) {
      m = new LinkedHashMap<>();
      FIELDS.set(m);
    }
    m.put(name, value);
  }

  /** This request's fields beyond the request id, in the order they were added. */
  public static Map<String, String> fields() {
    Map<String, String> m = FIELDS.get();
    return m == null ? Map.of() : Map.copyOf(m);
  }

  public static void clear() {
    REQUEST_ID.remove();
    FIELDS.remove();
  }
}
