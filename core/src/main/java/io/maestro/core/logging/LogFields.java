package io.maestro.core.logging;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fields that stamp every log line the current thread writes: the id of the request it serves, and
 * the tenant, run and decision a request or a step attempt is working for. Requests and engine
 * workers each run on a thread of their own (virtual threads), so a thread-local is exact; the
 * server's log formatters read it, and its problem documents and traces carry the request id.
 */
public final class LogFields {
  /** Field names as they appear in JSON log lines. */
  public static final String TENANT = "tenant";

  public static final String RUN_ID = "run_id";
  public static final String STEP_ID = "step_id";
  public static final String DECISION_ID = "decision_id";

  private static final ThreadLocal<String> REQUEST_ID = new ThreadLocal<>();
  private static final ThreadLocal<Map<String, String>> FIELDS = new ThreadLocal<>();

  private LogFields() {}

  /** The id of the request this thread serves; null outside requests. */
  public static String requestId() {
    return REQUEST_ID.get();
  }

  /**
   * Sets the id of the request this thread serves. Kept apart from the other fields: log lines
   * print it first, and a problem document names it.
   */
  public static void requestId(String id) {
    REQUEST_ID.set(id);
  }

  /** Adds a field to this thread's lines; an empty or null value adds nothing. */
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

  /** This thread's fields beyond the request id, in the order they were added. */
  public static Map<String, String> current() {
    Map<String, String> m = FIELDS.get();
    return m == null ? Map.of() : Map.copyOf(m);
  }

  /** Forgets the request id and the fields: the thread's request or step attempt is over. */
  public static void clear() {
    REQUEST_ID.remove();
    FIELDS.remove();
  }
}
