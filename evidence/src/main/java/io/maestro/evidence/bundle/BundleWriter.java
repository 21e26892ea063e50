package io.maestro.evidence.bundle;

import static io.maestro.evidence.storage.Staging.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.json.Json;
import io.maestro.evidence.pack.RunReceipts;
import io.maestro.evidence.storage.StagedFile;
import io.maestro.evidence.storage.Staging;
import io.maestro.provenance.Checkpoint;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptJson;
import io.maestro.provenance.keys.Signer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Stages the files of one compliance bundle — the access log, the admin changes with their diffs,
 * the policy bundle revisions and profiles seen, the receipts with inclusion proofs and the
 * checkpoints that cover them, the decisions bound to receipts, the drill receipts and the index —
 * then signs an in-toto Statement naming every file by SHA-256. Nothing written depends on when the
 * bundle is made, so the same window over the same records gives the same bytes.
 */
public final class BundleWriter {
  /** Receipt types that record an administrative change even when their payload has no diff. */
  static final Set<String> ADMIN_TYPES =
      Set.of(
          "config.changed",
          "profile.assigned",
          "member.changed",
          "quota.changed",
          "brand.pack_saved",
          "brand.assigned",
          "package.published",
          "package.publisher_trusted",
          "package.publisher_removed",
          "workflow.published",
          "workflow.registered",
          "schedule.created",
          "schedule.deleted",
          "schedule.paused",
          "schedule.resumed",
          "trigger.created",
          "trigger.deleted",
          "webhook.registered",
          "webhook.deleted",
          "webhook.secret_rotated",
          "ramp.changed",
          "kill_switch.pulled",
          "kill_switch.released",
          "freeze.added",
          "freeze.removed",
          "break_glass.opened",
          "break_glass.approved",
          "break_glass.closed",
          "retention.rule_set",
          "retention.rule_removed",
          "retention.hold_placed",
          "retention.hold_released",
          "purge.requested",
          "purge.approved",
          "purge.cancelled",
          "key.rotated");

  private final Staging staging;
  private final Signer signer;

  public BundleWriter(Staging staging, Signer signer) {
    this.staging = staging;
    this.signer = signer;
  }

  /** What the bundle is made of. */
  public record Contents(
      TenantId tenant,
      BundleWindow window,
      List<RunReceipts.Proven> receipts,
      Optional<Checkpoint> tenantCheckpoint,
      List<RunReceipts.Proven> drills,
      Optional<Checkpoint> platformCheckpoint,
      AccessLog access) {}

  /** Stages every file and the signed statement; returns the files in archive order. */
  public List<StagedFile> write(Contents c) {
    BundleIndex index = new BundleIndex();
    Map<String, List<Receipt>> byDecision = new HashMap<>();
    TreeMap<String, Decision> decisions = new TreeMap<>();
    Revisions revisions = new Revisions();
    List<ObjectNode> admin = new ArrayList<>();
    ArrayNode assignments = JsonNodeFactory.instance.arrayNode();
    for (RunReceipts.Proven p : c.receipts()) {
      Receipt r = p.receipt();
      String file = BundleFormat.receipt(r.seq());
      writeReceipt(file, p, BundleFormat.TENANT_CHECKPOINT);
      r.decision()
          .ifPresent(
              d -> {
                decisions.putIfAbsent(d.id(), d);
                byDecision.computeIfAbsent(d.id(), k -> new ArrayList<>()).add(r);
              });
      JsonNode payload = r.payload().map(BundleWriter::parse).orElse(null);
      ObjectNode entry = receiptEntry(r, file, payload);
      index.add(entry, subjects(r));
      if (ADMIN_TYPES.contains(r.type().name()) || (payload != null && payload.has("changes"))) {
        admin.add(entry);
      }
      if (r.type().name().equals("profile.assigned")) {
        assignments.add(entry);
      }
    }
    c.tenantCheckpoint()
        .ifPresent(cp -> write(BundleFormat.TENANT_CHECKPOINT, cp.note().getBytes(UTF8)));
    for (RunReceipts.Proven p : c.drills()) {
      String file = BundleFormat.drill(p.receipt().seq());
      writeReceipt(file, p, BundleFormat.PLATFORM_CHECKPOINT);
      index.add(
          receiptEntry(
              p.receipt(), file, p.receipt().payload().map(BundleWriter::parse).orElse(null)),
          List.of("drill:" + p.receipt().subject().id()));
    }
    c.platformCheckpoint()
        .ifPresent(cp -> write(BundleFormat.PLATFORM_CHECKPOINT, cp.note().getBytes(UTF8)));
    for (Decision d : decisions.values()) {
      write(BundleFormat.decision(d.id()), json(d.toJson()));
    }
    int access = writeAccessLog(c, byDecision, index, revisions);
    if (access == 0) {
      // No decision log (policy.decisionLog=off): the revisions come from the receipts' decisions.
      decisions.values().forEach(d -> revisions.seen(d.bundleRevision(), "", d.time().toString()));
    }
    writeLines(BundleFormat.ADMIN_CHANGES, admin);
    write(BundleFormat.POLICY_BUNDLES, json(revisions.bundlesJson()));
    ObjectNode profiles = JsonNodeFactory.instance.objectNode();
    profiles.set("assignments", assignments);
    profiles.set("seen", revisions.profilesJson());
    write(BundleFormat.PROFILES, json(profiles));
    write(BundleFormat.INDEX, json(index.toJson()));
    ObjectNode scope = scope(c, access, decisions.size(), admin.size());
    write(BundleFormat.SCOPE, json(scope));
    ObjectNode predicate = JsonNodeFactory.instance.objectNode();
    predicate.put("format", BundleFormat.FORMAT);
    predicate.put("tenant", c.tenant().value());
    predicate.put("from", c.window().from().toString());
    predicate.put("to", c.window().to().toString());
    staging.writeStatement(BundleFormat.STATEMENT, BundleFormat.PREDICATE_TYPE, predicate, signer);
    return staging.files();
  }

  private ObjectNode scope(Contents c, int access, int decisions, int admin) {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("format", BundleFormat.FORMAT);
    s.put("tenant", c.tenant().value());
    s.put("from", c.window().from().toString());
    s.put("to", c.window().to().toString());
    ObjectNode counts = s.putObject("counts");
    counts.put("receipts", c.receipts().size());
    counts.put("drills", c.drills().size());
    counts.put("decisions", decisions);
    counts.put("access_log", access);
    counts.put("admin_changes", admin);
    ObjectNode cps = s.putObject("checkpoints");
    c.tenantCheckpoint().ifPresent(cp -> checkpoint(cps.putObject("tenant"), cp));
    c.platformCheckpoint().ifPresent(cp -> checkpoint(cps.putObject("platform"), cp));
    return s;
  }

  private static void checkpoint(ObjectNode o, Checkpoint cp) {
    o.put("origin", cp.origin());
    o.put("size", cp.size());
  }

  private int writeAccessLog(
      Contents c, Map<String, List<Receipt>> byDecision, BundleIndex index, Revisions revisions) {
    int[] line = {0};
    try (OutputStream out = staging.create(BundleFormat.ACCESS_LOG, "")) {
      c.access()
          .decisions(
              c.tenant(),
              c.window(),
              event -> {
                line[0]++;
                ObjectNode a =
                    AccessEntry.of(
                        event,
                        byDecision.getOrDefault(event.path("decision_id").asText(), List.of()));
                revisions.seen(a);
                try {
                  out.write(Json.MAPPER.writeValueAsBytes(a));
                  out.write('\n');
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
                ObjectNode entry = AccessEntry.indexEntry(a, line[0]);
                index.add(entry, AccessEntry.subjects(a));
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return line[0];
  }

  private static ObjectNode receiptEntry(Receipt r, String file, JsonNode payload) {
    ObjectNode e = JsonNodeFactory.instance.objectNode();
    e.put("time", ReceiptJson.formatTime(r.time()));
    e.put("actor", r.actor().sub());
    e.put("action", r.action());
    e.put("kind", "receipt");
    e.put("type", r.type().name());
    e.put("subject", r.subject().kind() + ":" + r.subject().id());
    e.put("receipt", r.seq());
    e.put("file", file);
    r.decision()
        .ifPresent(
            d -> {
              e.put("decision", d.id());
              e.put("allow", d.allow());
              ArrayNode reasons = e.putArray("reasons");
              d.reasons()
                  .forEach(
                      x -> reasons.addObject().put("code", x.code()).put("message", x.message()));
              e.put("bundle_revision", d.bundleRevision());
              e.put("decision_file", BundleFormat.decision(d.id()));
            });
    if (payload != null && payload.has("changes")) {
      e.set("changes", payload.get("changes"));
    }
    return e;
  }

  private static List<String> subjects(Receipt r) {
    List<String> s = new ArrayList<>();
    s.add(r.subject().kind() + ":" + r.subject().id());
    if (r.subject().kind().equals("step") && r.subject().id().contains("/")) {
      s.add("run:" + r.subject().id().substring(0, r.subject().id().indexOf('/')));
    }
    return s;
  }

  private void writeReceipt(String file, RunReceipts.Proven p, String checkpoint) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.set("receipt", ReceiptJson.toJson(p.receipt(), true));
    o.set("inclusion_proof", p.proof().toJson());
    o.put("checkpoint", checkpoint);
    write(file, json(o));
  }

  private void writeLines(String path, List<ObjectNode> lines) {
    try (OutputStream out = staging.create(path, "")) {
      for (ObjectNode l : lines) {
        out.write(Json.MAPPER.writeValueAsBytes(l));
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(String path, byte[] content) {
    staging.write(path, "", content);
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  private static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
