package io.maestro.provenance.attest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.provenance.internal.Json;
import io.maestro.provenance.keys.Ed25519;
import io.maestro.provenance.keys.PublicKeyInfo;
import io.maestro.provenance.keys.Signer;
import io.maestro.provenance.keys.TrustedKeys;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Dead Simple Signing Envelopes (DSSE v1, github.com/secure-systems-lab/dsse): a payload, its type,
 * and signatures over the pre-authentication encoding {@code PAE(type, payload)}, so a signature
 * can never be replayed for a payload of another type. Maestro signs with Ed25519 keys from its key
 * ring; {@code keyid} is the key ring's key id. Stateless and thread-safe.
 */
public final class Dsse {
  private Dsse() {}

  /** One envelope. */
  public record Envelope(String payloadType, byte[] payload, List<Signature> signatures) {
    public Envelope {
      Objects.requireNonNull(payloadType, "payloadType");
      payload = payload.clone();
      signatures = List.copyOf(signatures);
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }

    public ObjectNode toJson() {
      ObjectNode o = Json.object();
      o.put("payloadType", payloadType);
      o.put("payload", Base64.getEncoder().encodeToString(payload));
      ArrayNode sigs = o.putArray("signatures");
      for (Signature s : signatures) {
        sigs.addObject()
            .put("keyid", s.keyId())
            .put("sig", Base64.getEncoder().encodeToString(s.sig()));
      }
      return o;
    }

    public static Envelope fromJson(JsonNode o) {
      if (!o.path("payloadType").isTextual() || !o.path("payload").isTextual()) {
        throw new IllegalArgumentException("a DSSE envelope has payloadType and payload strings");
      }
      List<Signature> sigs = new ArrayList<>();
      for (JsonNode s : o.path("signatures")) {
        sigs.add(
            new Signature(
                s.path("keyid").asText(""), Base64.getDecoder().decode(s.path("sig").asText())));
      }
      return new Envelope(
          o.get("payloadType").asText(), decodeEitherBase64(o.get("payload").asText()), sigs);
    }
  }

  /** One signature; {@code keyId} may be empty, as DSSE allows. */
  public record Signature(String keyId, byte[] sig) {
    public Signature {
      Objects.requireNonNull(keyId, "keyId");
      sig = sig.clone();
    }

    @Override
    public byte[] sig() {
      return sig.clone();
    }
  }

  /** {@code "DSSEv1" SP len(type) SP type SP len(body) SP body}, lengths in ASCII decimal. */
  public static byte[] pae(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + type.length + 32);
    out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(type);
    out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(payload);
    return out.toByteArray();
  }

  public static Envelope sign(String payloadType, byte[] payload, Signer signer) {
    byte[] sig = signer.sign(pae(payloadType, payload));
    return new Envelope(payloadType, payload, List.of(new Signature(signer.key().keyId(), sig)));
  }

  /**
   * The trusted key that signed the envelope. Signatures by unknown keys are ignored; a signature
   * that names a trusted key but does not verify fails the envelope.
   *
   * @throws IllegalArgumentException when no trusted key signed it or a trusted signature fails
   */
  public static PublicKeyInfo verify(Envelope env, TrustedKeys keys) {
    byte[] pae = pae(env.payloadType(), env.payload());
    Optional<PublicKeyInfo> good = Optional.empty();
    for (Signature s : env.signatures()) {
      List<PublicKeyInfo> candidates =
          s.keyId().isEmpty()
              ? keys.keys()
              : keys.byKeyId(s.keyId()).map(List::of).orElse(List.of());
      boolean ok = false;
      for (PublicKeyInfo k : candidates) {
        if (Ed25519.verify(k.publicKey(), pae, s.sig())) {
          ok = true;
          good = good.or(() -> Optional.of(k));
          break;
        }
      }
      if (!ok && !s.keyId().isEmpty() && !candidates.isEmpty()) {
        throw new IllegalArgumentException(
            "the signature by " + s.keyId() + " does not verify: the envelope was altered");
      }
    }
    return good.orElseThrow(
        () -> new IllegalArgumentException("no trusted key signed this envelope"));
  }

  /** DSSE producers use standard or URL-safe base64; accept both. */
  static byte[] decodeEitherBase64(String s) {
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return Base64.getUrlDecoder().decode(s);
    }
  }

  static boolean sameBytes(byte[] a, byte[] b) {
    return Arrays.equals(a, b);
  }
}
