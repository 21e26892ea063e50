package io.maestro.engine;

import io.maestro.store.Tx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A receipt sink for tests that keeps what was emitted, but only once the emitting transaction
 * committed: a receipt of a rolled-back change must not exist.
 */
public final class RecordingReceipts implements EngineReceipts {
  private final List<Receipt> committed = new CopyOnWriteArrayList<>();

  @Override
  public void emitAll(Tx tx, List<Receipt> receipts) {
    tx.afterCommit(() -> committed.addAll(receipts));
  }

  public List<Receipt> all() {
    return List.copyOf(committed);
  }

  /** The receipts of the type named {@code type} in the catalogue, e.g. {@code run.started}. */
  public List<Receipt> ofType(String type) {
    return committed.stream().filter(r -> r.type().catalogueName().equals(type)).toList();
  }
}
