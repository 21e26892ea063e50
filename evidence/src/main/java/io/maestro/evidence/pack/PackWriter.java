package io.maestro.evidence.pack;

import static io.maestro.evidence.storage.Staging.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.evidence.RunEvidence;
import io.maestro.evidence.storage.StagedFile;
import io.maestro.evidence.storage.Staging;
import io.maestro.evidence.withhold.Withholder;
import io.maestro.provenance.ReceiptJson;
import io.maestro.provenance.attest.Dsse;
import io.maestro.provenance.keys.Signer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Stages the files of one disclosure pack: the run and its steps (with withheld members replaced by
 * digests), the workflow manifest and its digest, the decisions, the receipts with their proofs and
 * the covering checkpoint, the log chunks, then {@code manifest.json} over all of them and its DSSE
 * signature. Everything written depends only on the run, the scope and the signing key — no time,
 * no export id — so the same scope packs to the same bytes.
 */
public final class PackWriter {
  private final Staging staging;
  private final Signer signer;

  public PackWriter(Staging staging, Signer signer) {
    this.staging = staging;
    this.signer = signer;
  }

  /** What the pack covers, as its manifest states it. */
  public record Scope(
      TenantId tenant,
      String runId,
      Optional<String> region,
      String runRegion,
      List<Withholder.Withheld> withheld) {}

  /**
   * Stages the run's artifacts when the scope's region includes the run, then the manifest and its
   * signature; returns every staged file in archive order.
   *
   * @param doc the run document, already withheld
   */
  public List<StagedFile> write(
      Scope scope,
      RunEvidence.RunFacts run,
      ObjectNode doc,
      RunReceipts receipts,
      RunEvidence source) {
    boolean included = scope.region().map(r -> r.equals(scope.runRegion())).orElse(true);
    ObjectNode counts = JsonNodeFactory.instance.objectNode();
    if (included) {
      String region = scope.runRegion();
      ArrayNode steps = (ArrayNode) doc.remove("steps");
      int stepCount = steps == null ? 0 : steps.size();
      for (int i = 0; i < stepCount; i++) {
        staging.write(PackFormat.step(i), region, json(steps.get(i)));
      }
      staging.write(PackFormat.RUN, region, json(doc));
      staging.write(
          PackFormat.WORKFLOW_MANIFEST,
          region,
          run.manifestSource().getBytes(StandardCharsets.UTF_8));
      ObjectNode digest = JsonNodeFactory.instance.objectNode();
      digest.put("workflow", run.workflow());
      digest.put("version", run.version());
      digest.put("digest", run.manifestDigest());
      staging.write(PackFormat.WORKFLOW_DIGEST, region, json(digest));
      TreeMap<String, Decision> decisions = new TreeMap<>();
      run.admission().ifPresent(d -> decisions.put(d.id(), d));
      boolean payloads = scope.withheld().isEmpty();
      for (RunReceipts.Proven p : receipts.receipts()) {
        p.receipt().decision().ifPresent(d -> decisions.putIfAbsent(d.id(), d));
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set("receipt", ReceiptJson.toJson(p.receipt(), payloads));
        o.set("inclusion_proof", p.proof().toJson());
        staging.write(PackFormat.receipt(p.receipt().seq()), region, json(o));
      }
      receipts
          .checkpoint()
          .ifPresent(
              c ->
                  staging.write(
                      PackFormat.CHECKPOINT, region, c.note().getBytes(StandardCharsets.UTF_8)));
      for (Decision d : decisions.values()) {
        staging.write(PackFormat.DECISIONS + safe(d.id()) + ".json", region, json(d.toJson()));
      }
      LogChunker logs = new LogChunker(staging, region);
      long lines = logs.copy(source, scope.tenant(), scope.runId());
      counts.put("steps", stepCount);
      counts.put("receipts", receipts.receipts().size());
      counts.put("decisions", decisions.size());
      counts.put("log_chunks", logs.chunks());
      counts.put("log_lines", lines);
    } else {
      counts.put("steps", 0).put("receipts", 0).put("decisions", 0);
      counts.put("log_chunks", 0).put("log_lines", 0);
    }
    List<StagedFile> content = staging.files();
    byte[] manifest = json(manifest(scope, included, counts, receipts, content));
    staging.write(PackFormat.MANIFEST, "", manifest);
    staging.write(
        PackFormat.SIGNATURE,
        "",
        json(Dsse.sign(PackFormat.PAYLOAD_TYPE, manifest, signer).toJson()));
    return staging.files();
  }

  private static ObjectNode manifest(
      Scope scope,
      boolean included,
      ObjectNode counts,
      RunReceipts receipts,
      List<StagedFile> content) {
    ObjectNode m = JsonNodeFactory.instance.objectNode();
    m.put("format", PackFormat.FORMAT);
    ObjectNode s = m.putObject("scope");
    s.put("tenant", scope.tenant().value());
    s.put("run", scope.runId());
    s.put("region", scope.region().orElse(null));
    s.putArray("run_regions").add(scope.runRegion());
    s.put("empty", !included);
    s.put("partial", false);
    s.set("counts", counts);
    if (included && receipts.checkpoint().isPresent()) {
      ObjectNode c = s.putObject("checkpoint");
      c.put("origin", receipts.checkpoint().get().origin());
      c.put("size", receipts.checkpoint().get().size());
    }
    ArrayNode w = s.putArray("withheld");
    for (Withholder.Withheld h : scope.withheld()) {
      ObjectNode o = w.addObject();
      o.put("path", h.path());
      ArrayNode matches = o.putArray("matches");
      if (included) {
        h.pointers().forEach(p -> matches.add(locate(p)));
      }
    }
    ArrayNode files = m.putArray("files");
    for (StagedFile f : content) {
      files
          .addObject()
          .put("path", f.path())
          .put("sha256", f.sha256())
          .put("size", f.size())
          .put("region", f.region());
    }
    return m;
  }

  /**
   * Where a withheld pointer of the run document lives in the pack: {@code /steps/3/outputs} is
   * member {@code outputs} of {@code steps/0003.json}, anything else is in {@code run.json}.
   */
  static ObjectNode locate(String pointer) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    String[] parts = pointer.split("/", -1);
    String file;
    String inner;
    if (parts.length >= 3 && parts[1].equals("steps") && parts[2].matches("\\d+")) {
      file = PackFormat.step(Integer.parseInt(parts[2]));
      inner = pointer.substring(("/steps/" + parts[2]).length());
    } else {
      file = PackFormat.RUN;
      inner = pointer;
    }
    o.put("file", file);
    o.put("pointer", inner);
    return o;
  }

  private static String safe(String id) {
    return id.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
