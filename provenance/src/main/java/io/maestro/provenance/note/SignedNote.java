package io.maestro.provenance.note;

import io.maestro.provenance.keys.Ed25519;
import io.maestro.provenance.keys.PublicKeyInfo;
import io.maestro.provenance.keys.Signer;
import io.maestro.provenance.keys.TrustedKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The C2SP signed-note format (c2sp.org/signed-note): a UTF-8 text ending in a newline, a blank
 * line, then one line per signature: em dash, space, key name, space, base64 of the 4-byte key hash
 * followed by the Ed25519 signature of the text.
 *
 * <p>Verification follows the spec: signatures by unknown keys are ignored, a failing signature by
 * a known key rejects the note, and at least one known key must have signed. Thread-safe.
 */
public final class SignedNote {
  private static final String DASH = "\u2014 ";
  private static final int MAX_SIGNATURES = 16;

  private SignedNote() {}

  /** A parsed but not yet verified note. */
  public record Parsed(String text, List<Signature> signatures) {
    public Parsed {
      signatures = List.copyOf(signatures);
    }
  }

  /** One signature line. */
  public record Signature(String keyName, int keyHash, byte[] signature) {
    public Signature {
      signature = signature.clone();
    }

    @Override
    public byte[] signature() {
      return signature.clone();
    }
  }

  /** Signs {@code text} (which must end with a newline) with every signer. */
  public static String sign(String text, List<Signer> signers) {
    validateText(text);
    byte[] msg = text.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(text).append('\n');
    for (Signer s : signers) {
      byte[] sig = s.sign(msg);
      ByteBuffer buf = ByteBuffer.allocate(4 + sig.length).putInt(s.key().keyHash()).put(sig);
      out.append(DASH)
          .append(s.key().name())
          .append(' ')
          .append(Base64.getEncoder().encodeToString(buf.array()))
          .append('\n');
    }
    return out.toString();
  }

  /** Splits a note into its text and signature lines. */
  public static Parsed parse(String note) {
    if (note.chars().anyMatch(c -> c < 0x20 && c != '\n')) {
      throw new NoteException("a note must not contain control characters other than newline");
    }
    if (!note.endsWith("\n")) {
      throw new NoteException("a note ends with a newline");
    }
    int split = note.lastIndexOf("\n\n");
    if (split < 0) {
      throw new NoteException("a note has a blank line between its text and its signatures");
    }
    String text = note.substring(0, split + 1);
    String sigBlock = note.substring(split + 2);
    List<Signature> sigs = new ArrayList<>();
    for (String line : sigBlock.split("\n")) {
      if (!line.startsWith(DASH)) {
        throw new NoteException("malformed signature line: " + line);
      }
      String rest = line.substring(DASH.length());
      int space = rest.indexOf(' ');
      if (space <= 0) {
        throw new NoteException("malformed signature line: " + line);
      }
      String name = rest.substring(0, space);
      byte[] raw;
      try {
        raw = Base64.getDecoder().decode(rest.substring(space + 1));
      } catch (IllegalArgumentException e) {
        throw new NoteException("signature is not base64: " + line);
      }
      if (raw.length < 5) {
        throw new NoteException("signature too short: " + line);
      }
      ByteBuffer buf = ByteBuffer.wrap(raw);
      int hash = buf.getInt();
      byte[] sig = new byte[raw.length - 4];
      buf.get(sig);
      sigs.add(new Signature(name, hash, sig));
      if (sigs.size() > MAX_SIGNATURES) {
        throw new NoteException("too many signatures");
      }
    }
    if (sigs.isEmpty()) {
      throw new NoteException("a note has at least one signature");
    }
    return new Parsed(text, sigs);
  }

  /**
   * Verifies a note against trusted keys and returns its text and the key that verified it.
   *
   * @throws NoteException when no trusted key signed it, or a trusted key's signature fails
   */
  public static Verified verify(String note, TrustedKeys keys) {
    Parsed p = parse(note);
    byte[] msg = p.text().getBytes(StandardCharsets.UTF_8);
    Optional<PublicKeyInfo> good = Optional.empty();
    for (Signature s : p.signatures()) {
      Optional<PublicKeyInfo> key = keys.byNameAndHash(s.keyName(), s.keyHash());
      if (key.isEmpty()) {
        continue; // Unknown keys are ignored, as the format requires.
      }
      if (!Ed25519.verify(key.get().publicKey(), msg, s.signature())) {
        throw new NoteException(
            "the signature by " + key.get().keyId() + " does not verify: the note was altered");
      }
      if (good.isEmpty()) {
        good = key;
      }
    }
    if (good.isEmpty()) {
      throw new NoteException("no trusted key signed this note");
    }
    return new Verified(p.text(), good.get());
  }

  /** A note whose signature verified. */
  public record Verified(String text, PublicKeyInfo key) {}

  private static void validateText(String text) {
    if (!text.endsWith("\n")) {
      throw new IllegalArgumentException("note text ends with a newline");
    }
    if (text.chars().anyMatch(c -> c < 0x20 && c != '\n')) {
      throw new IllegalArgumentException("note text has no control characters but newline");
    }
  }

  /** A note that is malformed or does not verify. */
  public static final class NoteException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public NoteException(String message) {
      super(message);
    }
  }
}
