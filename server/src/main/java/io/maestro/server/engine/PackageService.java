package io.maestro.server.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.problem.CoreErrors;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.Authorization;
import io.maestro.engine.EngineErrors;
import io.maestro.engine.registry.WorkflowVersion;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.packages.PackageCheck;
import io.maestro.provenance.packages.PackagePublishers;
import io.maestro.provenance.packages.WorkflowPackage;
import io.maestro.server.auth.Governed;
import io.maestro.server.auth.PolicyRecheck;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.Route;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/workflows/packages}: publishes the workflows of a workflow package. The package
 * is checked (digests, then the signature against the keys the tenant trusts) and the policy
 * decides on what the check found ({@code input.request.package}, pack {@code maestro.packages});
 * only then is each workflow saved and published, with the package's digest and signer on the
 * version and in its receipt. Every manifest is validated before anything is written.
 */
public final class PackageService implements ApiService {
  private static final long MAX_PACKAGE_BYTES = 16L << 20;

  private final PackageInstaller installer;
  private final PackagePublishers publishers;

  /**
   * @param publishers the keys each tenant trusts for packages
   */
  public PackageService(PackageInstaller installer, PackagePublishers publishers) {
    this.installer = installer;
    this.publishers = publishers;
  }

  /**
   * The trusted publishers from {@code packages.trustedKeys}; none without the setting.
   *
   * @throws IllegalStateException when the file cannot be read or is not an Ed25519 JWKS, so the
   *     server does not start trusting less than it was told to
   */
  public static TrustedKeys publishers(Optional<java.nio.file.Path> jwks) {
    if (jwks.isEmpty()) {
      return TrustedKeys.of(List.of());
    }
    try {
      return TrustedKeys.fromJwks(
          HttpJson.MAPPER.readTree(java.nio.file.Files.readString(jwks.get())));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "packages.trustedKeys " + jwks.get() + " is not a readable JWKS: " + e.getMessage(), e);
    }
  }

  @Override
  public List<Route> routes() {
    return List.of(Route.post("/api/workflows/packages", "workflow.publish", this::publish));
  }

  private void publish(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    WorkflowPackage pkg;
    PackageCheck check;
    try {
      pkg = WorkflowPackage.read(new ByteArrayInputStream(body(req)));
      check = PackageCheck.of(pkg, publishers.trustedBy(tenant));
    } catch (WorkflowPackage.FormatException e) {
      throw MaestroException.of(EngineErrors.WORKFLOW_PACKAGE_INVALID, e.getMessage());
    }
    Decision d =
        PolicyRecheck.of(req).decide(g.input().withRequest("package", input(check, "publish")));
    List<WorkflowVersion> published =
        installer.install(new Authorization(g.actor(), d), tenant, pkg, check);
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("digest", check.digest());
    if (check.signer().isPresent()) {
      out.put("signer", check.signer().get());
    } else {
      out.putNull("signer");
    }
    out.put("decision_id", d.id());
    ArrayNode items = out.putArray("workflows");
    published.forEach(v -> items.add(EngineJson.version(v)));
    HttpJson.ok(res, out);
  }

  /**
   * What the policy sees of the package.
   *
   * @param operation {@code publish} (its workflows, {@code POST /api/workflows/packages}), {@code
   *     catalog} or {@code install}: the latter two need the whole chain on every profile
   */
  public static Map<String, Object> input(PackageCheck check, String operation) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("operation", operation);
    p.put("digest", check.digest());
    p.put("name", check.name());
    p.put("version", check.version());
    p.put("workflows", check.workflows());
    check.signer().ifPresent(s -> p.put("signer", s));
    check
        .provenance()
        .ifPresent(
            f ->
                p.put(
                    "provenance",
                    Map.of(
                        "builder", f.builder(),
                        "source", f.sourceUri(),
                        "sourceDigest", f.sourceDigest())));
    check
        .failure()
        .ifPresent(
            f ->
                p.put(
                    "failure",
                    Map.of("check", f.check(), "file", f.file(), "message", f.message())));
    return p;
  }

  /** The request body, at most 16 MiB. */
  public static byte[] body(ServerRequest req) {
    if (!req.content().hasEntity()) {
      throw MaestroException.of(
          EngineErrors.WORKFLOW_PACKAGE_INVALID, "send the package (.tar.gz) as the body");
    }
    try (InputStream in = req.content().inputStream()) {
      byte[] data = in.readNBytes((int) MAX_PACKAGE_BYTES + 1);
      if (data.length > MAX_PACKAGE_BYTES) {
        throw MaestroException.of(
            CoreErrors.PAYLOAD_TOO_LARGE, "a workflow package is at most 16 MiB");
      }
      return data;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
