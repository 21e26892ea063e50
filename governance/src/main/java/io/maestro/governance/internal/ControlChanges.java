package io.maestro.governance.internal;

import io.maestro.store.Dialect;
import io.maestro.store.Tx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Tells every server process that a tenant's controls changed: in this process after the commit,
 * and on PostgreSQL through {@code NOTIFY maestro_governance} (delivered on commit to every
 * process's {@link ControlListener}). The payload is the tenant id, {@code *} for global switches.
 */
public final class ControlChanges {
  public static final String CHANNEL = "maestro_governance";

  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /** Announces the change with the transaction: locally after commit, to others by NOTIFY. */
  public void announce(Tx tx, String tenant) {
    if (tx.dialect() == Dialect.POSTGRESQL) {
      tx.query("SELECT pg_notify(?, ?)", rs -> 1, CHANNEL, tenant);
    }
    tx.afterCommit(this::fire);
  }

  /** Runs the local listeners (also on a notification from another process). */
  public void fire() {
    listeners.forEach(Runnable::run);
  }
}
