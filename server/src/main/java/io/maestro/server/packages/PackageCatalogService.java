package io.maestro.server.packages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.Authorization;
import io.maestro.engine.EngineErrors;
import io.maestro.engine.registry.WorkflowVersion;
import io.maestro.provenance.ProvenanceErrors;
import io.maestro.provenance.keys.PublicKeyInfo;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.packages.PackageCatalog;
import io.maestro.provenance.packages.PackageCheck;
import io.maestro.provenance.packages.PackagePublishers;
import io.maestro.provenance.packages.WorkflowPackage;
import io.maestro.server.auth.Governed;
import io.maestro.server.auth.PolicyRecheck;
import io.maestro.server.engine.EngineJson;
import io.maestro.server.engine.PackageInstaller;
import io.maestro.server.engine.PackageService;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.Route;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The workflow package catalog over HTTP (docs/packages.md, ADR 0046):
 *
 * <ul>
 *   <li>{@code GET /api/packages}, {@code GET /api/packages/{name}}: the default catalog (the
 *       golden workflows, signed by the installation) and the tenant's own.
 *   <li>{@code POST /api/packages}: puts a package into the tenant's catalog.
 *   <li>{@code POST /api/packages/install} (a package in the body) and {@code POST
 *       /api/packages/{name}/install[?version=]} (from a catalog): publish its workflows into the
 *       tenant.
 *   <li>{@code GET /api/package-publishers}, {@code PUT|DELETE /api/package-publishers/{keyId}}:
 *       the publisher keys the tenant trusts besides the installation's.
 * </ul>
 *
 * Publishing into the catalog and installing verify the whole chain every time — digests, the
 * provenance statement, the signature by a key the tenant trusts — and the policy decides on what
 * the check found ({@code input.request.package.operation} {@code catalog} or {@code install}; pack
 * {@code maestro.packages}), so a tampered or unsigned package is refused with a decision that
 * names the failing check.
 */
public final class PackageCatalogService implements ApiService {
  private final PackageCatalog catalog;
  private final PackagePublishers publishers;
  private final DefaultCatalog defaults;
  private final PackageInstaller installer;

  public PackageCatalogService(
      PackageCatalog catalog,
      PackagePublishers publishers,
      DefaultCatalog defaults,
      PackageInstaller installer) {
    this.catalog = catalog;
    this.publishers = publishers;
    this.defaults = defaults;
    this.installer = installer;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/packages", "workflow.read", this::list),
        Route.post("/api/packages", "workflow.publish", this::publish),
        Route.post("/api/packages/install", "workflow.publish", this::installBody),
        Route.get("/api/packages/{name}", "workflow.read", this::show),
        Route.post("/api/packages/{name}/install", "workflow.publish", this::installNamed),
        Route.get("/api/package-publishers", "workflow.read", this::listPublishers),
        Route.put("/api/package-publishers/{keyId}", "tenant.update", this::trust),
        Route.delete("/api/package-publishers/{keyId}", "tenant.update", this::untrust));
  }

  /** Both catalogs' versions, default catalog first. */
  private List<PackageCatalog.Entry> entries(Governed g, TenantId tenant) {
    List<PackageCatalog.Entry> all = new ArrayList<>();
    defaults.packages().values().forEach(p -> all.add(p.entry()));
    all.addAll(catalog.list(g.scope(), tenant));
    return all;
  }

  private void list(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    ObjectNode out = HttpJson.MAPPER.createObjectNode();
    ArrayNode items = out.putArray("items");
    entries(g, tenant).forEach(e -> items.add(e.toJson()));
    HttpJson.ok(res, out);
  }

  private void show(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    String name = req.path().pathParameters().get("name");
    List<PackageCatalog.Entry> versions =
        entries(g, tenant).stream().filter(e -> e.name().equals(name)).toList();
    if (versions.isEmpty()) {
      throw MaestroException.of(ProvenanceErrors.PACKAGE_NOT_FOUND, "no package " + name);
    }
    ObjectNode out = HttpJson.MAPPER.createObjectNode();
    out.put("name", name);
    out.put("latest", versions.get(versions.size() - 1).version());
    ArrayNode items = out.putArray("versions");
    versions.forEach(e -> items.add(e.toJson()));
    HttpJson.ok(res, out);
  }

  private record Checked(WorkflowPackage pkg, PackageCheck check) {}

  private Checked check(byte[] bytes, TenantId tenant) {
    try {
      WorkflowPackage pkg = WorkflowPackage.read(new ByteArrayInputStream(bytes));
      TrustedKeys trusted = publishers.trustedBy(tenant);
      return new Checked(pkg, PackageCheck.of(pkg, trusted));
    } catch (WorkflowPackage.FormatException e) {
      throw MaestroException.of(EngineErrors.WORKFLOW_PACKAGE_INVALID, e.getMessage());
    }
  }

  private Decision decide(ServerRequest req, Governed g, PackageCheck check, String operation) {
    return PolicyRecheck.of(req)
        .decide(g.input().withRequest("package", PackageService.input(check, operation)));
  }

  private void publish(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    byte[] bytes = PackageService.body(req);
    Checked c = check(bytes, tenant);
    Decision d = decide(req, g, c.check(), "catalog");
    if (defaults.get(c.check().name()).isPresent()) {
      throw MaestroException.of(
          ProvenanceErrors.PACKAGE_VERSION_EXISTS,
          c.check().name() + " is a package of the default catalog; choose another name");
    }
    PackageCatalog.Published p = catalog.publish(g.actor(), d, tenant, c.check(), bytes);
    ObjectNode out = p.entry().toJson();
    out.put("decision_id", d.id());
    p.receiptId().ifPresentOrElse(r -> out.put("receipt", r), () -> out.putNull("receipt"));
    HttpJson.send(res, p.receiptId().isPresent() ? Status.CREATED_201 : Status.OK_200, out);
  }

  private void installBody(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    install(req, res, g, g.requireTenant(), PackageService.body(req));
  }

  private void installNamed(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    String name = req.path().pathParameters().get("name");
    Optional<String> version = req.query().first("version").asOptional();
    Optional<byte[]> bytes =
        defaults
            .get(name)
            .filter(p -> version.isEmpty() || version.get().equals(p.entry().version()))
            .map(DefaultCatalog.Packaged::content);
    if (bytes.isEmpty()) {
      String v =
          version.orElseGet(
              () ->
                  catalog.list(g.scope(), tenant).stream()
                      .filter(e -> e.name().equals(name))
                      .max(Comparator.comparing(PackageCatalog.Entry::publishedAt))
                      .map(PackageCatalog.Entry::version)
                      .orElse(""));
      bytes = catalog.content(g.scope(), tenant, name, v);
    }
    byte[] content =
        bytes.orElseThrow(
            () ->
                MaestroException.of(
                    ProvenanceErrors.PACKAGE_NOT_FOUND,
                    "no package " + name + version.map(v -> "@" + v).orElse("")));
    install(req, res, g, tenant, content);
  }

  private void install(
      ServerRequest req, ServerResponse res, Governed g, TenantId tenant, byte[] bytes) {
    Checked c = check(bytes, tenant);
    Decision d = decide(req, g, c.check(), "install");
    List<WorkflowVersion> published =
        installer.install(new Authorization(g.actor(), d), tenant, c.pkg(), c.check());
    ObjectNode out = HttpJson.MAPPER.createObjectNode();
    out.put("name", c.check().name());
    out.put("version", c.check().version());
    out.put("digest", c.check().digest());
    out.put("signer", c.check().signer().orElseThrow());
    c.check()
        .provenance()
        .ifPresentOrElse(
            p ->
                out.putObject("provenance")
                    .put("builder", p.builder())
                    .put("source", p.sourceUri())
                    .put("sourceDigest", p.sourceDigest()),
            () -> out.putNull("provenance"));
    out.put("decision_id", d.id());
    ArrayNode items = out.putArray("workflows");
    published.forEach(v -> items.add(EngineJson.version(v)));
    HttpJson.ok(res, out);
  }

  private void listPublishers(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    ObjectNode out = HttpJson.MAPPER.createObjectNode();
    ArrayNode items = out.putArray("items");
    List<PublicKeyInfo> defaultKeys = defaults.publicKeys().keys();
    for (PackagePublishers.Trusted t : publishers.list(g.scope(), tenant)) {
      ObjectNode o = items.addObject();
      o.put("keyId", t.key().keyId());
      o.put(
          "source",
          defaultKeys.stream().anyMatch(k -> k.keyId().equals(t.key().keyId()))
              ? "default-catalog"
              : t.source());
      t.addedBy().ifPresentOrElse(b -> o.put("addedBy", b), () -> o.putNull("addedBy"));
      o.set("jwk", TrustedKeys.of(List.of(t.key())).toJwks().path("keys").get(0));
    }
    HttpJson.ok(res, out);
  }

  private void trust(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    String keyId = req.path().pathParameters().get("keyId");
    JsonNode body = HttpJson.read(req);
    PublicKeyInfo key = PackagePublishers.parse(body.has("jwk") ? body.get("jwk") : body, keyId);
    Optional<String> receipt = publishers.trust(g.actor(), g.decision(), tenant, key);
    ObjectNode out = HttpJson.MAPPER.createObjectNode();
    out.put("keyId", key.keyId());
    receipt.ifPresentOrElse(r -> out.put("receipt", r), () -> out.putNull("receipt"));
    HttpJson.send(res, receipt.isPresent() ? Status.CREATED_201 : Status.OK_200, out);
  }

  private void untrust(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    String keyId = req.path().pathParameters().get("keyId");
    String receipt = publishers.remove(g.actor(), g.decision(), tenant, keyId);
    ObjectNode out = HttpJson.MAPPER.createObjectNode();
    out.put("keyId", keyId);
    out.put("receipt", receipt);
    HttpJson.ok(res, out);
  }
}
