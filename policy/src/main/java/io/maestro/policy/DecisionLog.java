package io.maestro.policy;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Where the decision point records every decision. Called on the deciding thread after each
 * decision, so implementations must be fast and thread-safe, and must not throw: a log that fails
 * must not change a decision (the decision point swallows and counts such failures).
 *
 * <p>Durable records that must commit with the action they authorized are written by the caller in
 * its own transaction (see {@code DecisionRecords}); this log is the operational stream.
 */
@FunctionalInterface
public interface DecisionLog {
  void record(DecisionLogEntry entry);

  /** A log that drops everything. */
  DecisionLog NONE = entry -> {};

  /**
   * A log that hands every entry to each of {@code logs} in turn (e.g. the in-memory window for
   * replay and the database); one failing does not keep the entry from the others.
   */
  static DecisionLog all(DecisionLog... logs) {
    java.util.List<DecisionLog> list = java.util.List.of(logs);
    return entry -> {
      RuntimeException first = null;
      for (DecisionLog l : list) {
        try {
          l.record(entry);
        } catch (RuntimeException e) {
          first = first == null ? e : first;
        }
      }
      if (first != null) {
        throw first;
      }
    };
  }

  /** Keeps the most recent {@code capacity} entries in memory (for tests and diagnostics). */
  final class InMemory implements DecisionLog {
    private final int capacity;
    private final ArrayDeque<DecisionLogEntry> entries = new ArrayDeque<>();

    public InMemory(int capacity) {
      this.capacity = capacity;
    }

    @Override
    public synchronized void record(DecisionLogEntry entry) {
      if (entries.size() == capacity) {
        entries.removeFirst();
      }
      entries.addLast(entry);
    }

    /** The entries, oldest first. */
    public synchronized List<DecisionLogEntry> entries() {
      return List.copyOf(entries);
    }
  }
}
