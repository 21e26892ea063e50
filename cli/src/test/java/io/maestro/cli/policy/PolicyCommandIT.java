package io.maestro.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code maestro policy …} through bin/maestro and the packaged jar, as CI and users run it. */
class PolicyCommandIT {
  @TempDir Path dir;

  record Result(int exit, String out, String err) {}

  static Path root() {
    return Path.of(System.getProperty("maestro.root", "..")).toAbsolutePath().normalize();
  }

  Result maestro(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(root().resolve("bin/maestro").toString()));
    cmd.addAll(List.of(args));
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment()
        .put(
            "MAESTRO_JAR",
            Path.of(System.getProperty("maestro.jar", "target/maestro.jar"))
                .toAbsolutePath()
                .toString());
    pb.environment().put("MAESTRO_HOME", dir.resolve("home").toString());
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("maestro " + String.join(" ", args) + " did not finish");
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void policyTest_passesOnTheCanonPacksWithCoverage() throws Exception {
    Result r =
        maestro(
            "policy",
            "test",
            root().resolve("policies").toString(),
            "--coverage",
            "--threshold",
            "90");

    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).containsPattern("PASS: (\\d+)/\\1").contains("Coverage:", "total");
  }

  @Test
  void policyDocs_committedPagesAreCurrent() throws Exception {
    Result r =
        maestro(
            "policy",
            "docs",
            root().resolve("policies").toString(),
            "-o",
            root().resolve("docs/policies").toString(),
            "--check");

    assertThat(r.exit()).as(r.out() + r.err()).isZero();
  }

  @Test
  void policyVerify_missingKeyIsAUsageErrorOnOneLine() throws Exception {
    Result r = maestro("policy", "verify", "nowhere.tar.gz");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--public-key").doesNotContain("\tat ");
  }

  @Test
  void policyCapabilities_printsTheEngineRegistryInOpasFormat() throws Exception {
    Result r = maestro("policy", "capabilities", "--current");

    assertThat(r.exit()).as(r.err()).isZero();
    com.fasterxml.jackson.databind.JsonNode caps =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
    java.util.Set<String> names = new java.util.TreeSet<>();
    caps.get("builtins").forEach(b -> names.add(b.get("name").asText()));
    java.util.Set<String> registered =
        new java.util.TreeSet<>(io.maestro.rego.Rego.standardLibrary().keySet());
    registered.remove("internal.const");
    assertThat(names).isEqualTo(registered).contains("array.flatten", "uri.parse");
    assertThat(r.out()).contains("\"infix\": \"\\u0026\"").startsWith("{\n  \"builtins\": [");
    assertThat(caps.get("features").toString()).contains("rego_v1");
  }
}
