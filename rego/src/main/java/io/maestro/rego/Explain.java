package io.maestro.rego;

import io.maestro.rego.ast.Location;
import io.maestro.rego.eval.Tracer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An explanation sink like OPA's {@code --explain}: NOTES keeps trace() messages, FAILS keeps the
 * expressions that failed (and notes), FULL keeps every evaluation step. Not thread-safe: use one
 * per evaluation.
 */
public final class Explain implements Tracer {
  /** How much to keep. */
  public enum Mode {
    NOTES,
    FAILS,
    FULL
  }

  /** One explanation line: what happened, where, and (for notes) the message. */
  public record Event(String op, Location location, String message) {
    @Override
    public String toString() {
      return op + " " + location + (message == null ? "" : " " + message);
    }
  }

  private final Mode mode;
  private final List<Event> events = new ArrayList<>();

  public Explain(Mode mode) {
    this.mode = mode;
  }

  @Override
  public void enter(Location loc, String what) {
    if (mode == Mode.FULL) {
      events.add(new Event("Enter", loc, null));
    }
  }

  @Override
  public void fail(Location loc, String what) {
    if (mode != Mode.NOTES) {
      events.add(new Event("Fail", loc, null));
    }
  }

  @Override
  public void note(Location loc, String message) {
    events.add(new Event("Note", loc, message));
  }

  public List<Event> events() {
    return Collections.unmodifiableList(events);
  }
}
