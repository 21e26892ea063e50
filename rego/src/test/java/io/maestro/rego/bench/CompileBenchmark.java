package io.maestro.rego.bench;

import io.maestro.rego.PreparedPolicy;
import io.maestro.rego.Rego;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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

/** Time to parse and compile the canon policy packs (../policies, tests included). */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CompileBenchmark {
  private Map<String, String> modules;

  static Map<String, String> canonPolicies() {
    for (String cand : new String[] {"../policies", "policies"}) {
      Path dir = Paths.get(cand);
      if (Files.isDirectory(dir)) {
        Map<String, String> out = new LinkedHashMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
          for (Path p : s.filter(f -> f.toString().endsWith(".rego")).sorted().toList()) {
            out.put(dir.relativize(p).toString(), Files.readString(p));
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return out;
      }
    }
    throw new IllegalStateException("canon policies not found (run from the rego module)");
  }

  @Setup
  public void setUp() {
    modules = canonPolicies();
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public PreparedPolicy compileCanonPolicies() {
    return Rego.compile(modules, (io.maestro.rego.value.Value) null);
  }
}
