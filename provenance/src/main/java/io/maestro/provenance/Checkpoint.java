package io.maestro.provenance;

import io.maestro.provenance.keys.Signer;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.note.SignedNote;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A signed tree head: the log's origin, its size, its RFC 9162 root and when it was signed, as a
 * C2SP checkpoint (c2sp.org/tlog-checkpoint) in a signed note:
 *
 * <pre>
 * maestro.local/tenant/acme
 * 1204
 * 3q2+7w...=
 * time 2026-11-22T16:05:20.123Z
 *
 * — maestro.local AbCd...
 * </pre>
 *
 * The {@code time} extension line lets a verifier see checkpoints go forward and notice an old one
 * presented as new.
 */
public record Checkpoint(
    String origin, long size, Hash root, Instant time, String keyId, String note) {

  public Checkpoint {
    Objects.requireNonNull(origin, "origin");
    if (size < 0) {
      throw new IllegalArgumentException("negative tree size");
    }
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(note, "note");
  }

  /** The checkpoint origin of a log: {@code <prefix>/tenant/<id>} or {@code <prefix>/platform}. */
  public static String origin(String prefix, LogId log) {
    return prefix + "/" + log.originSuffix();
  }

  /** The note text (before signatures). */
  public static String body(String origin, long size, Hash root, Instant time) {
    return origin
        + "\n"
        + size
        + "\n"
        + root.base64()
        + "\n"
        + "time "
        + ReceiptJson.formatTime(time)
        + "\n";
  }

  /** Signs a new checkpoint. */
  public static Checkpoint sign(String origin, long size, Hash root, Instant time, Signer signer) {
    String note = SignedNote.sign(body(origin, size, root, time), List.of(signer));
    return new Checkpoint(origin, size, root, time, signer.key().keyId(), note);
  }

  /**
   * Verifies a checkpoint note against trusted keys and reads it.
   *
   * @throws IllegalArgumentException with the reason when it is malformed or not validly signed
   */
  public static Checkpoint verify(String note, TrustedKeys keys) {
    SignedNote.Verified v = SignedNote.verify(note, keys);
    String[] lines = v.text().split("\n");
    if (lines.length < 4 || !lines[3].startsWith("time ")) {
      throw new IllegalArgumentException("a Maestro checkpoint has origin, size, root and time");
    }
    long size;
    try {
      size = Long.parseLong(lines[1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("checkpoint size is not a number: " + lines[1], e);
    }
    Hash root = Hash.fromBase64(lines[2]);
    Instant time = ReceiptJson.parseTime(lines[3].substring("time ".length()));
    return new Checkpoint(lines[0], size, root, time, v.key().keyId(), note);
  }
}
