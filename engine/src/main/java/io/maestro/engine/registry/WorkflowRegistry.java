package io.maestro.engine.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.Authorization;
import io.maestro.engine.EngineErrors;
import io.maestro.engine.JsonText;
import io.maestro.engine.internal.ReceiptWriter;
import io.maestro.engine.manifest.Manifest;
import io.maestro.engine.manifest.ManifestDigest;
import io.maestro.engine.manifest.ManifestException;
import io.maestro.engine.manifest.ManifestLoader;
import io.maestro.engine.manifest.ManifestProblem;
import io.maestro.engine.manifest.SourceTree;
import io.maestro.engine.manifest.TaskSpec;
import io.maestro.engine.sandbox.SandboxCeilings;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The workflow registry: drafts that can be replaced, and published versions that never change.
 * Publishing records the manifest's digest in a receipt and makes the version the workflow's active
 * one. Validated manifests are cached by digest (prepare once, run many times). Thread-safe.
 */
public final class WorkflowRegistry {
  private final Database db;
  private final ManifestLoader loader;
  private final ReceiptWriter receipts;
  private final Clock clock;
  private final SandboxCeilings.PerTenant ceilings;
  private final Map<String, Manifest> byDigest = new ConcurrentHashMap<>();

  public WorkflowRegistry(Database db, ManifestLoader loader, ReceiptWriter receipts, Clock clock) {
    this(db, loader, receipts, clock, SandboxCeilings.PerTenant.NONE);
  }

  /**
   * @param ceilings each tenant's own sandbox ceilings, checked when a draft is saved
   */
  public WorkflowRegistry(
      Database db,
      ManifestLoader loader,
      ReceiptWriter receipts,
      Clock clock,
      SandboxCeilings.PerTenant ceilings) {
    this.ceilings = ceilings;
    this.db = db;
    this.loader = loader;
    this.receipts = receipts;
    this.clock = clock;
  }

  /** Validates manifest text without storing it. */
  public Manifest validate(String text) {
    return loader.load(text);
  }

  /**
   * Stores {@code text} as the draft of {@code name}/{@code version}, replacing an earlier draft.
   * Saving the exact content of a published version again is accepted and changes nothing (so a PUT
   * can be retried); different content for a published version is refused.
   *
   * @throws ManifestException when the manifest is invalid or names another workflow or version
   */
  public WorkflowVersion saveDraft(
      Authorization auth, TenantId tenant, String name, String version, String text) {
    Manifest m = loader.load(text);
    List<ManifestProblem> mismatch = new ArrayList<>();
    if (!m.name().equals(name)) {
      mismatch.add(
          new ManifestProblem(
              "metadata.name",
              "the manifest names workflow '" + m.name() + "' but is saved as '" + name + "'",
              Optional.empty()));
    }
    if (!m.version().equals(version)) {
      mismatch.add(
          new ManifestProblem(
              "metadata.version",
              "the manifest has version '" + m.version() + "' but is saved as '" + version + "'",
              Optional.empty()));
    }
    // The tenant's own sandbox ceilings (the platform's are checked with the manifest itself).
    Optional<SandboxCeilings> own = ceilings.of(tenant);
    for (int i = 0; own.isPresent() && i < m.tasks().size(); i++) {
      TaskSpec t = m.tasks().get(i);
      if ("core/exec".equals(t.uses())) {
        for (SandboxCeilings.Problem p : own.get().check(t.with(), "tenant " + tenant.value())) {
          mismatch.add(
              new ManifestProblem(
                  "spec.tasks[" + i + "].with." + p.key(), p.message(), Optional.empty()));
        }
      }
    }
    if (!mismatch.isEmpty()) {
      throw new ManifestException(mismatch);
    }
    String digest = ManifestDigest.of(m);
    Instant now = clock.instant();
    return receipts.inTransaction(
        db,
        TenantScope.of(tenant),
        tx -> {
          tx.update(
              "INSERT INTO engine_workflows (tenant_id, name, active_version, created_at)"
                  + " VALUES (?,?,NULL,?) ON CONFLICT DO NOTHING",
              tenant.value(),
              name,
              now);
          Optional<WorkflowVersion> existing = version(tx, tenant, name, version, true);
          if (existing.isPresent() && existing.get().status() == WorkflowVersion.Status.PUBLISHED) {
            if (existing.get().digest().equals(digest)) {
              return existing.get();
            }
            throw MaestroException.of(
                EngineErrors.WORKFLOW_VERSION_PUBLISHED,
                name + "@" + version + " is published; publish a new version instead");
          }
          if (existing.isPresent()) {
            tx.update(
                "UPDATE engine_workflow_versions SET source_text = ?, manifest = ?, digest = ?,"
                    + " updated_at = ? WHERE tenant_id = ? AND name = ? AND version = ?",
                text,
                JsonText.json(m.canonical()),
                digest,
                now,
                tenant.value(),
                name,
                version);
          } else {
            tx.update(
                "INSERT INTO engine_workflow_versions (tenant_id, name, version, status,"
                    + " source_text, manifest, digest, created_by, created_at, updated_at)"
                    + " VALUES (?,?,?,?,?,?,?,?,?,?)",
                tenant.value(),
                name,
                version,
                WorkflowVersion.Status.DRAFT.name(),
                text,
                JsonText.json(m.canonical()),
                digest,
                auth.actor().subject(),
                now,
                now);
          }
          ObjectNode p = JsonText.object().put("digest", digest).put("status", "DRAFT");
          receipts.workflow(tx, tenant, auth, "workflow.draft", name, version, p);
          byDigest.putIfAbsent(digest, m);
          return version(tx, tenant, name, version, false).orElseThrow();
        });
  }

  /**
   * Publishes a draft: it becomes immutable and the workflow's active version. Publishing an
   * already published version returns it unchanged.
   */
  public WorkflowVersion publish(Authorization auth, TenantId tenant, String name, String version) {
    return publish(auth, tenant, name, version, tx -> {});
  }

  /**
   * Publishes a draft and runs {@code alsoInTx} in the same transaction (the server syncs the
   * manifest's schedules there), so both commit or neither does. Publishing a published version
   * changes nothing and does not run it.
   */
  public WorkflowVersion publish(
      Authorization auth,
      TenantId tenant,
      String name,
      String version,
      java.util.function.Consumer<Tx> alsoInTx) {
    return publish(auth, tenant, name, version, Optional.empty(), alsoInTx);
  }

  /**
   * As {@link #publish(Authorization, TenantId, String, String, java.util.function.Consumer)}, for
   * a version that comes from a workflow package: the package's digest and signer are stored on the
   * version and named in its {@code workflow.publish} receipt.
   */
  public WorkflowVersion publish(
      Authorization auth,
      TenantId tenant,
      String name,
      String version,
      Optional<PackageOrigin> origin,
      java.util.function.Consumer<Tx> alsoInTx) {
    Instant now = clock.instant();
    return receipts.inTransaction(
        db,
        TenantScope.of(tenant),
        tx -> {
          WorkflowVersion v =
              version(tx, tenant, name, version, true)
                  .orElseThrow(
                      () ->
                          MaestroException.of(
                              EngineErrors.WORKFLOW_NOT_FOUND, "no draft " + name + "@" + version));
          if (v.status() == WorkflowVersion.Status.PUBLISHED) {
            return v;
          }
          tx.update(
              "UPDATE engine_workflow_versions SET status = ?, published_by = ?, published_at = ?,"
                  + " package_digest = ?, package_signer = ?"
                  + " WHERE tenant_id = ? AND name = ? AND version = ?",
              WorkflowVersion.Status.PUBLISHED.name(),
              auth.actor().subject(),
              now,
              origin.map(PackageOrigin::digest).orElse(null),
              origin.flatMap(PackageOrigin::signer).orElse(null),
              tenant.value(),
              name,
              version);
          tx.update(
              "UPDATE engine_workflows SET active_version = ? WHERE tenant_id = ? AND name = ?",
              version,
              tenant.value(),
              name);
          ObjectNode p = JsonText.object().put("digest", v.digest()).put("status", "PUBLISHED");
          origin.ifPresent(
              o -> {
                p.put("package_digest", o.digest());
                if (o.signer().isPresent()) {
                  p.put("package_signer", o.signer().get());
                } else {
                  p.putNull("package_signer");
                }
              });
          receipts.workflow(tx, tenant, auth, "workflow.publish", name, version, p);
          alsoInTx.accept(tx);
          return version(tx, tenant, name, version, false).orElseThrow();
        });
  }

  public List<WorkflowSummary> list(TenantId tenant) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          List<String[]> rows =
              tx.query(
                  "SELECT name, active_version FROM engine_workflows WHERE tenant_id = ?"
                      + " ORDER BY name",
                  rs -> new String[] {rs.getString("name"), rs.getString("active_version")},
                  tenant.value());
          List<WorkflowSummary> out = new ArrayList<>();
          for (String[] r : rows) {
            out.add(
                new WorkflowSummary(r[0], Optional.ofNullable(r[1]), versions(tx, tenant, r[0])));
          }
          return out;
        });
  }

  public Optional<WorkflowSummary> get(TenantId tenant, String name) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx ->
            tx.queryOne(
                    "SELECT active_version FROM engine_workflows WHERE tenant_id = ? AND name = ?",
                    rs -> Optional.ofNullable(rs.getString("active_version")),
                    tenant.value(),
                    name)
                .map(active -> new WorkflowSummary(name, active, versions(tx, tenant, name))));
  }

  /** The stored source text of a version (as it was written, YAML or JSON). */
  public Optional<String> source(TenantId tenant, String name, String version) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx ->
            tx.queryOne(
                "SELECT source_text FROM engine_workflow_versions WHERE tenant_id = ? AND name = ?"
                    + " AND version = ?",
                rs -> rs.getString("source_text"),
                tenant.value(),
                name,
                version));
  }

  /**
   * The published version to run: {@code version}, or the active version when absent.
   *
   * @throws MaestroException {@code workflow_not_found} or {@code workflow_not_published}
   */
  public PublishedWorkflow resolve(Tx tx, TenantId tenant, String name, Optional<String> version) {
    String v =
        version.orElseGet(
            () ->
                tx.queryOne(
                        "SELECT active_version FROM engine_workflows WHERE tenant_id = ? AND"
                            + " name = ?",
                        rs -> Optional.ofNullable(rs.getString("active_version")),
                        tenant.value(),
                        name)
                    .orElseThrow(
                        () ->
                            MaestroException.of(
                                EngineErrors.WORKFLOW_NOT_FOUND, "no workflow '" + name + "'"))
                    .orElseThrow(
                        () ->
                            MaestroException.of(
                                EngineErrors.WORKFLOW_NOT_PUBLISHED,
                                "workflow '" + name + "' has no published version")));
    var row =
        tx.queryOne(
                "SELECT status, digest, manifest FROM engine_workflow_versions WHERE tenant_id = ?"
                    + " AND name = ? AND version = ?",
                rs ->
                    new String[] {
                      rs.getString("status"), rs.getString("digest"), rs.getString("manifest")
                    },
                tenant.value(),
                name,
                v)
            .orElseThrow(
                () ->
                    MaestroException.of(
                        EngineErrors.WORKFLOW_NOT_FOUND, "no workflow version " + name + "@" + v));
    if (!WorkflowVersion.Status.PUBLISHED.name().equals(row[0])) {
      throw MaestroException.of(
          EngineErrors.WORKFLOW_NOT_PUBLISHED, name + "@" + v + " is a draft; publish it first");
    }
    return new PublishedWorkflow(name, v, row[1], manifest(row[1], row[2]));
  }

  /**
   * As {@link #resolve(Tx, TenantId, String, Optional)}, in its own transaction: the version a
   * start of {@code name} would run, for the policy to judge before the run is created.
   */
  public PublishedWorkflow resolve(TenantId tenant, String name, Optional<String> version) {
    return db.inTransaction(TenantScope.of(tenant), tx -> resolve(tx, tenant, name, version));
  }

  /**
   * What a start of {@code name} would run and its alternative, read in one transaction: the
   * published version ({@code version}, or the active one) and, for a start that did not name a
   * version, the most recently published other version (the stable version canary routing may send
   * the start to).
   *
   * @throws MaestroException {@code workflow_not_found} or {@code workflow_not_published}
   */
  public StartCandidate candidate(TenantId tenant, String name, Optional<String> version) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          PublishedWorkflow wf = resolve(tx, tenant, name, version);
          Optional<String> stable =
              version.isPresent()
                  ? Optional.empty()
                  : tx.queryOne(
                      "SELECT version FROM engine_workflow_versions WHERE tenant_id = ? AND name = ?"
                          + " AND status = 'PUBLISHED' AND version <> ? AND published_at IS NOT NULL"
                          + " ORDER BY published_at DESC, version DESC LIMIT 1",
                      rs -> rs.getString("version"),
                      tenant.value(),
                      name,
                      wf.version());
          return new StartCandidate(wf, stable);
        });
  }

  /** The manifest of a run's workflow version, in its own transaction. */
  public Manifest manifest(TenantId tenant, String name, String version, String digest) {
    return db.inTransaction(
        TenantScope.of(tenant), tx -> manifest(tx, tenant, name, version, digest));
  }

  /** The manifest of a run's workflow version, by digest (cached). */
  public Manifest manifest(Tx tx, TenantId tenant, String name, String version, String digest) {
    Manifest cached = byDigest.get(digest);
    if (cached != null) {
      return cached;
    }
    String text =
        tx.queryOne(
                "SELECT manifest FROM engine_workflow_versions WHERE tenant_id = ? AND name = ?"
                    + " AND version = ?",
                rs -> rs.getString("manifest"),
                tenant.value(),
                name,
                version)
            .orElseThrow(
                () ->
                    MaestroException.of(
                        EngineErrors.WORKFLOW_NOT_FOUND,
                        "no workflow version " + name + "@" + version));
    return manifest(digest, text);
  }

  private Manifest manifest(String digest, String canonicalJson) {
    return byDigest.computeIfAbsent(
        digest, d -> loader.load(SourceTree.of(JsonText.read(canonicalJson))));
  }

  private Optional<WorkflowVersion> version(
      Tx tx, TenantId tenant, String name, String version, boolean lock) {
    return tx.queryOne(
        "SELECT name, version, status, digest, created_by, created_at, updated_at, published_by,"
            + " published_at, package_digest, package_signer FROM engine_workflow_versions WHERE tenant_id = ? AND name = ? AND"
            + " version = ?"
            + (lock ? " FOR UPDATE" : ""),
        WorkflowRegistry::map,
        tenant.value(),
        name,
        version);
  }

  private static List<WorkflowVersion> versions(Tx tx, TenantId tenant, String name) {
    return tx.query(
        "SELECT name, version, status, digest, created_by, created_at, updated_at, published_by,"
            + " published_at, package_digest, package_signer FROM engine_workflow_versions WHERE tenant_id = ? AND name = ?"
            + " ORDER BY created_at DESC, version DESC",
        WorkflowRegistry::map,
        tenant.value(),
        name);
  }

  private static WorkflowVersion map(ResultSet rs) throws SQLException {
    String packageDigest = rs.getString("package_digest");
    Optional<String> signer = Optional.ofNullable(rs.getString("package_signer"));
    return new WorkflowVersion(
        rs.getString("name"),
        rs.getString("version"),
        WorkflowVersion.Status.valueOf(rs.getString("status")),
        rs.getString("digest"),
        rs.getString("created_by"),
        Tx.instant(rs, "created_at"),
        Tx.instant(rs, "updated_at"),
        Optional.ofNullable(rs.getString("published_by")),
        Optional.ofNullable(Tx.instant(rs, "published_at")),
        Optional.ofNullable(packageDigest).map(d -> new PackageOrigin(d, signer)));
  }
}
