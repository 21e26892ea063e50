package io.maestro.engine;

import io.maestro.core.problem.MaestroException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A state machine declared as data: every allowed (state, event) → state edge in one table. Code
 * never assigns a status directly; it asks the table for the next state, so an edge that is not in
 * the table cannot happen. The table is immutable; which edges an engine took is recorded by its
 * {@link TransitionCoverage}.
 */
public final class TransitionTable<S extends Enum<S>, E extends Enum<E>> {
  private final String name;
  private final Map<S, Map<E, S>> edges;
  private final List<Edge<S, E>> all;

  private TransitionTable(String name, Class<S> states, List<Edge<S, E>> all) {
    this.name = name;
    this.all = List.copyOf(all);
    Map<S, Map<E, S>> m = new EnumMap<>(states);
    for (Edge<S, E> e : all) {
      Map<E, S> out = m.computeIfAbsent(e.from(), k -> new java.util.HashMap<>());
      if (out.put(e.event(), e.to()) != null) {
        throw new IllegalArgumentException("duplicate edge " + e);
      }
    }
    this.edges = m;
  }

  /** An edge: in state {@code from}, event {@code event} leads to {@code to}. */
  public record Edge<S, E>(S from, E event, S to) {
    @Override
    public String toString() {
      return from + " --" + event + "--> " + to;
    }
  }

  public static <S extends Enum<S>, E extends Enum<E>> TransitionTable<S, E> of(
      String name, Class<S> states, List<Edge<S, E>> edges) {
    return new TransitionTable<>(name, states, edges);
  }

  public static <S, E> Edge<S, E> edge(S from, E event, S to) {
    return new Edge<>(from, event, to);
  }

  /** The target of {@code event} in {@code from}, if the table allows it. */
  public Optional<S> target(S from, E event) {
    return Optional.ofNullable(edges.getOrDefault(from, Map.of()).get(event));
  }

  /**
   * The edge {@code event} takes from {@code from}.
   *
   * @throws MaestroException ({@code illegal_transition}) when the table has no such edge
   */
  public Edge<S, E> next(S from, E event) {
    S to = edges.getOrDefault(from, Map.of()).get(event);
    if (to == null) {
      throw MaestroException.of(
          EngineErrors.ILLEGAL_TRANSITION, name + ": no transition " + event + " from " + from);
    }
    return new Edge<>(from, event, to);
  }

  public boolean allows(S from, E event) {
    return target(from, event).isPresent();
  }

  public List<Edge<S, E>> edges() {
    return all;
  }
}
