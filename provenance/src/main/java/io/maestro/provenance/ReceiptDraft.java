package io.maestro.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller knows about a receipt before it is appended: the log, type, actor, action, subject,
 * the policy decision (if one was taken) and the payload. The log assigns {@code id}, {@code seq},
 * {@code time} and {@code prev}.
 *
 * <p>The payload is kept beside the receipt and covered by {@code payload_digest}, so it can be
 * purged (retention) without breaking the chain; {@link #withExternalPayload} records only the
 * digest of content stored elsewhere.
 */
public record ReceiptDraft(
    LogId log,
    ReceiptType type,
    ActorRef actor,
    String action,
    Subject subject,
    Optional<Decision> decision,
    Optional<String> payload,
    Hash payloadDigest) {

  private static final String EMPTY_PAYLOAD = "{}";
  private static final Hash EMPTY_PAYLOAD_DIGEST =
      Hash.sha256(EMPTY_PAYLOAD.getBytes(StandardCharsets.UTF_8));

  public ReceiptDraft {
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(payloadDigest, "payloadDigest");
    if (action == null || action.isBlank() || action.length() > 200) {
      throw new IllegalArgumentException("a receipt needs an action of 1-200 characters");
    }
  }

  /** A draft with an empty payload ({@code {}}) and no decision. */
  public static ReceiptDraft of(
      LogId log, ReceiptType type, Actor actor, String action, Subject subject) {
    return new ReceiptDraft(
        log,
        type,
        ActorRef.of(actor),
        action,
        subject,
        Optional.empty(),
        Optional.of(EMPTY_PAYLOAD),
        EMPTY_PAYLOAD_DIGEST);
  }

  /** Records {@code decision} exactly as the decision point returned it. */
  public ReceiptDraft withDecision(Decision decision) {
    return new ReceiptDraft(
        log, type, actor, action, subject, Optional.of(decision), payload, payloadDigest);
  }

  /** Stores {@code payload} with the receipt; the receipt hashes its RFC 8785 form. */
  public ReceiptDraft withPayload(JsonNode payload) {
    String canonical = CanonicalJson.toCanonicalString(payload);
    return new ReceiptDraft(
        log,
        type,
        actor,
        action,
        subject,
        decision,
        Optional.of(canonical),
        Hash.sha256(canonical.getBytes(StandardCharsets.UTF_8)));
  }

  /** Records only the digest of a payload kept elsewhere (e.g. a large artifact). */
  public ReceiptDraft withExternalPayload(Hash digest) {
    return new ReceiptDraft(log, type, actor, action, subject, decision, Optional.empty(), digest);
  }

  /** Who acted, as a receipt records it: subject, roles and how they authenticated. */
  public record ActorRef(String sub, List<String> roles, String via) {
    public ActorRef {
      Objects.requireNonNull(sub, "sub");
      roles = List.copyOf(roles);
      Objects.requireNonNull(via, "via");
    }

    public static ActorRef of(Actor actor) {
      return new ActorRef(actor.subject(), actor.roles(), actor.via());
    }
  }

  /** What the action was about, e.g. {@code run / run_0192…}. */
  public record Subject(String kind, String id) {
    public Subject {
      if (kind == null || kind.isBlank() || id == null || id.isBlank()) {
        throw new IllegalArgumentException("a subject needs a kind and an id");
      }
    }

    public static Subject of(String kind, String id) {
      return new Subject(kind, id);
    }
  }
}
