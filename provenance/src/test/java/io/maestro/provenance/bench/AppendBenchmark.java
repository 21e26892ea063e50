package io.maestro.provenance.bench;

import io.maestro.core.Actor;
import io.maestro.core.Ids;
import io.maestro.core.TenantId;
import io.maestro.provenance.LogId;
import io.maestro.provenance.ReceiptDraft;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.provenance.Receipts;
import io.maestro.provenance.internal.Json;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.TestDatabase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Receipts appended per second: two threads (the machine's two cores), each appending to its own
 * tenant's log in transactions of {@code batch} receipts. The score is transactions per second;
 * multiply by {@code batch} for receipts per second (the runner prints both).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx1g"})
@Threads(2)
public class AppendBenchmark {

  @State(Scope.Benchmark)
  public static class Shared {
    @Param({"H2", "POSTGRESQL"})
    public String backend;

    @Param({"1", "100"})
    public int batch;

    TestDatabase tdb;
    Database db;
    Receipts receipts;
    final AtomicInteger tenants = new AtomicInteger();

    @Setup(Level.Trial)
    public void open() {
      tdb = Backend.valueOf(backend).open();
      db = tdb.database();
      receipts =
          new Receipts(
              new Ids(Clock.systemUTC(), new SplittableRandom(1)),
              Clock.systemUTC(),
              Receipts.AppendListener.NONE);
    }

    @TearDown(Level.Trial)
    public void close() {
      tdb.close();
    }
  }

  @State(Scope.Thread)
  public static class Writer {
    TenantId tenant;
    List<ReceiptDraft> drafts;

    @Setup(Level.Trial)
    public void prepare(Shared shared) {
      tenant = TenantId.of("bench-" + shared.tenants.incrementAndGet());
      Actor actor = new Actor("alice", Optional.of(tenant), List.of("operator"), Map.of(), "oidc");
      drafts = new ArrayList<>();
      for (int i = 0; i < shared.batch; i++) {
        drafts.add(
            ReceiptDraft.of(
                    LogId.tenant(tenant),
                    ReceiptTypes.STEP_COMPLETED,
                    actor,
                    "step.complete",
                    ReceiptDraft.Subject.of("step", "step_" + i))
                .withPayload(Json.object().put("step", i).put("status", "ok")));
      }
    }
  }

  @Benchmark
  public void appendTransaction(Shared shared, Writer writer, Blackhole bh) {
    bh.consume(
        shared.db.inTransaction(
            TenantScope.of(writer.tenant), tx -> shared.receipts.appendAll(tx, writer.drafts)));
  }
}
