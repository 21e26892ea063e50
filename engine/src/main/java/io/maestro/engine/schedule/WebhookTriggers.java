package io.maestro.engine.schedule;

import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.Authorization;
import io.maestro.engine.EngineErrors;
import io.maestro.engine.EngineReceipts.Type;
import io.maestro.engine.JsonText;
import io.maestro.engine.internal.ReceiptWriter;
import io.maestro.engine.run.StartRun;
import io.maestro.engine.run.StartRunHandler;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Webhook triggers of workflows: the stored secret each one's requests are signed with (the caller
 * verifies the signature; HMAC needs the secret itself, so it is stored like a billing webhook's,
 * under row-level security, and returned only by {@link #create}), and the webhook-ids already
 * accepted. A delivery is accepted and its run created in one transaction; the webhook-id's row is
 * the claim, so a replayed id never starts a second run, on any number of server processes.
 * Thread-safe.
 */
public final class WebhookTriggers {
  private final Database db;
  private final ReceiptWriter receipts;
  private final StartRunHandler starts;
  private final Clock clock;

  public WebhookTriggers(Database db, ReceiptWriter receipts, StartRunHandler starts, Clock clock) {
    this.db = db;
    this.receipts = receipts;
    this.starts = starts;
    this.clock = clock;
  }

  /** A workflow's trigger, without its secret. */
  public record Trigger(TenantId tenant, String workflow, String createdBy, Instant createdAt) {}

  /**
   * Creates the workflow's trigger with {@code secret}, or gives an existing one that new secret
   * (the old one stops verifying at once).
   */
  public Trigger create(Authorization auth, TenantId tenant, String workflow, String secret) {
    Instant now = clock.instant();
    return receipts.inTransaction(
        db,
        TenantScope.of(tenant),
        tx -> {
          boolean existed = find(tx, tenant, workflow).isPresent();
          tx.update(
              "DELETE FROM engine_webhook_triggers WHERE tenant_id = ? AND workflow = ?",
              tenant.value(),
              workflow);
          tx.update(
              "INSERT INTO engine_webhook_triggers (tenant_id, workflow, secret, created_by,"
                  + " created_at) VALUES (?,?,?,?,?)",
              tenant.value(),
              workflow,
              secret,
              auth.actor().subject(),
              now);
          receipts.control(
              tx,
              tenant,
              auth,
              Type.TRIGGER_CREATED,
              "trigger",
              workflow,
              JsonText.object().put("workflow", workflow).put("rotated", existed));
          return find(tx, tenant, workflow).orElseThrow();
        });
  }

  public Optional<Trigger> get(TenantId tenant, String workflow) {
    return db.inTransaction(TenantScope.of(tenant), tx -> find(tx, tenant, workflow));
  }

  /** The secret that verifies the workflow's webhook requests. */
  public Optional<String> secret(TenantId tenant, String workflow) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx ->
            tx.queryOne(
                "SELECT secret FROM engine_webhook_triggers WHERE tenant_id = ? AND workflow = ?",
                rs -> rs.getString("secret"),
                tenant.value(),
                workflow));
  }

  public void delete(Authorization auth, TenantId tenant, String workflow) {
    receipts.inTransaction(
        db,
        TenantScope.of(tenant),
        tx -> {
          int n =
              tx.update(
                  "DELETE FROM engine_webhook_triggers WHERE tenant_id = ? AND workflow = ?",
                  tenant.value(),
                  workflow);
          if (n == 0) {
            throw notFound(workflow);
          }
          receipts.control(
              tx,
              tenant,
              auth,
              Type.TRIGGER_DELETED,
              "trigger",
              workflow,
              JsonText.object().put("workflow", workflow));
          return null;
        });
  }

  public static MaestroException notFound(String workflow) {
    return MaestroException.of(
        EngineErrors.TRIGGER_NOT_FOUND, "workflow " + workflow + " has no webhook trigger");
  }

  /** Whether {@code webhookId} was already accepted for the workflow. */
  public boolean seen(TenantId tenant, String workflow, String webhookId) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx ->
            tx.queryOne(
                    "SELECT 1 AS x FROM engine_webhook_deliveries WHERE tenant_id = ?"
                        + " AND workflow = ? AND webhook_id = ?",
                    rs -> 1,
                    tenant.value(),
                    workflow,
                    webhookId)
                .isPresent());
  }

  /**
   * Accepts a verified delivery and starts its run, in one transaction.
   *
   * @throws MaestroException {@code webhook_replayed} when the webhook-id was accepted before
   */
  public StartRun.Started deliver(
      TenantId tenant, String workflow, String webhookId, StartRun start) {
    Instant now = clock.instant();
    return receipts.inTransaction(
        db,
        TenantScope.of(tenant),
        tx -> {
          if (!claim(tx, tenant, workflow, webhookId, now)) {
            throw replayed(webhookId);
          }
          StartRun.Started run = starts.handle(tx, start);
          tx.update(
              "UPDATE engine_webhook_deliveries SET run_id = ? WHERE tenant_id = ?"
                  + " AND workflow = ? AND webhook_id = ?",
              run.runId(),
              tenant.value(),
              workflow,
              webhookId);
          return run;
        });
  }

  public static MaestroException replayed(String webhookId) {
    return MaestroException.of(
        EngineErrors.WEBHOOK_REPLAYED, "webhook-id " + webhookId + " was already accepted");
  }

  private static boolean claim(
      Tx tx, TenantId tenant, String workflow, String webhookId, Instant now) {
    return tx.update(
            "INSERT INTO engine_webhook_deliveries (tenant_id, workflow, webhook_id, received_at)"
                + " VALUES (?,?,?,?) ON CONFLICT DO NOTHING",
            tenant.value(),
            workflow,
            webhookId,
            now)
        == 1;
  }

  private static Optional<Trigger> find(Tx tx, TenantId tenant, String workflow) {
    return tx.queryOne(
        "SELECT tenant_id, workflow, created_by, created_at FROM engine_webhook_triggers"
            + " WHERE tenant_id = ? AND workflow = ?",
        rs ->
            new Trigger(
                TenantId.of(rs.getString("tenant_id")),
                rs.getString("workflow"),
                rs.getString("created_by"),
                Tx.instant(rs, "created_at")),
        tenant.value(),
        workflow);
  }
}
