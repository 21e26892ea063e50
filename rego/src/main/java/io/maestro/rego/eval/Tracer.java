package io.maestro.rego.eval;

import io.maestro.rego.ast.Location;

/** Receives evaluation events for explanations (OPA's notes / fails / full). */
public interface Tracer {
  /** An expression was entered. */
  default void enter(Location loc, String what) {}

  /** An expression failed (was undefined or false). */
  default void fail(Location loc, String what) {}

  /** A trace() note. */
  default void note(Location loc, String message) {}
}
