package io.maestro.provenance.packages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.provenance.LogId;
import io.maestro.provenance.ProvenanceErrors;
import io.maestro.provenance.ReceiptDraft;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.provenance.Receipts;
import io.maestro.provenance.internal.Json;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A tenant's catalog of signed workflow packages ({@code provenance_packages}): each version kept
 * as its exact bytes with what its check found (digest, signer, builder, source), so listing needs
 * no unpacking and installing checks the same chain again. Publishing appends a {@code
 * package.published} receipt in the tenant's log in the same transaction. A version never changes:
 * the same bytes again are a no-op, other bytes a {@code package_version_exists} conflict.
 * Thread-safe.
 */
public final class PackageCatalog {
  private final Database db;
  private final Receipts receipts;
  private final Clock clock;

  public PackageCatalog(Database db, Receipts receipts, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.receipts = Objects.requireNonNull(receipts, "receipts");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * One package version of a catalog.
   *
   * @param catalog {@code tenant} (published by the tenant) or {@code default} (shipped with the
   *     server)
   */
  public record Entry(
      String name,
      String version,
      String digest,
      String signer,
      Optional<PackageProvenance.Facts> provenance,
      List<String> workflows,
      String publishedBy,
      Instant publishedAt,
      String catalog) {
    public Entry {
      workflows = List.copyOf(workflows);
    }

    /** The entry of a checked, signed package. */
    public static Entry of(PackageCheck check, String by, Instant at, String catalog) {
      return new Entry(
          check.name(),
          check.version(),
          check.digest(),
          check.signer().orElseThrow(() -> new IllegalArgumentException("unsigned package")),
          check.provenance(),
          check.workflows(),
          by,
          at,
          catalog);
    }

    public ObjectNode toJson() {
      ObjectNode o = Json.object();
      o.put("name", name);
      o.put("version", version);
      o.put("digest", digest);
      o.put("signer", signer);
      provenance.ifPresentOrElse(
          p ->
              o.putObject("provenance")
                  .put("builder", p.builder())
                  .put("source", p.sourceUri())
                  .put("sourceDigest", p.sourceDigest()),
          () -> o.putNull("provenance"));
      ArrayNode wf = o.putArray("workflows");
      workflows.forEach(wf::add);
      o.put("publishedBy", publishedBy);
      o.put("publishedAt", publishedAt.toString());
      o.put("catalog", catalog);
      return o;
    }
  }

  /** What publishing did: the entry, and the receipt when it was new. */
  public record Published(Entry entry, Optional<String> receiptId) {}

  /**
   * Puts a checked, signed package into {@code tenant}'s catalog.
   *
   * @throws MaestroException {@code package_version_exists} when the version holds other bytes
   */
  public Published publish(
      Actor actor, Decision decision, TenantId tenant, PackageCheck check, byte[] content) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          Optional<Entry> before = one(tx, tenant, check.name(), check.version());
          if (before.isPresent()) {
            if (before.get().digest().equals(check.digest())) {
              return new Published(before.get(), Optional.empty());
            }
            throw MaestroException.of(
                ProvenanceErrors.PACKAGE_VERSION_EXISTS,
                check.name()
                    + "@"
                    + check.version()
                    + " is already published as "
                    + before.get().digest()
                    + "; publish a new version");
          }
          Entry e = Entry.of(check, actor.subject(), clock.instant(), "tenant");
          ArrayNode wf = Json.MAPPER.createArrayNode();
          e.workflows().forEach(wf::add);
          tx.update(
              "INSERT INTO provenance_packages (tenant_id, name, version, digest, signer, builder,"
                  + " source_uri, source_digest, workflows, content, published_by, published_at)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              tenant.value(),
              e.name(),
              e.version(),
              e.digest(),
              e.signer(),
              e.provenance().map(PackageProvenance.Facts::builder).orElse(null),
              e.provenance().map(PackageProvenance.Facts::sourceUri).orElse(null),
              e.provenance().map(PackageProvenance.Facts::sourceDigest).orElse(null),
              wf.toString(),
              content,
              e.publishedBy(),
              e.publishedAt());
          ObjectNode payload = e.toJson();
          payload.remove("publishedAt");
          payload.remove("catalog");
          String receipt =
              receipts
                  .append(
                      tx,
                      ReceiptDraft.of(
                              LogId.tenant(tenant),
                              ReceiptTypes.PACKAGE_PUBLISHED,
                              actor,
                              "workflow.publish",
                              ReceiptDraft.Subject.of("package", e.name() + "@" + e.version()))
                          .withDecision(decision)
                          .withPayload(payload))
                  .id();
          return new Published(e, Optional.of(receipt));
        });
  }

  /** Every package version of {@code tenant}'s catalog, by name then version. */
  public List<Entry> list(TenantScope scope, TenantId tenant) {
    return db.inTransaction(
        scope,
        tx ->
            tx.query(
                "SELECT * FROM provenance_packages WHERE tenant_id = ? ORDER BY name, published_at",
                PackageCatalog::entry,
                tenant.value()));
  }

  /** The bytes of one version as published. */
  public Optional<byte[]> content(TenantScope scope, TenantId tenant, String name, String version) {
    return db.inTransaction(
        scope,
        tx ->
            tx.queryOne(
                "SELECT content FROM provenance_packages WHERE tenant_id = ? AND name = ? AND"
                    + " version = ?",
                rs -> rs.getBytes(1),
                tenant.value(),
                name,
                version));
  }

  private static Optional<Entry> one(Tx tx, TenantId tenant, String name, String version) {
    return tx.queryOne(
        "SELECT * FROM provenance_packages WHERE tenant_id = ? AND name = ? AND version = ?",
        PackageCatalog::entry,
        tenant.value(),
        name,
        version);
  }

  private static Entry entry(ResultSet rs) throws SQLException {
    List<String> workflows = new ArrayList<>();
    for (JsonNode w : Json.parse(rs.getString("workflows"))) {
      workflows.add(w.asText());
    }
    String builder = rs.getString("builder");
    Optional<PackageProvenance.Facts> facts =
        builder == null
            ? Optional.empty()
            : Optional.of(
                new PackageProvenance.Facts(
                    builder, rs.getString("source_uri"), rs.getString("source_digest")));
    return new Entry(
        rs.getString("name"),
        rs.getString("version"),
        rs.getString("digest"),
        rs.getString("signer"),
        facts,
        workflows,
        rs.getString("published_by"),
        Tx.instant(rs, "published_at"),
        "tenant");
  }
}
