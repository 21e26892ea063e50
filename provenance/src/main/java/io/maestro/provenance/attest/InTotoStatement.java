package io.maestro.provenance.attest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.json.CanonicalJson;
import io.maestro.provenance.Hash;
import io.maestro.provenance.internal.Json;
import io.maestro.provenance.keys.Signer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An in-toto Statement v1 (github.com/in-toto/attestation): what artifacts ({@code subject}, by
 * digest) a predicate speaks about. Signed as a DSSE envelope of type {@value #PAYLOAD_TYPE}; the
 * payload is the statement's RFC 8785 canonical JSON, so the same statement always signs the same
 * bytes.
 *
 * @param predicate the predicate as canonical JSON text
 */
public record InTotoStatement(List<Subject> subjects, String predicateType, String predicate) {
  public static final String TYPE = "https://in-toto.io/Statement/v1";
  public static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";

  public InTotoStatement {
    subjects = List.copyOf(subjects);
    if (subjects.isEmpty()) {
      throw new IllegalArgumentException("a statement names at least one subject");
    }
    Objects.requireNonNull(predicateType, "predicateType");
    Objects.requireNonNull(predicate, "predicate");
  }

  public static InTotoStatement of(
      List<Subject> subjects, String predicateType, JsonNode predicate) {
    return new InTotoStatement(subjects, predicateType, CanonicalJson.toCanonicalString(predicate));
  }

  /** An artifact and its digests ({@code sha256} → lower-case hex, and others if known). */
  public record Subject(String name, Map<String, String> digest) {
    public Subject {
      Objects.requireNonNull(name, "name");
      digest = Map.copyOf(digest);
      if (digest.isEmpty()) {
        throw new IllegalArgumentException("a subject has at least one digest");
      }
    }

    public static Subject sha256(String name, byte[] content) {
      return new Subject(name, Map.of("sha256", Hash.sha256(content).hex()));
    }
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("_type", TYPE);
    ArrayNode subj = o.putArray("subject");
    for (Subject s : subjects) {
      ObjectNode so = subj.addObject();
      so.put("name", s.name());
      ObjectNode d = so.putObject("digest");
      s.digest().forEach(d::put);
    }
    o.put("predicateType", predicateType);
    o.set("predicate", Json.parse(predicate));
    return o;
  }

  public static InTotoStatement fromJson(JsonNode o) {
    if (!TYPE.equals(o.path("_type").asText())) {
      throw new IllegalArgumentException(
          "not an in-toto Statement v1: _type is " + o.path("_type"));
    }
    List<Subject> subjects = new ArrayList<>();
    for (JsonNode s : o.path("subject")) {
      Map<String, String> digest = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = s.path("digest").properties().iterator();
          it.hasNext(); ) {
        var e = it.next();
        digest.put(e.getKey(), e.getValue().asText());
      }
      subjects.add(new Subject(s.path("name").asText(), digest));
    }
    JsonNode predicate = o.get("predicate");
    return new InTotoStatement(
        subjects,
        o.path("predicateType").asText(),
        CanonicalJson.toCanonicalString(predicate == null ? Json.object() : predicate));
  }

  /** Signs the statement as a DSSE envelope. */
  public Dsse.Envelope sign(Signer signer) {
    return Dsse.sign(PAYLOAD_TYPE, CanonicalJson.canonicalize(toJson()), signer);
  }

  /** Reads the statement from a DSSE envelope's payload (verify the envelope first). */
  public static InTotoStatement fromEnvelope(Dsse.Envelope env) {
    if (!PAYLOAD_TYPE.equals(env.payloadType())) {
      throw new IllegalArgumentException(
          "payload type is " + env.payloadType() + ", not " + PAYLOAD_TYPE);
    }
    return fromJson(
        CanonicalJson.parse(new String(env.payload(), java.nio.charset.StandardCharsets.UTF_8)));
  }

  /** Whether {@code content} (named {@code name} or not) matches a subject's sha256. */
  public boolean covers(byte[] content) {
    String hex = Hash.sha256(content).hex();
    return subjects.stream().anyMatch(s -> hex.equals(s.digest().get("sha256")));
  }
}
