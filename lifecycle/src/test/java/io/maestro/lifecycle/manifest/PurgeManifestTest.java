package io.maestro.lifecycle.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.json.CanonicalJson;
import io.maestro.core.json.Json;
import io.maestro.core.purge.PurgedItem;
import io.maestro.provenance.Hash;
import io.maestro.provenance.ReceiptLog;
import io.maestro.provenance.attest.Dsse;
import io.maestro.provenance.keys.Ed25519;
import io.maestro.provenance.keys.PublicKeyInfo;
import io.maestro.provenance.keys.Signer;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.merkle.MerkleHash;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;

class PurgeManifestTest {
  static final String D1 = "sha256:" + "11".repeat(32);
  static final String D2 = "sha256:" + "22".repeat(32);
  static final String D3 = "sha256:" + "33".repeat(32);

  static Signer signer(byte seedByte) {
    byte[] seed = new byte[32];
    seed[0] = seedByte;
    PublicKeyInfo info =
        PublicKeyInfo.of(
            "maestro.test",
            Ed25519.publicKey(seed),
            Instant.EPOCH,
            PublicKeyInfo.KeyStatus.ACTIVE,
            Optional.empty());
    Ed25519PrivateKeyParameters secret = new Ed25519PrivateKeyParameters(seed, 0);
    return new Signer() {
      @Override
      public PublicKeyInfo key() {
        return info;
      }

      @Override
      public byte[] sign(byte[] message) {
        return Ed25519.sign(secret, message);
      }
    };
  }

  static JsonNode signed(Signer s) {
    ObjectNode header = Json.MAPPER.createObjectNode().put("purge_id", "prg_1").put("tenant", "a");
    List<PurgedItem> items =
        List.of(
            new PurgedItem("steps", "r1/b", D3),
            new PurgedItem("runs", "r1", D1),
            new PurgedItem("steps", "r1/a", D2));
    ReceiptLog.TreeHead head = new ReceiptLog.TreeHead(4, Hash.parse(D1));
    ObjectNode m = PurgeManifest.build(header, items, Optional.empty(), head, head);
    return PurgeManifest.sign(m, s).toJson();
  }

  @Test
  void merkleRoot_isRfc9162OverTheDigests() {
    Hash l1 = MerkleHash.leaf(Hash.parse(D1).bytes());
    Hash l2 = MerkleHash.leaf(Hash.parse(D2).bytes());
    Hash l3 = MerkleHash.leaf(Hash.parse(D3).bytes());
    assertThat(MerkleRoot.of(List.of(D1, D2, D3)))
        .isEqualTo(MerkleHash.node(MerkleHash.node(l1, l2), l3));
    assertThat(MerkleRoot.of(List.of())).isEqualTo(MerkleHash.EMPTY_ROOT);
  }

  @Test
  void signedManifest_verifies_withCountsByClassInManifestOrder() {
    Signer s = signer((byte) 1);
    PurgeManifest.Verified v = PurgeManifest.verify(signed(s), TrustedKeys.of(List.of(s.key())));
    assertThat(v.counts()).containsEntry("runs", 1L).containsEntry("steps", 2L);
    assertThat(v.manifest().path("items").findValuesAsText("key"))
        .containsExactly("r1", "r1/a", "r1/b");
    assertThat(v.merkleRoot()).isEqualTo(MerkleRoot.of(List.of(D1, D2, D3)));
  }

  @Test
  void manifest_signedByAnUntrustedKey_isRefused() {
    JsonNode env = signed(signer((byte) 2));
    assertThatThrownBy(
            () -> PurgeManifest.verify(env, TrustedKeys.of(List.of(signer((byte) 1).key()))))
        .hasMessageContaining("no trusted key");
  }

  @Test
  void alteredCount_resignedByTheServerKey_isStillRefusedByTheCountCheck() {
    Signer s = signer((byte) 1);
    Dsse.Envelope env = Dsse.Envelope.fromJson(signed(s));
    ObjectNode m =
        (ObjectNode) CanonicalJson.parse(new String(env.payload(), StandardCharsets.UTF_8));
    ((ObjectNode) m.path("classes")).put("steps", 1);
    JsonNode forged = PurgeManifest.sign(m, s).toJson();
    assertThatThrownBy(() -> PurgeManifest.verify(forged, TrustedKeys.of(List.of(s.key()))))
        .hasMessageContaining("do not match the items");
  }

  @Test
  void alteredPayload_failsTheSignature() {
    Signer s = signer((byte) 1);
    ObjectNode env = (ObjectNode) signed(s);
    byte[] payload = Base64.getDecoder().decode(env.path("payload").asText());
    String text = new String(payload, StandardCharsets.UTF_8).replace("prg_1", "prg_2");
    env.put("payload", Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> PurgeManifest.verify(env, TrustedKeys.of(List.of(s.key()))))
        .hasMessageContaining("does not verify");
  }
}
