package io.maestro.provenance.packages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.json.CanonicalJson;
import io.maestro.core.problem.MaestroException;
import io.maestro.provenance.LogId;
import io.maestro.provenance.ProvenanceErrors;
import io.maestro.provenance.ReceiptDraft;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.provenance.Receipts;
import io.maestro.provenance.internal.Json;
import io.maestro.provenance.keys.PublicKeyInfo;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The publisher keys each tenant trusts for workflow packages ({@code
 * provenance_package_publishers}), besides the installation's ({@code packages.trustedKeys} and the
 * server's own key ring, which signs the default catalog). Adding or removing one appends a receipt
 * in the tenant's log in the same transaction. Thread-safe.
 */
public final class PackagePublishers {
  private final Database db;
  private final Receipts receipts;
  private final java.util.function.Supplier<TrustedKeys> installation;
  private final Clock clock;

  /**
   * @param installation the keys every tenant trusts (read on each use: the server's key ring
   *     rotates)
   */
  public PackagePublishers(
      Database db,
      Receipts receipts,
      java.util.function.Supplier<TrustedKeys> installation,
      Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.receipts = Objects.requireNonNull(receipts, "receipts");
    this.installation = Objects.requireNonNull(installation, "installation");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** One trusted key and where the trust comes from ({@code tenant} or {@code installation}). */
  public record Trusted(PublicKeyInfo key, String source, Optional<String> addedBy) {}

  /**
   * Reads one JWK (an Ed25519 {@code OKP} key whose {@code kid} matches it).
   *
   * @throws MaestroException {@code publisher_key_invalid} otherwise
   */
  public static PublicKeyInfo parse(JsonNode jwk, String keyId) {
    try {
      ObjectNode jwks = Json.object();
      jwks.putArray("keys").add(jwk);
      PublicKeyInfo k = TrustedKeys.fromJwks(jwks).keys().get(0);
      if (!k.keyId().equals(keyId)) {
        throw new IllegalArgumentException(
            "the path names " + keyId + " but the key's kid is " + k.keyId());
      }
      return k;
    } catch (IllegalArgumentException | NullPointerException e) {
      throw MaestroException.of(ProvenanceErrors.PUBLISHER_KEY_INVALID, e.getMessage());
    }
  }

  /** The keys {@code tenant} trusts: its own and the installation's. */
  public TrustedKeys trustedBy(TenantId tenant) {
    List<PublicKeyInfo> keys = new ArrayList<>(installation.get().keys());
    for (Trusted t : ofTenant(TenantScope.of(tenant), tenant)) {
      keys.add(t.key());
    }
    return TrustedKeys.of(keys);
  }

  /** The installation's keys, then the tenant's, as {@code GET /api/package-publishers} lists. */
  public List<Trusted> list(TenantScope scope, TenantId tenant) {
    List<Trusted> out = new ArrayList<>();
    installation
        .get()
        .keys()
        .forEach(k -> out.add(new Trusted(k, "installation", Optional.empty())));
    out.addAll(ofTenant(scope, tenant));
    return out;
  }

  private List<Trusted> ofTenant(TenantScope scope, TenantId tenant) {
    return db.inTransaction(
        scope,
        tx ->
            tx.query(
                "SELECT key_id, jwk, added_by FROM provenance_package_publishers WHERE tenant_id = ?"
                    + " ORDER BY key_id",
                rs ->
                    new Trusted(
                        parse(Json.parse(rs.getString("jwk")), rs.getString("key_id")),
                        "tenant",
                        Optional.of(rs.getString("added_by"))),
                tenant.value()));
  }

  /** Trusts {@code key} for {@code tenant}; returns the receipt id, empty when it already was. */
  public Optional<String> trust(
      Actor actor, Decision decision, TenantId tenant, PublicKeyInfo key) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          if (tx.queryOne(
                  "SELECT 1 FROM provenance_package_publishers WHERE tenant_id = ? AND key_id = ?",
                  rs -> 1,
                  tenant.value(),
                  key.keyId())
              .isPresent()) {
            return Optional.<String>empty();
          }
          JsonNode jwk = TrustedKeys.of(List.of(key)).toJwks().path("keys").get(0);
          tx.update(
              "INSERT INTO provenance_package_publishers (tenant_id, key_id, jwk, added_by,"
                  + " added_at) VALUES (?, ?, ?, ?, ?)",
              tenant.value(),
              key.keyId(),
              CanonicalJson.toCanonicalString(jwk),
              actor.subject(),
              clock.instant());
          ObjectNode payload = Json.object();
          payload.put("keyId", key.keyId());
          payload.set("jwk", jwk);
          return Optional.of(
              receipt(
                  tx,
                  actor,
                  decision,
                  tenant,
                  ReceiptTypes.PACKAGE_PUBLISHER_TRUSTED,
                  key.keyId(),
                  payload));
        });
  }

  /**
   * Stops trusting {@code keyId} for {@code tenant}; returns the receipt id.
   *
   * @throws MaestroException {@code publisher_not_found} when the tenant did not trust it
   */
  public String remove(Actor actor, Decision decision, TenantId tenant, String keyId) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          int n =
              tx.update(
                  "DELETE FROM provenance_package_publishers WHERE tenant_id = ? AND key_id = ?",
                  tenant.value(),
                  keyId);
          if (n == 0) {
            throw MaestroException.of(
                ProvenanceErrors.PUBLISHER_NOT_FOUND, "this tenant does not trust " + keyId);
          }
          ObjectNode payload = Json.object();
          payload.put("keyId", keyId);
          return receipt(
              tx, actor, decision, tenant, ReceiptTypes.PACKAGE_PUBLISHER_REMOVED, keyId, payload);
        });
  }

  private String receipt(
      io.maestro.store.Tx tx,
      Actor actor,
      Decision decision,
      TenantId tenant,
      io.maestro.provenance.ReceiptType type,
      String keyId,
      ObjectNode payload) {
    return receipts
        .append(
            tx,
            ReceiptDraft.of(
                    LogId.tenant(tenant),
                    type,
                    actor,
                    "tenant.update",
                    ReceiptDraft.Subject.of("package_publisher", keyId))
                .withDecision(decision)
                .withPayload(payload))
        .id();
  }
}
