package io.maestro.engine.schedule;

import io.maestro.core.problem.MaestroException;
import io.maestro.engine.EngineErrors;
import java.util.Locale;

/** What a tick does while a run of the same schedule has not finished. */
public enum Overlap {
  /** The tick is recorded as skipped; no run. */
  SKIP,
  /** The tick waits, at most one at a time, and starts its run once the running one has ended. */
  QUEUE_ONE,
  /** The tick starts its run anyway. */
  ALLOW;

  /** The name in manifests and the API: {@code skip}, {@code queue_one}, {@code allow}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Overlap parse(String s) {
    for (Overlap o : values()) {
      if (o.wire().equals(s)) {
        return o;
      }
    }
    throw MaestroException.of(
        EngineErrors.SCHEDULE_INVALID, "overlap is one of skip, queue_one, allow; not '" + s + "'");
  }
}
