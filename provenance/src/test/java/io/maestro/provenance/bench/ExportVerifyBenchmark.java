package io.maestro.provenance.bench;

import io.maestro.provenance.BenchExports;
import io.maestro.provenance.KeyRing;
import io.maestro.provenance.keys.FileKeyStore;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.verify.ExportVerifier;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Offline verification of a large export, streaming, in a JVM limited to 256 MB of heap: the time
 * for one whole verification (chain, payload digests, every checkpoint signature and consistency
 * proof, and the Merkle root recomputed from all receipts).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx256m"})
@State(Scope.Benchmark)
public class ExportVerifyBenchmark {
  @Param({"1000000"})
  public int receipts;

  Path file;
  TrustedKeys keys;

  @Setup(Level.Trial)
  public void write() throws IOException {
    Path dir = Files.createTempDirectory("bench-export");
    KeyRing ring =
        KeyRing.open(
            new FileKeyStore(dir.resolve("keys")),
            "maestro.bench",
            Clock.systemUTC(),
            new SecureRandom());
    keys = ring.publicKeys();
    file = dir.resolve("export.ndjson");
    BenchExports.write(file, receipts, 100_000, ring.requireSigner());
    System.out.printf("%nexport of %d receipts: %d MB%n", receipts, Files.size(file) >> 20);
  }

  @TearDown(Level.Trial)
  public void delete() throws IOException {
    Files.deleteIfExists(file);
  }

  @Benchmark
  public ExportVerifier.Report verify() throws Exception {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      ExportVerifier.Report r = ExportVerifier.verify(in, keys, Optional.empty());
      if (r.receipts() != receipts) {
        throw new IllegalStateException("verified " + r.receipts());
      }
      return r;
    }
  }
}
