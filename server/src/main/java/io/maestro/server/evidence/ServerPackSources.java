package io.maestro.server.evidence;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.TenantId;
import io.maestro.evidence.compliance.PackSources;
import io.maestro.governance.ControlJson;
import io.maestro.governance.Incident;
import io.maestro.governance.Incidents;
import io.maestro.policy.ActiveBundle;
import io.maestro.policy.CanonBundle;
import io.maestro.policy.DecisionPoint;
import io.maestro.policy.bundle.BundleIO;
import io.maestro.server.governance.SloService;
import io.maestro.tenancy.Tenant;
import io.maestro.tenancy.TenantDirectory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the compliance pack gathers from the other modules, through their APIs: the decision point's
 * active bundle (and the canon key and profile lock the policy jar ships), the tenant's profile,
 * the SLO report and incidents as of the pack's instant, the release directory and the isolation
 * report kept under {@code <dataDir>/evidence/reports/}.
 */
final class ServerPackSources implements PackSources {
  /** Incidents per pack: the newest this many opened before the pack's instant. */
  static final int MAX_INCIDENTS = 500;

  private final DecisionPoint pdp;
  private final TenantDirectory directory;
  private final SloService slos;
  private final Incidents incidents;
  private final Optional<Path> releaseDir;
  private final Path reports;

  ServerPackSources(
      DecisionPoint pdp,
      TenantDirectory directory,
      SloService slos,
      Incidents incidents,
      Optional<Path> releaseDir,
      Path reports) {
    this.pdp = pdp;
    this.directory = directory;
    this.slos = slos;
    this.incidents = incidents;
    this.releaseDir = releaseDir;
    this.reports = reports;
  }

  @Override
  public PolicySnapshot policy(TenantId tenant) {
    ActiveBundle active = pdp.active();
    ObjectNode facts = JsonNodeFactory.instance.objectNode();
    facts.put("name", active.bundle().name());
    facts.put("revision", active.revision());
    facts.put("digest", active.digest());
    facts.put("signed_by", active.verified().keyId());
    facts.put("algorithm", active.verified().algorithm().name());
    facts.put("verified_files", active.verified().files().size());
    ObjectNode loaded = facts.putObject("loaded");
    active.revisions().forEach(loaded::put);
    boolean canon = CanonBundle.KEY_ID.equals(active.verified().keyId());
    ObjectNode t = JsonNodeFactory.instance.objectNode();
    t.put("tenant", tenant.value());
    Optional<Tenant> record = directory.tenant(tenant);
    t.put("profile", record.map(Tenant::profile).orElse(pdp.settings().defaultProfile()));
    t.put("edition", pdp.settings().edition());
    t.put("governance_profile", pdp.settings().governanceProfile());
    return new PolicySnapshot(
        BundleIO.toTarGz(active.bundle()),
        facts,
        canon ? Optional.of(CanonBundle.publicKeyPem()) : Optional.empty(),
        CanonBundle.profileLock(),
        t);
  }

  @Override
  public Release release() {
    if (releaseDir.isPresent()) {
      return new Release(releaseDir, "the configured release directory (evidence.releaseDir)");
    }
    return runningJarDir()
        .map(d -> new Release(Optional.of(d), "the directory of the running maestro.jar"))
        .orElseGet(
            () ->
                new Release(
                    Optional.empty(),
                    "the server runs from classes, not a packaged build; set"
                        + " evidence.releaseDir"));
  }

  /**
   * The directory of the packaged app the server runs from: beside {@code maestro.jar}, whose
   * libraries (this class's jar among them) are in {@code lib/}.
   */
  private static Optional<Path> runningJarDir() {
    try {
      var src = ServerPackSources.class.getProtectionDomain().getCodeSource();
      if (src == null) {
        return Optional.empty();
      }
      Path jar = Path.of(src.getLocation().toURI());
      if (!Files.isRegularFile(jar) || jar.getParent() == null) {
        return Optional.empty();
      }
      Path dir = jar.getParent();
      if (dir.getFileName() != null && dir.getFileName().toString().equals("lib")) {
        dir = dir.getParent();
      }
      return Optional.ofNullable(dir).filter(Files::isDirectory);
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public ObjectNode sloReport(TenantId tenant, Instant at) {
    return slos.reportAsOf(tenant, at);
  }

  @Override
  public List<ObjectNode> incidents(TenantId tenant, Instant at) {
    List<Incident> asOf = new ArrayList<>();
    for (Incident i : incidents.list(tenant, Optional.empty(), MAX_INCIDENTS)) {
      if (!i.openedAt().isBefore(at)) {
        continue;
      }
      incidents.get(tenant, i.id()).map(full -> asOf(full, at)).ifPresent(asOf::add);
    }
    asOf.sort(Comparator.comparing(Incident::openedAt).thenComparing(Incident::id));
    return asOf.stream().map(i -> ControlJson.incident(i, true)).toList();
  }

  /** The incident as it stood at {@code at}: its steps before then, closed only if by then. */
  static Incident asOf(Incident i, Instant at) {
    boolean closed = i.closedAt().filter(t -> t.isBefore(at)).isPresent();
    return new Incident(
        i.id(),
        i.tenant(),
        i.workflow(),
        i.version(),
        closed ? Incident.CLOSED : Incident.OPEN,
        i.title(),
        i.openedAt(),
        closed ? i.closedAt() : Optional.empty(),
        closed ? i.closedBy() : Optional.empty(),
        i.timeline().stream().filter(e -> e.at().isBefore(at)).toList());
  }

  @Override
  public Optional<Path> isolationReport() {
    Path report = reports.resolve("isolation.md");
    return Files.isRegularFile(report) ? Optional.of(report) : Optional.empty();
  }
}
