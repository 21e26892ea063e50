package io.maestro.provenance;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.provenance.internal.Json;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes a log export: NDJSON, one object per line, in this order (the format {@code
 * maestro.receipts.v1}, documented in {@code docs/receipts.md}):
 *
 * <ol>
 *   <li>{@code header}: origin, tenant, the receipts' seq range {@code from..to} and the size
 *       {@code tree_size} of the checkpoint that proves them;
 *   <li>{@code checkpoint} notes (sizes from {@code from − 1} to {@code tree_size}, ascending),
 *       each after the first preceded by the {@code consistency} proof from its predecessor;
 *   <li>{@code prefix}: the compact range of the first {@code from − 1} leaves;
 *   <li>{@code receipt} lines, {@code from..to};
 *   <li>{@code suffix}: the perfect subtrees covering leaves {@code to..tree_size};
 *   <li>{@code end} with the receipt count, so a cut-off file is recognised as such.
 * </ol>
 *
 * With the prefix and suffix a verifier recomputes the checkpoint's root from the receipts
 * themselves while streaming, which proves every receipt's inclusion at once with O(log n) memory.
 */
public final class ExportWriter implements Closeable {
  public static final String FORMAT = "maestro.receipts.v1";

  private final JsonGenerator out;
  private long receipts;

  public ExportWriter(OutputStream stream) {
    try {
      this.out = Json.MAPPER.getFactory().createGenerator(stream);
      // One object per line: no separator of Jackson's own between root values.
      this.out.setRootValueSeparator(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void line(ObjectNode o) {
    try {
      Json.MAPPER.writeTree(out, o);
      out.writeRaw('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void header(String origin, LogId log, long from, long to, long treeSize) {
    ObjectNode o = Json.object();
    o.put("kind", "header");
    o.put("format", FORMAT);
    o.put("origin", origin);
    if (log instanceof LogId.Tenant t) {
      o.put("tenant", t.id().value());
    } else {
      o.putNull("tenant");
    }
    o.put("from", from);
    o.put("to", to);
    o.put("tree_size", treeSize);
    line(o);
  }

  public void checkpoint(Checkpoint c) {
    ObjectNode o = Json.object();
    o.put("kind", "checkpoint");
    o.put("note", c.note());
    line(o);
  }

  public void consistency(ConsistencyProof p) {
    ObjectNode o = p.toJson();
    o.put("kind", "consistency");
    line(o);
  }

  /** The compact range of the leaves before the first exported receipt, largest subtree first. */
  public void prefix(long size, List<Hash> range) {
    ObjectNode o = Json.object();
    o.put("kind", "prefix");
    o.put("size", size);
    ArrayNode arr = o.putArray("hashes");
    range.forEach(h -> arr.add(h.base64()));
    line(o);
  }

  public void receipt(Receipt r) {
    ObjectNode o = Json.object();
    o.put("kind", "receipt");
    o.set("receipt", ReceiptJson.toJson(r, true));
    line(o);
    receipts++;
  }

  /** A perfect subtree of height {@code level} in the suffix. */
  public record Subtree(int level, Hash hash) {}

  public void suffix(long from, long to, List<Subtree> subtrees) {
    ObjectNode o = Json.object();
    o.put("kind", "suffix");
    o.put("from", from);
    o.put("to", to);
    ArrayNode arr = o.putArray("subtrees");
    for (Subtree s : subtrees) {
      arr.addObject().put("level", s.level()).put("hash", s.hash().base64());
    }
    line(o);
  }

  public void end() {
    ObjectNode o = Json.object();
    o.put("kind", "end");
    o.put("receipts", receipts);
    line(o);
  }

  @Override
  public void close() {
    try {
      out.flush();
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
