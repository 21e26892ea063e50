package io.maestro.policy.tools;

import io.maestro.rego.EvalOptions;
import io.maestro.rego.PreparedPolicy;
import io.maestro.rego.Rego;
import io.maestro.rego.RegoException;
import io.maestro.rego.ast.Module;
import io.maestro.rego.ast.Rule;
import io.maestro.rego.parser.Parser;
import io.maestro.rego.value.BooleanValue;
import io.maestro.rego.value.Value;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Runs Rego unit tests as {@code opa test} does: every rule named {@code test_*} is a test that
 * passes when it is defined and true; a rule named {@code todo_*} is skipped; {@code --run} selects
 * tests whose full name ({@code data.pkg.test_x}) matches a regular expression.
 */
public final class PolicyTester {
  private PolicyTester() {}

  public enum Status {
    PASS,
    FAIL,
    ERROR,
    SKIP
  }

  /** One test's outcome; {@code detail} explains a FAIL or ERROR. */
  public record Result(
      String name, String file, int line, Status status, Duration duration, String detail) {}

  public record Options(Optional<Pattern> run, boolean coverage, Duration timeout, Clock clock) {
    public static Options defaults() {
      return new Options(Optional.empty(), false, Duration.ofSeconds(10), Clock.systemUTC());
    }

    public Options withRun(String regex) {
      return new Options(Optional.of(Pattern.compile(regex)), coverage, timeout, clock);
    }

    public Options withCoverage(boolean on) {
      return new Options(run, on, timeout, clock);
    }
  }

  public record Report(List<Result> results, Optional<Coverage.Report> coverage) {
    public Report {
      results = List.copyOf(results);
    }

    public long count(Status s) {
      return results.stream().filter(r -> r.status() == s).count();
    }

    /** Whether every test that ran passed (skipped tests do not fail a run). */
    public boolean passed() {
      return count(Status.FAIL) == 0 && count(Status.ERROR) == 0;
    }
  }

  /**
   * Compiles {@code sources} and runs their tests. A policy that does not compile throws the
   * engine's {@link RegoException} (with file, line and column).
   */
  public static Report run(PolicySources sources, Options options) {
    PreparedPolicy policy = Rego.compile(sources.modules(), sources.data());
    Coverage coverage = options.coverage() ? new Coverage() : null;
    EvalOptions eval =
        EvalOptions.defaults().withClock(options.clock()).withTimeout(options.timeout());
    if (coverage != null) {
      eval = eval.withTracer(coverage.tracer());
    }
    List<Result> results = new ArrayList<>();
    for (Map.Entry<String, String> m : sources.modules().entrySet()) {
      Module mod = Parser.parseModule(m.getKey(), m.getValue());
      Map<String, Rule> tests = new LinkedHashMap<>();
      for (Rule r : mod.rules()) {
        String n = r.name();
        if ((n.startsWith("test_") || n.startsWith("todo_"))
            && !r.isFunction()
            && !n.contains(".")) {
          tests.putIfAbsent(n, r);
        }
      }
      String pkg = "data." + String.join(".", mod.pkg());
      for (Map.Entry<String, Rule> t : tests.entrySet()) {
        String full = pkg + "." + t.getKey();
        if (options.run().isPresent() && !options.run().get().matcher(full).find()) {
          continue;
        }
        int line = t.getValue().loc() == null ? 0 : t.getValue().loc().line();
        if (t.getKey().startsWith("todo_")) {
          results.add(new Result(full, m.getKey(), line, Status.SKIP, Duration.ZERO, ""));
          continue;
        }
        long start = System.nanoTime();
        Status status;
        String detail = "";
        try {
          Value v = policy.evalRef(full, null, eval);
          status = BooleanValue.TRUE.equals(v) ? Status.PASS : Status.FAIL;
          if (v == null) {
            detail = "undefined";
          } else if (status == Status.FAIL) {
            detail = "value: " + v.toJson();
          }
        } catch (RegoException e) {
          status = Status.ERROR;
          detail = e.getMessage();
        } catch (RuntimeException | StackOverflowError e) {
          status = Status.ERROR;
          detail = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        results.add(
            new Result(
                full,
                m.getKey(),
                line,
                status,
                Duration.ofNanos(System.nanoTime() - start),
                detail));
      }
    }
    return new Report(
        results,
        coverage == null ? Optional.empty() : Optional.of(coverage.report(sources.modules())));
  }
}
