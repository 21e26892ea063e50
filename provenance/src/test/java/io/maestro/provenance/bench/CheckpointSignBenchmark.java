package io.maestro.provenance.bench;

import io.maestro.provenance.Checkpoint;
import io.maestro.provenance.Hash;
import io.maestro.provenance.KeyRing;
import io.maestro.provenance.keys.FileKeyStore;
import io.maestro.provenance.keys.Signer;
import java.io.IOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The latency of signing one checkpoint (note text + Ed25519 via BouncyCastle), and verifying it.
 */
@BenchmarkMode({Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@State(Scope.Benchmark)
public class CheckpointSignBenchmark {
  Signer signer;
  Hash root;
  long size;
  Checkpoint signed;
  io.maestro.provenance.keys.TrustedKeys keys;

  @Setup
  public void setup() throws IOException {
    KeyRing ring =
        KeyRing.open(
            new FileKeyStore(Files.createTempDirectory("bench-keys")),
            "maestro.bench",
            Clock.systemUTC(),
            new SecureRandom());
    signer = ring.requireSigner();
    keys = ring.publicKeys();
    root = Hash.sha256(new byte[] {1, 2, 3});
    signed = Checkpoint.sign("maestro.bench/tenant/acme", 1, root, Instant.now(), signer);
  }

  @Benchmark
  public Checkpoint sign() {
    return Checkpoint.sign("maestro.bench/tenant/acme", ++size, root, Instant.now(), signer);
  }

  @Benchmark
  public Checkpoint verify() {
    return Checkpoint.verify(signed.note(), keys);
  }
}
