package io.maestro.provenance.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.provenance.internal.Json;
import io.maestro.provenance.keys.Ed25519;
import io.maestro.provenance.keys.PublicKeyInfo;
import io.maestro.provenance.keys.Signer;
import io.maestro.provenance.keys.TrustedKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

public class DsseTest {
  static final byte[] SEED = new byte[32];

  public static Signer signerFor(String name, byte[] seed) {
    PublicKeyInfo info =
        PublicKeyInfo.of(
            name,
            Ed25519.publicKey(seed),
            Instant.EPOCH,
            PublicKeyInfo.KeyStatus.ACTIVE,
            Optional.empty());
    return Signer.of(new io.maestro.provenance.keys.KeyStore.StoredKey(info, seed));
  }

  @Test
  void pae_matchesTheDsseSpecificationLayout() {
    byte[] pae =
        Dsse.pae("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8));
    assertThat(new String(pae, StandardCharsets.UTF_8))
        .isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  }

  @Test
  void signedStatement_verifiesAndCoversItsSubject() {
    Signer s = signerFor("maestro.test", SEED);
    byte[] bundle = "bundle bytes".getBytes(StandardCharsets.UTF_8);
    InTotoStatement st =
        InTotoStatement.of(
            List.of(InTotoStatement.Subject.sha256("bundle.tar.gz", bundle)),
            "https://maestro.dev/attestations/bundle/v1",
            Json.object().put("revision", "r7"));
    Dsse.Envelope env = st.sign(s);
    Dsse.Envelope read = Dsse.Envelope.fromJson(Json.parse(Json.write(env.toJson())));

    assertThat(Dsse.verify(read, TrustedKeys.of(List.of(s.key()))).keyId())
        .isEqualTo(s.key().keyId());
    InTotoStatement back = InTotoStatement.fromEnvelope(read);
    assertThat(back).isEqualTo(st);
    assertThat(back.covers(bundle)).isTrue();
    assertThat(back.covers("other".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(
            Json.parse(new String(read.payload(), StandardCharsets.UTF_8)).path("_type").asText())
        .isEqualTo("https://in-toto.io/Statement/v1");
  }

  @Test
  void verify_rejectsAlteredPayloadAndUnknownKeys() {
    Signer s = signerFor("maestro.test", SEED);
    Dsse.Envelope env =
        Dsse.sign("application/json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), s);
    var json = env.toJson();
    json.put(
        "payload",
        Base64.getEncoder().encodeToString("{\"a\":2}".getBytes(StandardCharsets.UTF_8)));
    Dsse.Envelope altered = Dsse.Envelope.fromJson(json);
    assertThatThrownBy(() -> Dsse.verify(altered, TrustedKeys.of(List.of(s.key()))))
        .hasMessageContaining("does not verify");

    byte[] otherSeed = new byte[32];
    otherSeed[0] = 1;
    Signer other = signerFor("maestro.test", otherSeed);
    assertThatThrownBy(() -> Dsse.verify(env, TrustedKeys.of(List.of(other.key()))))
        .hasMessageContaining("no trusted key");
  }

  @Test
  void verify_bindsThePayloadType() {
    Signer s = signerFor("maestro.test", SEED);
    Dsse.Envelope env = Dsse.sign("application/json", "{}".getBytes(StandardCharsets.UTF_8), s);
    Dsse.Envelope retyped = new Dsse.Envelope("text/plain", env.payload(), env.signatures());
    assertThatThrownBy(() -> Dsse.verify(retyped, TrustedKeys.of(List.of(s.key()))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
