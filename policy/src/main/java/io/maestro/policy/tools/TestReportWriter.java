package io.maestro.policy.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.json.Json;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints a test report the way {@code opa test} does, plus a coverage table. */
public final class TestReportWriter {
  private static final String RULE = "-".repeat(80);
  private static final ObjectMapper JSON = Json.MAPPER;

  private TestReportWriter() {}

  /**
   * Failures and errors grouped by file (every test with {@code verbose}), a rule, then {@code
   * PASS: n/N}, {@code FAIL: n/N}, {@code ERROR: n/N}, {@code SKIPPED: n/N} as applicable.
   */
  public static void pretty(PolicyTester.Report report, boolean verbose, PrintWriter out) {
    Map<String, List<PolicyTester.Result>> byFile = new LinkedHashMap<>();
    for (PolicyTester.Result r : report.results()) {
      if (verbose
          || r.status() == PolicyTester.Status.FAIL
          || r.status() == PolicyTester.Status.ERROR) {
        byFile.computeIfAbsent(r.file(), f -> new java.util.ArrayList<>()).add(r);
      }
    }
    boolean first = true;
    for (var e : byFile.entrySet()) {
      if (!first) {
        out.println();
      }
      first = false;
      out.println(e.getKey() + ":");
      for (PolicyTester.Result r : e.getValue()) {
        String status = r.status() == PolicyTester.Status.SKIP ? "SKIPPED" : r.status().name();
        out.print(r.name() + ": " + status);
        if (r.status() != PolicyTester.Status.SKIP) {
          out.print(" (" + duration(r.duration().toNanos()) + ")");
        }
        out.println();
        if (!r.detail().isEmpty() && r.status() != PolicyTester.Status.PASS) {
          out.println("  " + r.file() + ":" + r.line() + ": " + r.detail());
        }
      }
    }
    int total = report.results().size();
    if (!byFile.isEmpty()) {
      out.println(RULE);
    }
    if (total == 0) {
      out.println("no tests found");
    }
    for (PolicyTester.Status s : PolicyTester.Status.values()) {
      long n = report.count(s);
      if (n > 0) {
        out.println(
            (s == PolicyTester.Status.SKIP ? "SKIPPED" : s.name()) + ": " + n + "/" + total);
      }
    }
    report.coverage().ifPresent(c -> coverage(c, out));
    out.flush();
  }

  /** Per file: percentage, covered/coverable lines and the lines not covered; then the total. */
  public static void coverage(Coverage.Report c, PrintWriter out) {
    out.println(RULE);
    if (!c.engineReportsEvents()) {
      out.println(
          "coverage: not measured - the rego engine reported no evaluation events (Tracer.enter)");
      return;
    }
    int width = c.files().stream().mapToInt(f -> f.file().length()).max().orElse(10);
    out.println("Coverage:");
    for (Coverage.FileCoverage f : c.files()) {
      int all = f.covered().size() + f.notCovered().size();
      out.printf(
          Locale.ROOT,
          "  %-" + width + "s  %6.2f%%  (%d/%d)%s%n",
          f.file(),
          f.percent(),
          f.covered().size(),
          all,
          f.notCovered().isEmpty() ? "" : "  not covered: " + ranges(f.notCovered()));
    }
    out.printf(
        Locale.ROOT,
        "  %-" + width + "s  %6.2f%%  (%d/%d)%n",
        "total",
        c.percent(),
        c.coveredLines(),
        c.coverableLines());
  }

  /** OPA's JSON test output: one object per test, plus the coverage report when measured. */
  public static String json(PolicyTester.Report report) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode tests = root.putArray("tests");
    for (PolicyTester.Result r : report.results()) {
      String pkg = r.name().substring(0, r.name().lastIndexOf('.'));
      ObjectNode t = tests.addObject();
      t.putObject("location").put("file", r.file()).put("row", r.line()).put("col", 1);
      t.put("package", pkg);
      t.put("name", r.name().substring(r.name().lastIndexOf('.') + 1));
      t.put("duration", r.duration().toNanos());
      switch (r.status()) {
        case FAIL -> t.put("fail", true);
        case ERROR -> t.putObject("error").put("message", r.detail());
        case SKIP -> t.put("skip", true);
        default -> {}
      }
    }
    report
        .coverage()
        .ifPresent(
            c -> {
              ObjectNode cov = root.putObject("coverage");
              ObjectNode files = cov.putObject("files");
              for (Coverage.FileCoverage f : c.files()) {
                ObjectNode fo = files.putObject(f.file());
                f.covered().forEach(l -> fo.withArray("covered").addObject().put("row", l));
                f.notCovered().forEach(l -> fo.withArray("not_covered").addObject().put("row", l));
                fo.put("coverage", round(f.percent()));
              }
              cov.put("coverage", round(c.percent()));
            });
    return root.toPrettyString();
  }

  private static double round(double d) {
    return Math.round(d * 100) / 100.0;
  }

  private static String ranges(java.util.Set<Integer> lines) {
    StringBuilder b = new StringBuilder();
    Integer start = null;
    Integer prev = null;
    for (int l : lines) {
      if (prev != null && l == prev + 1) {
        prev = l;
        continue;
      }
      if (start != null) {
        b.append(b.isEmpty() ? "" : ",").append(start.equals(prev) ? start : start + "-" + prev);
      }
      start = l;
      prev = l;
    }
    if (start != null) {
      b.append(b.isEmpty() ? "" : ",").append(start.equals(prev) ? start : start + "-" + prev);
    }
    return b.toString();
  }

  static String duration(long nanos) {
    if (nanos < 1_000_000) {
      return String.format(Locale.ROOT, "%.1fµs", nanos / 1000.0);
    }
    return String.format(Locale.ROOT, "%.1fms", nanos / 1_000_000.0);
  }
}
