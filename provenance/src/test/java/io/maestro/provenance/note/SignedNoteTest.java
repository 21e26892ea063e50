package io.maestro.provenance.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.provenance.attest.DsseTest;
import io.maestro.provenance.keys.PublicKeyInfo;
import io.maestro.provenance.keys.Signer;
import io.maestro.provenance.keys.TrustedKeys;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignedNoteTest {
  final Signer alice = DsseTest.signerFor("example.com/alice", new byte[32]);

  @Test
  void keyHash_followsTheC2spDefinition() {
    // SHA-256("example.com/alice" || 0x0A || 0x01 || public key)[:4], computed independently.
    var md = io.maestro.provenance.Hash.newDigest();
    md.update("example.com/alice\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    md.update((byte) 1);
    md.update(alice.key().publicKey());
    byte[] h = md.digest();
    assertThat(HexFormat.of().toHexDigits(alice.key().keyHash()))
        .isEqualTo(HexFormat.of().formatHex(h, 0, 4));
    assertThat(alice.key().keyId())
        .isEqualTo("example.com/alice+" + HexFormat.of().formatHex(h, 0, 4));
  }

  @Test
  void sign_thenVerify_returnsTheText() {
    String note = SignedNote.sign("hello\n\nworld\n", List.of(alice));
    assertThat(note).startsWith("hello\n\nworld\n\n\u2014 example.com/alice ");
    SignedNote.Verified v = SignedNote.verify(note, TrustedKeys.of(List.of(alice.key())));
    assertThat(v.text()).isEqualTo("hello\n\nworld\n");
  }

  @Test
  void verify_ignoresUnknownKeysButRejectsABadSignatureByAKnownOne() {
    byte[] seed = new byte[32];
    seed[31] = 9;
    Signer bob = DsseTest.signerFor("example.com/bob", seed);
    String note = SignedNote.sign("text\n", List.of(bob, alice));
    assertThat(SignedNote.verify(note, TrustedKeys.of(List.of(alice.key()))).key().name())
        .isEqualTo("example.com/alice");
    String altered = note.replaceFirst("text", "tExt");
    assertThatThrownBy(() -> SignedNote.verify(altered, TrustedKeys.of(List.of(alice.key()))))
        .hasMessageContaining("does not verify");
    assertThatThrownBy(() -> SignedNote.verify(note, TrustedKeys.of(List.<PublicKeyInfo>of())))
        .hasMessageContaining("no trusted key");
  }

  @Test
  void parse_rejectsControlCharactersAndMissingSignatures() {
    assertThatThrownBy(() -> SignedNote.parse("a\tb\n\n\u2014 k AAAAAAA=\n"))
        .isInstanceOf(SignedNote.NoteException.class);
    assertThatThrownBy(() -> SignedNote.parse("just text\n"))
        .isInstanceOf(SignedNote.NoteException.class);
  }
}
