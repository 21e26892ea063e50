package io.maestro.evidence.compliance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.TenantId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The evidence module's port to what a compliance pack gathers from other modules: the policy
 * decision point's active bundle, the release files, the SLO report and incidents. The server
 * implements it; every answer must depend only on its inputs (the tenant and the instant) and on
 * recorded state, so the same pack can be made twice.
 */
public interface PackSources {
  /** The active policy bundle and what governs the tenant. */
  PolicySnapshot policy(TenantId tenant);

  /**
   * The directory whose SBOMs ({@code *.cdx.json}, {@code sbom/*.cdx.json}) and attestations
   * ({@code attestations/*.dsse.json}, {@code layout.dsse.json}) the pack carries, or why there is
   * none.
   */
  Release release();

  /** The tenant's SLOs evaluated over the runs finished before {@code at}. */
  ObjectNode sloReport(TenantId tenant, Instant at);

  /** The tenant's incidents opened before {@code at}, each with its timeline up to {@code at}. */
  List<ObjectNode> incidents(TenantId tenant, Instant at);

  /** The installation's latest isolation report ({@code maestro report isolation}), if kept. */
  Optional<Path> isolationReport();

  /**
   * The policy in force.
   *
   * @param bundle the main active bundle as a deterministic .tar.gz, its signatures included
   * @param facts name, revision, content digest and the verified signer
   * @param publicKeyPem the public key it was verified with, when the server ships it (the canon
   *     bundle's)
   * @param profileLock the released profiles pinned to their SHA-256, when shipped
   * @param tenant the tenant's profile and edition
   */
  record PolicySnapshot(
      byte[] bundle,
      ObjectNode facts,
      Optional<byte[]> publicKeyPem,
      Optional<byte[]> profileLock,
      ObjectNode tenant) {}

  /**
   * Where release files are looked for.
   *
   * @param dir the directory, empty when none is known
   * @param source how it was found (configuration, the running jar's directory) or why none is
   */
  record Release(Optional<Path> dir, String source) {}
}
