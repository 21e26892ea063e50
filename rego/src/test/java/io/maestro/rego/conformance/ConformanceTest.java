package io.maestro.rego.conformance;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every case of OPA's conformance suite (vendored under src/test/resources/conformance, see
 * its README), one dynamic test per case. A case listed in conformance-known-failures.txt may fail
 * (its test then passes with a note); any other failure fails the build. Prints a per-area table
 * and writes target/conformance-report.txt.
 */
class ConformanceTest {
  private static final Map<String, int[]> AREAS = new ConcurrentHashMap<>();
  private static final List<String> FAILURES =
      java.util.Collections.synchronizedList(new ArrayList<>());
  private static final List<String> FIXED =
      java.util.Collections.synchronizedList(new ArrayList<>());

  /**
   * The vendored cases under src/test/resources/conformance, or another copy of the suite named by
   * {@code -Dmaestro.conformance.dir}.
   */
  static Path suiteDir() throws IOException {
    String prop = System.getProperty("maestro.conformance.dir");
    if (prop != null && !prop.isBlank()) {
      Path dir = Paths.get(prop);
      if (!Files.isDirectory(dir)) {
        throw new IOException("maestro.conformance.dir is not a directory: " + dir);
      }
      return dir;
    }
    try {
      var url = ConformanceTest.class.getResource("/conformance");
      if (url == null) {
        throw new IOException("the vendored conformance cases are missing from the test classpath");
      }
      return Paths.get(url.toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
  }

  static Map<String, String> knownFailures() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (var in = ConformanceTest.class.getResourceAsStream("/conformance-known-failures.txt")) {
      if (in == null) {
        return out;
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int tab = line.indexOf('\t');
        out.put(
            tab < 0 ? line.strip() : line.substring(0, tab).strip(),
            tab < 0 ? "" : line.substring(tab + 1));
      }
    }
    return out;
  }

  static List<ConformanceCase> load(Path dir) throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    yaml.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    yaml.enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    List<ConformanceCase> out = new ArrayList<>();
    for (Path f : files) {
      String rel = dir.relativize(f).toString().replace('\\', '/');
      String area = rel.split("/")[1];
      JsonNode root = yaml.readTree(f.toFile());
      for (JsonNode c : root.path("cases")) {
        List<String> mods = new ArrayList<>();
        c.path("modules").forEach(m -> mods.add(m.asText()));
        out.add(
            new ConformanceCase(
                rel + ": " + c.path("note").asText(),
                area,
                c.path("note").asText(),
                c.path("query").asText(),
                mods,
                c.get("data"),
                c.get("input"),
                c.hasNonNull("input_term") ? c.get("input_term").asText() : null,
                c.get("want_result"),
                c.hasNonNull("want_error_code") ? c.get("want_error_code").asText() : null,
                c.hasNonNull("want_error") ? c.get("want_error").asText() : null,
                c.path("strict_error").asBoolean(false),
                c.path("sort_bindings").asBoolean(false)));
      }
    }
    return out;
  }

  @TestFactory
  Stream<DynamicTest> conformance() throws IOException {
    Path dir = suiteDir();
    Map<String, String> known = knownFailures();
    String only = System.getProperty("conformance.only");
    return load(dir).stream()
        .filter(c -> only == null || c.id().contains(only))
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.id(),
                    () -> {
                      String why;
                      try {
                        why = CaseRunner.run(c);
                      } catch (Throwable t) {
                        why = "crash: " + t;
                      }
                      int[] counts = AREAS.computeIfAbsent(c.area(), a -> new int[2]);
                      synchronized (counts) {
                        counts[0]++;
                        if (why == null) {
                          counts[1]++;
                        }
                      }
                      if (why == null) {
                        if (known.containsKey(c.id())) {
                          FIXED.add(c.id());
                        }
                        return;
                      }
                      FAILURES.add(c.id() + "\t" + why.replace('\n', ' '));
                      if (!known.containsKey(c.id())) {
                        Assertions.fail(why);
                      }
                    }));
  }

  @AfterAll
  static void report() throws IOException {
    if (AREAS.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%-40s %6s %6s%n", "area", "cases", "passed"));
    int total = 0;
    int passed = 0;
    for (Map.Entry<String, int[]> e : new TreeMap<>(AREAS).entrySet()) {
      sb.append(String.format("%-40s %6d %6d%n", e.getKey(), e.getValue()[0], e.getValue()[1]));
      total += e.getValue()[0];
      passed += e.getValue()[1];
    }
    sb.append(String.format("pass rate: %.2f%%%n", total == 0 ? 0.0 : 100.0 * passed / total));
    for (String f : FIXED) {
      sb.append("now passes (remove from known failures): ").append(f).append('\n');
    }
    sb.append("conformance: ")
        .append(passed)
        .append(" passed, ")
        .append(total - passed)
        .append(" failed\n");
    Path target = Paths.get("target");
    try {
      Files.createDirectories(target);
      Files.writeString(target.resolve("conformance-report.txt"), sb.toString());
      List<String> sorted = new ArrayList<>(FAILURES);
      sorted.sort(null);
      Files.write(target.resolve("conformance-failures.txt"), sorted);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.print(sb);
  }
}
