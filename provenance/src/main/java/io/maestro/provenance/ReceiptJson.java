package io.maestro.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.json.CanonicalJson;
import io.maestro.provenance.ReceiptDraft.ActorRef;
import io.maestro.provenance.ReceiptDraft.Subject;
import io.maestro.provenance.internal.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON form of a receipt and its digest. The digest is the SHA-256 of the RFC 8785 canonical
 * form of the receipt object <em>without</em> its {@code payload} member; the payload is bound by
 * {@code payload_digest} instead, so purging it leaves the receipt verifiable.
 *
 * <p>Times are UTC with exactly three fractional digits ({@code 2026-11-22T16:05:20.123Z}), so the
 * text is the same wherever it is produced. Thread-safe and stateless.
 */
public final class ReceiptJson {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final Set<String> MEMBERS =
      Set.of(
          "id",
          "tenant",
          "seq",
          "type",
          "time",
          "actor",
          "action",
          "subject",
          "decision",
          "payload_digest",
          "payload",
          "prev");

  private ReceiptJson() {}

  /** Builds a receipt and computes its digest. {@code time} is truncated to milliseconds. */
  public static Receipt create(String id, long seq, Instant time, ReceiptDraft draft, Hash prev) {
    return build(id, seq, time, draft, prev).receipt();
  }

  /** A new receipt and the canonical body its digest was computed over (stored as is). */
  public record Built(Receipt receipt, String canonicalBody) {}

  public static Built build(String id, long seq, Instant time, ReceiptDraft draft, Hash prev) {
    Instant at = time.truncatedTo(ChronoUnit.MILLIS);
    Receipt unsigned =
        new Receipt(
            id,
            draft.log(),
            seq,
            draft.type(),
            at,
            draft.actor(),
            draft.action(),
            draft.subject(),
            draft.decision(),
            draft.payloadDigest(),
            draft.payload(),
            prev,
            Hash.ZERO);
    return digested(unsigned);
  }

  /** The receipt with its digest, computed over its canonical form without the payload. */
  private static Built digested(Receipt unsigned) {
    String body = CanonicalJson.toCanonicalString(toJson(unsigned, false));
    Hash digest = Hash.sha256(body.getBytes(StandardCharsets.UTF_8));
    return new Built(withDigest(unsigned, digest), body);
  }

  /**
   * The receipt {@code queued} at its place in the log: the same receipt with {@code seq} and
   * {@code prev} given, and the digest computed anew (the sequencer's step, ADR 0017).
   */
  public static Built sequence(Receipt queued, long seq, Hash prev) {
    Receipt placed =
        new Receipt(
            queued.id(),
            queued.log(),
            seq,
            queued.type(),
            queued.time(),
            queued.actor(),
            queued.action(),
            queued.subject(),
            queued.decision(),
            queued.payloadDigest(),
            queued.payload(),
            prev,
            Hash.ZERO);
    return digested(placed);
  }

  private static Receipt withDigest(Receipt r, Hash digest) {
    return new Receipt(
        r.id(),
        r.log(),
        r.seq(),
        r.type(),
        r.time(),
        r.actor(),
        r.action(),
        r.subject(),
        r.decision(),
        r.payloadDigest(),
        r.payload(),
        r.prev(),
        digest);
  }

  /** The canonical bytes the digest is computed over (the receipt without {@code payload}). */
  public static byte[] canonicalBody(Receipt r) {
    return CanonicalJson.canonicalize(toJson(r, false));
  }

  /** The receipt as JSON; with its payload (parsed) when {@code withPayload} and retained. */
  public static ObjectNode toJson(Receipt r, boolean withPayload) {
    ObjectNode o = Json.object();
    o.put("id", r.id());
    switch (r.log()) {
      case LogId.Tenant t -> o.put("tenant", t.id().value());
      case LogId.Platform p -> o.putNull("tenant");
    }
    o.put("seq", r.seq());
    o.put("type", r.type().name());
    o.put("time", formatTime(r.time()));
    ObjectNode actor = o.putObject("actor");
    actor.put("sub", r.actor().sub());
    ArrayNode roles = actor.putArray("roles");
    r.actor().roles().forEach(roles::add);
    actor.put("via", r.actor().via());
    o.put("action", r.action());
    ObjectNode subject = o.putObject("subject");
    subject.put("kind", r.subject().kind());
    subject.put("id", r.subject().id());
    r.decision().ifPresent(d -> o.set("decision", decisionJson(d)));
    o.put("payload_digest", r.payloadDigest().toString());
    if (withPayload && r.payload().isPresent()) {
      o.set("payload", Json.parse(r.payload().get()));
    }
    o.put("prev", r.prev().toString());
    return o;
  }

  /** The digest of a receipt given as JSON: SHA-256 of its canonical form without payload. */
  public static Hash digestOf(JsonNode receipt) {
    if (!receipt.isObject()) {
      throw new IllegalArgumentException("a receipt is a JSON object");
    }
    return Hash.sha256(CanonicalJson.canonicalizeWithout(receipt, "payload"));
  }

  /**
   * Reads a receipt from JSON, checking its shape and that its payload (when present) matches
   * {@code payload_digest}. The digest is computed from the JSON as given.
   *
   * @throws IllegalArgumentException with a precise reason when the JSON is not a valid receipt
   */
  public static Receipt parse(JsonNode json) {
    if (!json.isObject()) {
      throw new IllegalArgumentException("a receipt is a JSON object");
    }
    for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!MEMBERS.contains(name)) {
        throw new IllegalArgumentException("unexpected member '" + name + "'");
      }
    }
    String id = text(json, "id");
    JsonNode tenant = required(json, "tenant");
    LogId log;
    if (tenant.isNull()) {
      log = LogId.platform();
    } else if (tenant.isTextual() && TenantId.isValid(tenant.textValue())) {
      log = LogId.tenant(TenantId.of(tenant.textValue()));
    } else {
      throw new IllegalArgumentException("member 'tenant' is not a tenant id or null");
    }
    JsonNode seqNode = required(json, "seq");
    if (!seqNode.isIntegralNumber() || seqNode.asLong() < 1) {
      throw new IllegalArgumentException("member 'seq' is not a positive integer");
    }
    ReceiptType type;
    try {
      type = ReceiptType.of(text(json, "type"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("member 'type': " + e.getMessage(), e);
    }
    Instant time = parseTime(text(json, "time"));
    JsonNode actorNode = object(json, "actor");
    ActorRef actor =
        new ActorRef(text(actorNode, "sub"), strings(actorNode, "roles"), text(actorNode, "via"));
    String action = text(json, "action");
    JsonNode subjectNode = object(json, "subject");
    Subject subject = new Subject(text(subjectNode, "kind"), text(subjectNode, "id"));
    Optional<Decision> decision = Optional.empty();
    if (json.has("decision") && !json.get("decision").isNull()) {
      decision = Optional.of(decision(object(json, "decision"), time));
    }
    Hash payloadDigest = digest(json, "payload_digest");
    Optional<String> payload = Optional.empty();
    if (json.has("payload")) {
      String canonical = CanonicalJson.toCanonicalString(json.get("payload"));
      if (!Hash.sha256(canonical.getBytes(StandardCharsets.UTF_8)).equals(payloadDigest)) {
        throw new IllegalArgumentException("payload does not match payload_digest");
      }
      payload = Optional.of(canonical);
    }
    Hash prev = digest(json, "prev");
    return new Receipt(
        id,
        log,
        seqNode.asLong(),
        type,
        time,
        actor,
        action,
        subject,
        decision,
        payloadDigest,
        payload,
        prev,
        digestOf(json));
  }

  /**
   * The decision as a receipt records it: everything the decision point returned ({@code id},
   * {@code allow}, {@code reasons} with code and message, {@code obligations}, {@code
   * bundle_revision}, {@code input_digest}, {@code path}, {@code time}).
   *
   * <p>Receipts written before receipts carried the whole decision hold only {@code id}, {@code
   * allow}, the reason codes and {@code bundle_revision}. Such a decision is read with an empty
   * input digest and written back in its original form, so its digest still verifies; a decision
   * point never returns an empty input digest, which is what tells the two forms apart.
   */
  static ObjectNode decisionJson(Decision d) {
    if (!d.inputDigest().isEmpty()) {
      return d.toJson();
    }
    ObjectNode dn = Json.object();
    dn.put("id", d.id());
    dn.put("allow", d.allow());
    ArrayNode reasons = dn.putArray("reasons");
    d.reasons().forEach(r -> reasons.add(r.code()));
    if (d.bundleRevision().isEmpty()) {
      dn.putNull("bundle_revision");
    } else {
      dn.put("bundle_revision", d.bundleRevision());
    }
    return dn;
  }

  private static Decision decision(JsonNode d, Instant receiptTime) {
    if (d.has("input_digest")) {
      Decision decision = Decision.fromJson(d);
      if (decision.inputDigest().isEmpty()) {
        throw new IllegalArgumentException("member 'decision.input_digest' is empty");
      }
      return decision;
    }
    // The form of receipts written before the whole decision was recorded.
    JsonNode allow = required(d, "allow");
    if (!allow.isBoolean()) {
      throw new IllegalArgumentException("member 'decision.allow' is not a boolean");
    }
    JsonNode rev = d.get("bundle_revision");
    List<Decision.Reason> codes =
        strings(d, "reasons").stream().map(c -> new Decision.Reason(c, "")).toList();
    return new Decision(
        text(d, "id"),
        allow.booleanValue(),
        codes,
        List.of(),
        rev == null || rev.isNull() ? "" : rev.asText(),
        "",
        "",
        receiptTime);
  }

  public static String formatTime(Instant t) {
    return TIME.format(t);
  }

  public static Instant parseTime(String s) {
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not an RFC 3339 UTC time: " + s, e);
    }
  }

  private static JsonNode required(JsonNode o, String name) {
    JsonNode v = o.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing member '" + name + "'");
    }
    return v;
  }

  private static String text(JsonNode o, String name) {
    JsonNode v = required(o, name);
    if (!v.isTextual()) {
      throw new IllegalArgumentException("member '" + name + "' is not a string");
    }
    return v.textValue();
  }

  private static JsonNode object(JsonNode o, String name) {
    JsonNode v = required(o, name);
    if (!v.isObject()) {
      throw new IllegalArgumentException("member '" + name + "' is not an object");
    }
    return v;
  }

  private static List<String> strings(JsonNode o, String name) {
    JsonNode v = required(o, name);
    if (!v.isArray()) {
      throw new IllegalArgumentException("member '" + name + "' is not an array");
    }
    List<String> out = new ArrayList<>(v.size());
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw new IllegalArgumentException("member '" + name + "' holds a non-string");
      }
      out.add(e.textValue());
    }
    return out;
  }

  private static Hash digest(JsonNode o, String name) {
    try {
      return Hash.parse(text(o, name));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("member '" + name + "': " + e.getMessage(), e);
    }
  }
}
