package io.maestro.engine;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The edges of the run and step transition tables an engine has taken. An engine records into one
 * only when its builder is given one: a test shares it between the engines of a test class and
 * fails when an edge is never exercised (a transition nobody tests is a transition that breaks).
 * Production engines record nothing. It is state of the engines given it, never of the process.
 * Thread-safe.
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
