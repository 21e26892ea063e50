package io.maestro.server.logging;

import io.maestro.core.logging.LogFields;
import java.util.Map;

/**
 * What the current request is: its id, and once the policy gate has decided, the tenant, the
 * decision id and (on run routes) the run id. Helidon serves each request on its own virtual
 * thread, so thread-locals are exact; the fields live in {@link LogFields}, which engine workers
 * stamp the same way for the step attempt they run.
 */
public final class RequestContext {
  /** Field names as they appear in JSON log lines. */
  public static final String TENANT = LogFields.TENANT;

  public static final String RUN_ID = LogFields.RUN_ID;
  public static final String DECISION_ID = LogFields.DECISION_ID;

  private static final ThreadLocal<String> REQUEST_ID = new ThreadLocal<>();

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
    LogFields.put(name, value);
  }

  /** This request's fields beyond the request id, in the order they were added. */
  public static Map<String, String> fields() {
    return LogFields.current();
  }

  public static void clear() {
    REQUEST_ID.remove();
    LogFields.clear();
  }
}
