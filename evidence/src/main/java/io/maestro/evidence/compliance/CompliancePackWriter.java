package io.maestro.evidence.compliance;

import static io.maestro.evidence.storage.Staging.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.TenantId;
import io.maestro.evidence.pack.RunReceipts;
import io.maestro.evidence.storage.StagedFile;
import io.maestro.evidence.storage.Staging;
import io.maestro.provenance.Checkpoint;
import io.maestro.provenance.ReceiptJson;
import io.maestro.provenance.keys.Signer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Stages the files of one Conductor Compliance Pack — the policy snapshot, the release's SBOMs and
 * attestations, the SLO report, the incident timelines, the drill receipts with their proofs and
 * the isolation report — and the index that says, section by section, what is in it and what is
 * absent and why; then signs an in-toto Statement naming every file by SHA-256. Nothing written
 * depends on when the pack is made, only on the instant it is made as of.
 */
public final class CompliancePackWriter {
  private final Staging staging;
  private final Signer signer;

  public CompliancePackWriter(Staging staging, Signer signer) {
    this.staging = staging;
    this.signer = signer;
  }

  /** What the pack is made of. */
  public record Contents(
      TenantId tenant,
      Instant at,
      PackSources.PolicySnapshot policy,
      PackSources.Release release,
      ObjectNode slo,
      List<ObjectNode> incidents,
      List<RunReceipts.Proven> drills,
      Optional<Checkpoint> platformCheckpoint,
      Optional<Path> isolation) {}

  /** Stages every file, the index and the signed statement; returns the files in archive order. */
  public List<StagedFile> write(Contents c) {
    ArrayNode sections = JsonNodeFactory.instance.arrayNode();
    sections.add(policy(c.policy()));
    sections.add(release(c.release()));
    sections.add(slo(c.slo()));
    sections.add(incidents(c.incidents()));
    sections.add(drills(c));
    sections.add(isolation(c.isolation()));

    ObjectNode index = JsonNodeFactory.instance.objectNode();
    index.put("format", CompliancePackFormat.FORMAT);
    index.put("tag", CompliancePackFormat.TAG);
    index.put("tenant", c.tenant().value());
    index.put("at", c.at().toString());
    index.set("sections", sections);
    write(CompliancePackFormat.INDEX, json(index));

    ObjectNode predicate = JsonNodeFactory.instance.objectNode();
    predicate.put("format", CompliancePackFormat.FORMAT);
    predicate.put("tag", CompliancePackFormat.TAG);
    predicate.put("tenant", c.tenant().value());
    predicate.put("at", c.at().toString());
    staging.writeStatement(
        CompliancePackFormat.STATEMENT, CompliancePackFormat.PREDICATE_TYPE, predicate, signer);
    return staging.files();
  }

  private ObjectNode policy(PackSources.PolicySnapshot p) {
    ObjectNode s = section(CompliancePackFormat.POLICY, "Policy snapshot: signed bundle and lock");
    ArrayNode files = s.putArray("files");
    write(CompliancePackFormat.POLICY_BUNDLE, p.bundle());
    files.add(CompliancePackFormat.POLICY_BUNDLE);
    write(CompliancePackFormat.POLICY_FACTS, json(p.facts()));
    files.add(CompliancePackFormat.POLICY_FACTS);
    p.publicKeyPem()
        .ifPresent(
            k -> {
              write(CompliancePackFormat.POLICY_KEY, k);
              files.add(CompliancePackFormat.POLICY_KEY);
            });
    p.profileLock()
        .ifPresent(
            l -> {
              write(CompliancePackFormat.PROFILE_LOCK, l);
              files.add(CompliancePackFormat.PROFILE_LOCK);
            });
    write(CompliancePackFormat.TENANT_PROFILE, json(p.tenant()));
    files.add(CompliancePackFormat.TENANT_PROFILE);
    s.put("status", "included");
    s.put(
        "summary",
        "bundle "
            + p.facts().path("revision").asText()
            + (p.profileLock().isPresent()
                ? " with the profile lock"
                : " (no profile lock shipped)")
            + "; tenant profile "
            + p.tenant().path("profile").asText());
    return s;
  }

  private ObjectNode release(PackSources.Release r) {
    ObjectNode s = section(CompliancePackFormat.SBOM, "SBOM and build attestation");
    s.put("source", r.source());
    List<ReleaseFiles.Found> found = r.dir().map(ReleaseFiles::collect).orElse(List.of());
    if (found.isEmpty()) {
      s.put("status", "absent");
      s.put(
          "reason",
          r.dir().isEmpty()
              ? "no release directory is known to this server: " + r.source()
              : "no SBOM (*.cdx.json) or attestation (attestations/*.dsse.json) in "
                  + r.dir().get().getFileName()
                  + " ("
                  + r.source()
                  + "); an offline build makes no SBOM and an unsigned build no attestation");
      s.putArray("files");
      return s;
    }
    ArrayNode files = s.putArray("files");
    int sboms = 0;
    int attestations = 0;
    for (ReleaseFiles.Found f : found) {
      try {
        write(f.packPath(), Files.readAllBytes(f.file()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      files.add(f.packPath());
      if (f.packPath().endsWith(".cdx.json")) {
        sboms++;
      } else {
        attestations++;
      }
    }
    s.put("status", "included");
    s.put("summary", sboms + " SBOM(s), " + attestations + " signed attestation(s)");
    if (attestations == 0) {
      s.put("note", "no build attestation: the build was not signed (maestro release sign)");
    }
    return s;
  }

  private ObjectNode slo(ObjectNode report) {
    ObjectNode s = section(CompliancePackFormat.SLO, "SLO report");
    write(CompliancePackFormat.SLO_REPORT, json(report));
    s.putArray("files").add(CompliancePackFormat.SLO_REPORT);
    int n = report.path("items").size();
    s.put("status", n == 0 ? "none" : "included");
    s.put("summary", n + " SLO(s) evaluated over the runs finished before the pack's instant");
    return s;
  }

  private ObjectNode incidents(List<ObjectNode> incidents) {
    ObjectNode s = section(CompliancePackFormat.INCIDENT_TIMELINES, "Incident timelines");
    ArrayNode files = s.putArray("files");
    for (ObjectNode i : incidents) {
      String f = CompliancePackFormat.incident(i.path("id").asText());
      write(f, json(i));
      files.add(f);
    }
    s.put("status", incidents.isEmpty() ? "none" : "included");
    s.put("summary", incidents.size() + " incident(s) opened before the pack's instant");
    return s;
  }

  private ObjectNode drills(Contents c) {
    ObjectNode s = section(CompliancePackFormat.DRILL_REPORTS, "Drill reports (restore, chaos)");
    ArrayNode files = s.putArray("files");
    int restore = 0;
    int chaos = 0;
    for (RunReceipts.Proven p : c.drills()) {
      String f = CompliancePackFormat.drill(p.receipt().seq());
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.set("receipt", ReceiptJson.toJson(p.receipt(), true));
      o.set("inclusion_proof", p.proof().toJson());
      o.put("checkpoint", CompliancePackFormat.PLATFORM_CHECKPOINT);
      write(f, json(o));
      files.add(f);
      if (p.receipt().type().name().equals("drill.completed")) {
        restore++;
      } else {
        chaos++;
      }
    }
    c.platformCheckpoint()
        .ifPresent(
            cp -> {
              write(
                  CompliancePackFormat.PLATFORM_CHECKPOINT,
                  cp.note().getBytes(StandardCharsets.UTF_8));
              files.add(CompliancePackFormat.PLATFORM_CHECKPOINT);
              s.putObject("checkpoint").put("origin", cp.origin()).put("size", cp.size());
            });
    s.put("status", c.drills().isEmpty() ? "none" : "included");
    s.put(
        "summary",
        restore
            + " restore drill(s), "
            + chaos
            + " chaos drill(s), each a receipt of the platform log with its inclusion proof");
    return s;
  }

  private ObjectNode isolation(Optional<Path> report) {
    ObjectNode s = section(CompliancePackFormat.ISOLATION, "Isolation report");
    ArrayNode files = s.putArray("files");
    if (report.isEmpty()) {
      s.put("status", "absent");
      s.put(
          "reason",
          "no isolation report is kept by this server: run maestro report isolation -o"
              + " <dataDir>/evidence/reports/isolation.md");
      return s;
    }
    try {
      write(CompliancePackFormat.ISOLATION_REPORT, Files.readAllBytes(report.get()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files.add(CompliancePackFormat.ISOLATION_REPORT);
    s.put("status", "included");
    s.put("summary", "the latest report of maestro report isolation kept by the server");
    return s;
  }

  private static ObjectNode section(String id, String title) {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("id", id);
    s.put("title", title);
    return s;
  }

  private void write(String path, byte[] content) {
    staging.write(path, "", content);
  }
}
