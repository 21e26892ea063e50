package io.maestro.provenance.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.json.CanonicalJson;
import io.maestro.provenance.Checkpoint;
import io.maestro.provenance.ConsistencyProof;
import io.maestro.provenance.ExportWriter;
import io.maestro.provenance.Hash;
import io.maestro.provenance.LogId;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptJson;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.merkle.CompactRange;
import io.maestro.provenance.verify.VerificationFailure.Check;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies a log export ({@link ExportWriter}) offline, streaming, in memory that does not grow
 * with the number of receipts. It checks, and names the first thing that fails:
 *
 * <ul>
 *   <li>every checkpoint's signature by a trusted key, its origin, and that sizes and times only go
 *       forward;
 *   <li>the consistency proof between each pair of consecutive checkpoints;
 *   <li>every receipt's shape and payload digest, gapless {@code seq}, and the hash chain ({@code
 *       prev} = digest of the previous receipt);
 *   <li>the Merkle root recomputed from the receipts (with the export's prefix and suffix) against
 *       every checkpoint inside the range and the final one — which proves the inclusion of every
 *       receipt at once;
 *   <li>optionally, that the export is not older than a checkpoint the caller has already seen (an
 *       old checkpoint replayed to hide newer receipts).
 * </ul>
 *
 * Stateless and thread-safe.
 */
public final class ExportVerifier {
  private ExportVerifier() {}

  /** What an export proved. */
  public record Report(
      String origin,
      LogId log,
      long from,
      long to,
      long treeSize,
      long receipts,
      int checkpoints,
      Checkpoint latest,
      long payloadsErased) {
    // payloadsErased counts receipts exported without their payload: tombstones left by a purge
    // (and payloads recorded only by digest); their payload_digest still binds them.
  }

  public static Report verify(Reader input, TrustedKeys keys, Optional<Checkpoint> trusted)
      throws VerificationFailure, IOException {
    BufferedReader in = input instanceof BufferedReader b ? b : new BufferedReader(input, 1 << 16);
    Lines lines = new Lines(in);

    JsonNode header = lines.next("the header");
    expectKind(header, "header", lines);
    if (!ExportWriter.FORMAT.equals(header.path("format").asText())) {
      throw lines.fail(Check.FORMAT, "unknown export format " + header.path("format"));
    }
    String origin = header.path("origin").asText();
    LogId log = parseLog(header.get("tenant"), lines);
    long from = header.path("from").asLong();
    long to = header.path("to").asLong();
    long treeSize = header.path("tree_size").asLong();
    if (from < 1 || to < from || treeSize < to) {
      throw lines.fail(
          Check.FORMAT,
          "header range from=" + from + " to=" + to + " tree_size=" + treeSize + " is impossible");
    }
    if (!origin.endsWith("/" + log.originSuffix())) {
      throw lines.fail(Check.FORMAT, "origin " + origin + " is not the log of " + log);
    }

    // Checkpoints and the consistency proofs between them.
    List<Checkpoint> checkpoints = new ArrayList<>();
    Map<Long, Hash> rootsToCheck = new HashMap<>();
    JsonNode line = lines.next("a checkpoint");
    ConsistencyProof pendingProof = null;
    while (line.path("kind").asText().equals("checkpoint")
        || line.path("kind").asText().equals("consistency")) {
      if (line.path("kind").asText().equals("consistency")) {
        try {
          pendingProof = ConsistencyProof.fromJson(line);
        } catch (IllegalArgumentException e) {
          throw lines.fail(Check.FORMAT, e.getMessage());
        }
      } else {
        Checkpoint c;
        try {
          c = Checkpoint.verify(line.path("note").asText(), keys);
        } catch (IllegalArgumentException e) {
          throw lines.fail(Check.CHECKPOINT_SIGNATURE, e.getMessage());
        }
        if (!c.origin().equals(origin)) {
          throw lines.fail(
              Check.CHECKPOINT_SIGNATURE, "checkpoint is for " + c.origin() + ", not " + origin);
        }
        if (!checkpoints.isEmpty()) {
          Checkpoint prev = checkpoints.get(checkpoints.size() - 1);
          if (c.size() <= prev.size() || c.time().isBefore(prev.time())) {
            throw lines.fail(
                Check.CHECKPOINT_ORDER,
                "checkpoint of size "
                    + c.size()
                    + " at "
                    + c.time()
                    + " follows size "
                    + prev.size()
                    + " at "
                    + prev.time()
                    + ": checkpoints must only move forward");
          }
          if (pendingProof == null
              || pendingProof.from() != prev.size()
              || pendingProof.to() != c.size()) {
            throw lines.fail(
                Check.CONSISTENCY,
                "no consistency proof from size " + prev.size() + " to " + c.size());
          }
          if (!pendingProof.verify(prev.root(), c.root())) {
            throw lines.fail(
                Check.CONSISTENCY,
                "checkpoint "
                    + c.size()
                    + " is not an extension of checkpoint "
                    + prev.size()
                    + ": the log was rewritten between them");
          }
        }
        pendingProof = null;
        checkpoints.add(c);
        if (c.size() >= from - 1 && c.size() <= to) {
          rootsToCheck.put(c.size(), c.root());
        }
      }
      line = lines.next("the prefix");
    }
    if (checkpoints.isEmpty()) {
      throw lines.fail(Check.FORMAT, "the export has no checkpoint");
    }
    Checkpoint anchor = checkpoints.get(checkpoints.size() - 1);
    if (anchor.size() != treeSize) {
      throw lines.fail(
          Check.FORMAT,
          "the last checkpoint has size " + anchor.size() + ", the header says " + treeSize);
    }
    if (trusted.isPresent()) {
      Checkpoint t = trusted.get();
      if (!t.origin().equals(origin)) {
        throw new VerificationFailure(
            Check.ROLLBACK,
            "the trusted checkpoint",
            "it is for " + t.origin() + ", not " + origin);
      }
      if (t.size() > treeSize || t.time().isAfter(anchor.time())) {
        throw new VerificationFailure(
            Check.ROLLBACK,
            "the export",
            "it ends at checkpoint size "
                + treeSize
                + " ("
                + anchor.time()
                + ") but checkpoint size "
                + t.size()
                + " ("
                + t.time()
                + ") was already seen: an old view is being replayed");
      }
      Optional<Checkpoint> same =
          checkpoints.stream().filter(c -> c.size() == t.size()).findFirst();
      if (same.isPresent()) {
        if (!same.get().root().equals(t.root())) {
          throw new VerificationFailure(
              Check.CONSISTENCY,
              "checkpoint size " + t.size(),
              "the export's root differs from the trusted one: a fork");
        }
      } else if (t.size() >= from - 1 && t.size() <= to) {
        rootsToCheck.put(t.size(), t.root());
      } else {
        throw new VerificationFailure(
            Check.CONSISTENCY,
            "the trusted checkpoint",
            "the export (receipts "
                + from
                + ".."
                + to
                + ") cannot be related to trusted size "
                + t.size());
      }
    }

    // The prefix: the compact range before the first receipt.
    expectKind(line, "prefix", lines);
    CompactRange range;
    try {
      List<Hash> hashes = hashes(line.get("hashes"));
      if (line.path("size").asLong() != from - 1) {
        throw lines.fail(
            Check.FORMAT,
            "the prefix covers " + line.path("size").asLong() + " leaves, not " + (from - 1));
      }
      range = CompactRange.of(from - 1, hashes);
    } catch (IllegalArgumentException e) {
      throw lines.fail(Check.FORMAT, "bad prefix: " + e.getMessage());
    }
    checkRoot(rootsToCheck, range, lines);

    // The receipts.
    long expected = from;
    long erased = 0;
    Hash prev = from == 1 ? Hash.ZERO : null;
    line = lines.next("a receipt");
    while (line.path("kind").asText().equals("receipt")) {
      Receipt r;
      try {
        r = ReceiptJson.parse(line.get("receipt") == null ? line : line.get("receipt"));
      } catch (IllegalArgumentException e) {
        Check check =
            e.getMessage() != null && e.getMessage().contains("payload")
                ? Check.PAYLOAD
                : Check.RECEIPT;
        throw lines.fail(check, e.getMessage());
      }
      String where = "receipt seq " + r.seq() + " (line " + lines.number + ")";
      if (!r.log().equals(log)) {
        throw new VerificationFailure(
            Check.RECEIPT, where, "belongs to " + r.log() + ", the export is of " + log);
      }
      if (r.seq() != expected) {
        throw new VerificationFailure(
            Check.SEQUENCE,
            where,
            "expected seq " + expected + ": a receipt was deleted, inserted or moved");
      }
      if (expected > to) {
        throw new VerificationFailure(
            Check.SEQUENCE, where, "the header says the export ends at " + to);
      }
      if (prev != null && !r.prev().equals(prev)) {
        throw new VerificationFailure(
            Check.CHAIN,
            where,
            "prev is "
                + r.prev()
                + " but the previous receipt's digest is "
                + prev
                + ": the chain is broken (a receipt before it was altered or removed)");
      }
      if (r.payload().isEmpty()) {
        erased++; // a tombstone: the payload was erased, its digest still binds it
      }
      range.append(r.leafHash(), CompactRange.NodeSink.NONE);
      checkRoot(rootsToCheck, range, lines);
      prev = r.digest();
      expected++;
      line = lines.next("a receipt or the suffix");
    }
    if (expected != to + 1) {
      throw lines.fail(
          Check.SEQUENCE,
          "the export stops after seq "
              + (expected - 1)
              + " but should run to "
              + to
              + ": receipts were removed");
    }

    // The suffix: perfect subtrees up to the anchor checkpoint.
    expectKind(line, "suffix", lines);
    if (line.path("from").asLong() != to || line.path("to").asLong() != treeSize) {
      throw lines.fail(Check.FORMAT, "the suffix must cover " + to + ".." + treeSize);
    }
    try {
      for (JsonNode s : line.path("subtrees")) {
        range.appendSubtree(
            Hash.fromBase64(s.path("hash").asText()),
            s.path("level").asInt(),
            CompactRange.NodeSink.NONE);
      }
    } catch (IllegalArgumentException e) {
      throw lines.fail(Check.FORMAT, "bad suffix: " + e.getMessage());
    }
    if (range.size() != treeSize || !range.root().equals(anchor.root())) {
      throw lines.fail(
          Check.ROOT,
          "the receipts do not hash to the root of checkpoint size "
              + treeSize
              + ": a receipt was altered, or the checkpoint belongs to another history");
    }
    JsonNode end = lines.next("the end line");
    expectKind(end, "end", lines);
    if (end.path("receipts").asLong() != to - from + 1) {
      throw lines.fail(Check.FORMAT, "the end line counts " + end.path("receipts") + " receipts");
    }
    if (lines.hasMore()) {
      throw lines.fail(Check.FORMAT, "unexpected content after the end line");
    }
    return new Report(
        origin, log, from, to, treeSize, to - from + 1, checkpoints.size(), anchor, erased);
  }

  private static void checkRoot(Map<Long, Hash> roots, CompactRange range, Lines lines)
      throws VerificationFailure {
    Hash expected = roots.get(range.size());
    if (expected != null && !range.root().equals(expected)) {
      throw lines.fail(
          Check.ROOT,
          "receipts 1.."
              + range.size()
              + " do not hash to the root of checkpoint size "
              + range.size()
              + ": a receipt was altered, removed or added");
    }
  }

  private static LogId parseLog(JsonNode tenant, Lines lines) throws VerificationFailure {
    if (tenant == null || tenant.isNull()) {
      return LogId.platform();
    }
    try {
      return LogId.tenant(io.maestro.core.TenantId.of(tenant.asText()));
    } catch (IllegalArgumentException e) {
      throw lines.fail(Check.FORMAT, e.getMessage());
    }
  }

  private static void expectKind(JsonNode node, String kind, Lines lines)
      throws VerificationFailure {
    if (!kind.equals(node.path("kind").asText())) {
      throw lines.fail(
          Check.FORMAT,
          "expected a '" + kind + "' line, found '" + node.path("kind").asText() + "'");
    }
  }

  /** Reads the export line by line, strictly (duplicate members are an error). */
  private static final class Lines {
    private final BufferedReader in;
    private long number;

    Lines(BufferedReader in) {
      this.in = in;
    }

    JsonNode next(String what) throws IOException, VerificationFailure {
      String text;
      do {
        text = in.readLine();
        number++;
      } while (text != null && text.isBlank());
      if (text == null) {
        throw fail(
            Check.FORMAT, "the export ends early: expected " + what + " (the file was cut off)");
      }
      try {
        return CanonicalJson.parse(text);
      } catch (IllegalArgumentException e) {
        throw fail(Check.FORMAT, e.getMessage());
      }
    }

    boolean hasMore() throws IOException {
      String text;
      do {
        text = in.readLine();
      } while (text != null && text.isBlank());
      return text != null;
    }

    VerificationFailure fail(Check check, String reason) {
      return new VerificationFailure(check, "line " + number, reason);
    }
  }

  private static List<Hash> hashes(JsonNode arr) {
    if (arr == null || !arr.isArray()) {
      throw new IllegalArgumentException("'hashes' is not an array");
    }
    List<Hash> out = new ArrayList<>(arr.size());
    for (JsonNode h : arr) {
      out.add(Hash.fromBase64(h.asText()));
    }
    return out;
  }
}
