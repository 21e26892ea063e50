package io.maestro.server.metering;

import io.maestro.core.TenantId;
import io.maestro.metering.ActorType;
import io.maestro.metering.EventType;
import io.maestro.metering.MeteredEvent;
import io.maestro.metering.Metering;
import io.maestro.metering.Metering.RunDimensions;
import io.maestro.metering.WorkflowRef;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.Receipts;
import io.maestro.store.Tx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Meters the receipts written outside the engine — governance, lifecycle, evidence, tenancy, policy
 * denials, budgets, usage exports, webhooks — as they are appended: {@code receipt_emitted} and
 * {@code storage_bytes_written} (its canonical body and payload), keyed by the receipt id, in the
 * appending transaction ({@link Receipts#onAppend}). The engine's receipts are queued, not
 * appended, and metered by {@link io.maestro.server.engine.MeteredReceipts}; a receipt metered by
 * both would still count once (same type and key). Receipts of the platform log belong to no tenant
 * and are not metered. A receipt about a run takes the run's workflow and environment; others are
 * metered under no workflow and the default environment (receipts carry no environment attribute).
 */
public final class ReceiptMeter implements Receipts.AppendHook {
  /** The environment of metered actions whose receipts name none. */
  static final String DEFAULT_ENV = "default";

  private static final int MAX_SUBJECT = 200;

  private final Metering metering;

  public ReceiptMeter(Metering metering) {
    this.metering = metering;
  }

  @Override
  public void appended(Tx tx, List<Receipts.Stored> receipts) {
    List<MeteredEvent> events = new ArrayList<>(receipts.size() * 2);
    Map<String, Optional<RunDimensions>> runs = new HashMap<>();
    for (Receipts.Stored s : receipts) {
      Receipt r = s.receipt();
      if (!(r.log() instanceof LogId.Tenant t)) {
        continue;
      }
      TenantId tenant = t.id();
      RunDimensions dims =
          "run".equals(r.subject().kind())
              ? runs.computeIfAbsent(r.subject().id(), id -> metering.runDimensions(tx, tenant, id))
                  .orElse(new RunDimensions(WorkflowRef.NONE, DEFAULT_ENV))
              : new RunDimensions(WorkflowRef.NONE, DEFAULT_ENV);
      String subject = r.subject().kind() + "/" + r.subject().id();
      if (subject.length() > MAX_SUBJECT) {
        subject = subject.substring(0, MAX_SUBJECT);
      }
      ActorType actor = ActorType.of(r.actor().sub(), r.actor().via());
      for (EventType type : List.of(EventType.RECEIPT_EMITTED, EventType.STORAGE_BYTES_WRITTEN)) {
        events.add(
            MeteredEvent.of(
                type,
                r.id(),
                r.time(),
                tenant,
                dims.env(),
                actor,
                dims.workflow(),
                subject,
                type == EventType.RECEIPT_EMITTED ? 1 : s.storedBytes()));
      }
    }
    metering.recordAll(tx, events);
  }
}
