package io.maestro.server.engine;

import io.maestro.core.TenantId;
import io.maestro.engine.Authorization;
import io.maestro.engine.manifest.Manifest;
import io.maestro.engine.manifest.ManifestException;
import io.maestro.engine.manifest.ManifestProblem;
import io.maestro.engine.registry.PackageOrigin;
import io.maestro.engine.registry.WorkflowVersion;
import io.maestro.provenance.packages.PackageCheck;
import io.maestro.provenance.packages.WorkflowPackage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Publishes the workflows of a checked package into a tenant, once the policy allowed it: every
 * manifest is validated before the first is saved (a bad one writes nothing, its problems' paths
 * start with the file's name), then each is saved and published with the package's digest and
 * signer on the version and in its {@code workflow.published} receipt. Shared by {@code POST
 * /api/workflows/packages} and the catalog's installs. Thread-safe.
 */
public final class PackageInstaller {
  private final EngineService engine;

  public PackageInstaller(EngineService engine) {
    this.engine = engine;
  }

  /** The published versions, in the package's order. */
  public List<WorkflowVersion> install(
      Authorization auth, TenantId tenant, WorkflowPackage pkg, PackageCheck check) {
    Map<String, Manifest> manifests = new LinkedHashMap<>();
    for (String file : check.workflows()) {
      String text = new String(pkg.files().get(file), StandardCharsets.UTF_8);
      try {
        manifests.put(file, engine.engine().registry().validate(text));
      } catch (ManifestException e) {
        throw new ManifestException(
            e.code(),
            e.problems().stream()
                .map(p -> new ManifestProblem(file + ":" + p.path(), p.message(), p.position()))
                .toList());
      }
    }
    PackageOrigin origin = new PackageOrigin(check.digest(), check.signer());
    List<WorkflowVersion> published = new ArrayList<>();
    for (var e : manifests.entrySet()) {
      Manifest m = e.getValue();
      String text = new String(pkg.files().get(e.getKey()), StandardCharsets.UTF_8);
      engine.engine().registry().saveDraft(auth, tenant, m.name(), m.version(), text);
      published.add(
          engine.publishVersion(auth, tenant, m.name(), m.version(), Optional.of(origin)));
    }
    return published;
  }
}
