package io.maestro.tenancy.brand;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.json.CanonicalJson;
import io.maestro.core.problem.MaestroException;
import io.maestro.provenance.Hash;
import io.maestro.provenance.LogId;
import io.maestro.provenance.ReceiptDraft;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.provenance.Receipts;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import io.maestro.tenancy.TenancyErrors;
import io.maestro.tenancy.TenantJson;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Brand packs and which one each tenant is shown with. Saving a pack is a {@code brand.pack_saved}
 * receipt in the platform log, assigning one a {@code brand.assigned} receipt in the tenant's log,
 * each with a JSON diff and the allowing decision, in the same transaction as the change. Reads go
 * to the database every time, so a change shows on the next page load in every server process.
 * Thread-safe.
 */
public final class BrandPacks {
  private final Database db;
  private final Receipts receipts;
  private final Clock clock;

  public BrandPacks(Database db, Receipts receipts, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.receipts = Objects.requireNonNull(receipts, "receipts");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A saved pack, its version (1 for a new pack) and the receipt of the change (if it changed). */
  public record Saved(BrandPack pack, long version, Optional<String> receiptId) {}

  /** Creates or replaces a pack (platform scope). An unchanged pack writes nothing. */
  public Saved put(Actor actor, Decision decision, BrandPack pack) {
    return db.inTransaction(
        TenantScope.platform(),
        tx -> {
          Optional<Stored> before = stored(tx, pack.id(), true);
          JsonNode after = pack.toJson();
          if (before.isPresent() && before.get().doc().equals(after)) {
            return new Saved(pack, before.get().version(), Optional.empty());
          }
          long version = before.map(s -> s.version() + 1).orElse(1L);
          String doc = CanonicalJson.toCanonicalString(after);
          var now = clock.instant();
          if (before.isPresent()) {
            tx.update(
                "UPDATE tenancy_brand_packs SET doc = ?, version = ?, updated_by = ?, updated_at = ?"
                    + " WHERE id = ?",
                doc,
                version,
                actor.subject(),
                now,
                pack.id());
          } else {
            tx.update(
                "INSERT INTO tenancy_brand_packs (id, doc, version, updated_by, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?)",
                pack.id(),
                doc,
                version,
                actor.subject(),
                now);
          }
          ObjectNode payload = JsonNodeFactory.instance.objectNode();
          payload.put("pack", pack.id());
          payload.put("version", version);
          payload.set(
              "changes",
              TenantJson.diff(
                  before.map(s -> forDiff(s.doc())).orElse(JsonNodeFactory.instance.objectNode()),
                  forDiff(after)));
          String receipt =
              receipts
                  .append(
                      tx,
                      ReceiptDraft.of(
                              LogId.platform(),
                              ReceiptTypes.BRAND_PACK_SAVED,
                              actor,
                              "brand.manage",
                              ReceiptDraft.Subject.of("brand_pack", pack.id()))
                          .withDecision(decision)
                          .withPayload(payload))
                  .id();
          return new Saved(pack, version, Optional.of(receipt));
        });
  }

  /** A pack by id. */
  public Optional<BrandPack> get(String id) {
    if (!BrandPack.validId(id)) {
      return Optional.empty();
    }
    return db.inTransaction(
        TenantScope.platform(),
        tx -> stored(tx, id, false).map(s -> BrandPack.parse(id, strip(s.doc()))));
  }

  /**
   * Shows {@code tenant} with pack {@code packId} from the next page load on; returns the receipt
   * id (empty when it already was).
   */
  public Optional<String> assign(
      Actor actor, Decision decision, TenantScope scope, TenantId tenant, String packId) {
    return db.inTransaction(
        scope,
        tx -> {
          boolean foreign = tx.scope() instanceof TenantScope.Tenant t && !t.id().equals(tenant);
          if (foreign
              || tx.queryOne("SELECT 1 FROM tenants WHERE tenant_id = ?", rs -> 1, tenant.value())
                  .isEmpty()) {
            throw MaestroException.of(TenancyErrors.TENANT_NOT_FOUND, "no tenant " + tenant);
          }
          if (!BrandPack.validId(packId) || stored(tx, packId, false).isEmpty()) {
            throw MaestroException.of(
                TenancyErrors.BRAND_PACK_NOT_FOUND, "no brand pack " + packId);
          }
          Optional<String> before = assigned(tx, tenant);
          if (before.equals(Optional.of(packId))) {
            return Optional.<String>empty();
          }
          var now = clock.instant();
          if (before.isPresent()) {
            tx.update(
                "UPDATE tenancy_brand_assignments SET pack_id = ?, assigned_by = ?, assigned_at = ?"
                    + " WHERE tenant_id = ?",
                packId,
                actor.subject(),
                now,
                tenant.value());
          } else {
            tx.update(
                "INSERT INTO tenancy_brand_assignments (tenant_id, pack_id, assigned_by,"
                    + " assigned_at) VALUES (?, ?, ?, ?)",
                tenant.value(),
                packId,
                actor.subject(),
                now);
          }
          ObjectNode payload = JsonNodeFactory.instance.objectNode();
          payload.put("tenant", tenant.value());
          payload.put("pack", packId);
          ArrayNode changes = payload.putArray("changes");
          ObjectNode c = changes.addObject();
          c.put("path", "/brand_pack");
          if (before.isPresent()) {
            c.put("from", before.get());
          } else {
            c.putNull("from");
          }
          c.put("to", packId);
          return Optional.of(
              receipts
                  .append(
                      tx,
                      ReceiptDraft.of(
                              LogId.tenant(tenant),
                              ReceiptTypes.BRAND_ASSIGNED,
                              actor,
                              "brand.assign",
                              ReceiptDraft.Subject.of("tenant", tenant.value()))
                          .withDecision(decision)
                          .withPayload(payload))
                  .id());
        });
  }

  /** The pack {@code tenant} is shown with, if one is assigned. */
  public Optional<BrandPack> ofTenant(TenantScope scope, TenantId tenant) {
    return db.inTransaction(
        scope,
        tx -> {
          Optional<String> pack = assigned(tx, tenant);
          if (pack.isEmpty()) {
            return Optional.<BrandPack>empty();
          }
          return stored(tx, pack.get(), false)
              .map(s -> BrandPack.parse(pack.get(), strip(s.doc())));
        });
  }

  private record Stored(JsonNode doc, long version) {}

  private static Optional<Stored> stored(Tx tx, String id, boolean lock) {
    return tx.queryOne(
        "SELECT doc, version FROM tenancy_brand_packs WHERE id = ?" + (lock ? " FOR UPDATE" : ""),
        rs -> new Stored(CanonicalJson.parse(rs.getString("doc")), rs.getLong("version")),
        id);
  }

  /**
   * The tenant's assigned pack id. A transaction scoped to another tenant sees none, on H2 as on
   * PostgreSQL (where row-level security also hides the row).
   */
  private static Optional<String> assigned(Tx tx, TenantId tenant) {
    if (tx.scope() instanceof TenantScope.Tenant t && !t.id().equals(tenant)) {
      return Optional.empty();
    }
    return tx.queryOne(
        "SELECT pack_id FROM tenancy_brand_assignments WHERE tenant_id = ?",
        rs -> rs.getString(1),
        tenant.value());
  }

  /** The stored document without its id member, as {@link BrandPack#parse} reads it. */
  private static JsonNode strip(JsonNode doc) {
    ObjectNode o = doc.deepCopy();
    o.remove("id");
    return o;
  }

  /** The document as a receipt's diff shows it: the logo by its digest, not its bytes. */
  private static JsonNode forDiff(JsonNode doc) {
    ObjectNode o = doc.deepCopy();
    if (o.hasNonNull("logo")) {
      o.put(
          "logo", Hash.sha256(o.path("logo").asText().getBytes(StandardCharsets.UTF_8)).toString());
    }
    return o;
  }
}
