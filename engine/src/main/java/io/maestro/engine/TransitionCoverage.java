package io.maestro.engine;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The edges of the run and step transition tables an engine has taken. Each engine owns one (or is
 * given one by its builder, so a test can share it between the engines of a test class and fail
 * when an edge is never exercised: a transition nobody tests is a transition that breaks). It is
 * state of an engine instance, never of the process. Thread-safe.
 */
public final class TransitionCoverage {
  private final Set<TransitionTable.Edge<?, ?>> taken = ConcurrentHashMap.newKeySet();

  /** Records that {@code edge} was taken. */
  public void taken(TransitionTable.Edge<?, ?> edge) {
    taken.add(edge);
  }

  /** The edges of {@code table} not taken so far, in the table's order. */
  public <S extends Enum<S>, E extends Enum<E>> Set<TransitionTable.Edge<S, E>> unexercised(
      TransitionTable<S, E> table) {
    Set<TransitionTable.Edge<S, E>> left = new LinkedHashSet<>(table.edges());
    left.removeAll(taken);
    return left;
  }
}
