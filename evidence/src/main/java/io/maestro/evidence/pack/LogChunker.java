package io.maestro.evidence.pack;

import io.maestro.core.TenantId;
import io.maestro.core.json.Json;
import io.maestro.evidence.RunEvidence;
import io.maestro.evidence.storage.Staging;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Streams a run's log into the staging area as {@code logs/<step>/NNNN.ndjson} chunks, a page of
 * lines at a time: each line goes to its step's current chunk, and a chunk is closed once it holds
 * {@link #CHUNK_BYTES}. Memory stays at one page of lines and one buffer per step, whatever the
 * log's size; the chunking depends only on the lines, so it is the same every time.
 */
final class LogChunker {
  static final long CHUNK_BYTES = 8L << 20;
  static final int PAGE = 2_000;

  private final Staging staging;
  private final String region;
  private final Map<String, Chunk> open = new HashMap<>();
  private long lines;
  private int chunks;

  LogChunker(Staging staging, String region) {
    this.staging = staging;
    this.region = region;
  }

  private static final class Chunk {
    final OutputStream out;
    long bytes;

    Chunk(OutputStream out) {
      this.out = out;
    }
  }

  /** Copies every line of the run; returns the number of lines. */
  long copy(RunEvidence source, TenantId tenant, String runId) {
    long after = 0;
    while (true) {
      var page = source.logs(tenant, runId, after, PAGE);
      for (RunEvidence.LogEntry e : page) {
        write(e);
        after = e.seq();
      }
      if (page.size() < PAGE) {
        break;
      }
    }
    open.values().forEach(LogChunker::close);
    open.clear();
    return lines;
  }

  int chunks() {
    return chunks;
  }

  private void write(RunEvidence.LogEntry e) {
    String dir = e.stepId().map(PackFormat::logDir).orElse(PackFormat.RUN_LOG_DIR);
    try {
      byte[] line = Json.MAPPER.writeValueAsBytes(e.line());
      Chunk c = open.get(dir);
      if (c != null && c.bytes + line.length + 1 > CHUNK_BYTES && c.bytes > 0) {
        close(c);
        c = null;
      }
      if (c == null) {
        int number = nextNumber(dir);
        c =
            new Chunk(
                new BufferedOutputStream(
                    staging.create(PackFormat.logChunk(dir, number), region), 1 << 16));
        open.put(dir, c);
        chunks++;
      }
      c.out.write(line);
      c.out.write('\n');
      c.bytes += line.length + 1;
      lines++;
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private final Map<String, Integer> numbers = new HashMap<>();

  private int nextNumber(String dir) {
    return numbers.merge(dir, 1, Integer::sum);
  }

  private static void close(Chunk c) {
    try {
      c.out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
