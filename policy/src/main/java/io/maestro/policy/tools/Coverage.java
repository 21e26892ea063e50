package io.maestro.policy.tools;

import io.maestro.rego.ast.Expr;
import io.maestro.rego.ast.Location;
import io.maestro.rego.ast.Module;
import io.maestro.rego.ast.Rule;
import io.maestro.rego.eval.Tracer;
import io.maestro.rego.parser.Parser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Line coverage of policies by tests, as {@code opa test --coverage} reports it: the coverable
 * lines are rule heads and body expressions; a line is covered when evaluation entered it. Test
 * files are not reported on.
 */
public final class Coverage {
  /** One file's lines. */
  public record FileCoverage(String file, Set<Integer> covered, Set<Integer> notCovered) {
    public FileCoverage {
      covered = java.util.Collections.unmodifiableSet(new TreeSet<>(covered));
      notCovered = java.util.Collections.unmodifiableSet(new TreeSet<>(notCovered));
    }

    public double percent() {
      int all = covered.size() + notCovered.size();
      return all == 0 ? 100.0 : 100.0 * covered.size() / all;
    }
  }

  /**
   * The report: per file and overall. {@code engineReportsEvents} is false when the engine reported
   * no expression it entered, in which case the figures mean nothing.
   */
  public record Report(List<FileCoverage> files, boolean engineReportsEvents) {
    public Report {
      files = List.copyOf(files);
    }

    public int coveredLines() {
      return files.stream().mapToInt(f -> f.covered().size()).sum();
    }

    public int coverableLines() {
      return files.stream().mapToInt(f -> f.covered().size() + f.notCovered().size()).sum();
    }

    public double percent() {
      return coverableLines() == 0 ? 100.0 : 100.0 * coveredLines() / coverableLines();
    }
  }

  private final Map<String, Set<Integer>> entered = new ConcurrentHashMap<>();
  private volatile boolean anyEnter;

  /** The tracer to pass to every evaluation whose coverage counts. */
  public Tracer tracer() {
    return new Tracer() {
      @Override
      public void enter(Location loc, String what) {
        anyEnter = true;
        hit(loc);
      }

      @Override
      public void fail(Location loc, String what) {
        hit(loc);
      }
    };
  }

  private void hit(Location loc) {
    if (loc == null || loc.file() == null) {
      return;
    }
    entered.computeIfAbsent(loc.file(), f -> ConcurrentHashMap.newKeySet()).add(loc.line());
  }

  public Report report(Map<String, String> modules) {
    List<FileCoverage> out = new ArrayList<>();
    Map<String, String> sorted = new TreeMap<>(modules);
    for (Map.Entry<String, String> m : sorted.entrySet()) {
      if (m.getKey().endsWith("_test.rego")) {
        continue;
      }
      Module mod = Parser.parseModule(m.getKey(), m.getValue());
      Set<Integer> hits = entered.getOrDefault(m.getKey(), Set.of());
      Set<Integer> covered = new TreeSet<>();
      Set<Integer> coverable = new TreeSet<>();
      for (Rule r : mod.rules()) {
        addRule(r, hits, coverable, covered);
      }
      Set<Integer> not = new TreeSet<>(coverable);
      not.removeAll(covered);
      out.add(new FileCoverage(m.getKey(), covered, not));
    }
    return new Report(out, anyEnter);
  }

  /**
   * A rule's body expressions are coverable, and so is its head when it has a body: the head counts
   * as covered once evaluation entered the body. A rule without a body (a constant, a default) has
   * no expression the engine enters, so it is not counted either way.
   */
  private static void addRule(
      Rule r, Set<Integer> hits, Set<Integer> coverable, Set<Integer> covered) {
    Set<Integer> body = new TreeSet<>();
    addBody(r.body(), body);
    if (!body.isEmpty()) {
      coverable.addAll(body);
      for (int line : body) {
        if (hits.contains(line)) {
          covered.add(line);
        }
      }
      if (r.loc() != null) {
        coverable.add(r.loc().line());
        if (body.stream().anyMatch(hits::contains)) {
          covered.add(r.loc().line());
        }
      }
    }
    if (r.elseRule() != null) {
      addRule(r.elseRule(), hits, coverable, covered);
    }
  }

  private static void addBody(List<Expr> body, Set<Integer> lines) {
    if (body == null) {
      return;
    }
    for (Expr e : body) {
      if (e.loc() != null) {
        lines.add(e.loc().line());
      }
      if (e.kind() instanceof Expr.Every ev) {
        addBody(ev.body(), lines);
      } else if (e.kind() instanceof Expr.NotBody nb) {
        addBody(nb.body(), lines);
      }
    }
  }
}
