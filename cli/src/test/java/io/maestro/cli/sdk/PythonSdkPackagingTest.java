package io.maestro.cli.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.cli.CliRunner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python SDK builds as a wheel with the standard setuptools backend from {@code
 * sdks/python/pyproject.toml} (Debian's {@code python3-setuptools} and {@code python3-wheel}; no
 * registry), installs, and runs from the installed copy. Without those packages the test is skipped
 * with one line; under {@code CI=true} it fails instead.
 */
class PythonSdkPackagingTest {
  static final String PYTHON = "/usr/bin/python3";

  @TempDir Path dir;

  record Result(int code, String output) {}

  Result run(Path workDir, Map<String, String> env, String... cmd) throws Exception {
    Path out = Files.createTempFile(dir, "cmd", ".txt");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    pb.environment().remove("PYTHONPATH");
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", cmd) + " did not finish");
    }
    return new Result(p.exitValue(), Files.readString(out));
  }

  void requireTools() throws Exception {
    boolean present =
        Files.isExecutable(Path.of(PYTHON))
            && run(dir, Map.of(), PYTHON, "-c", "import setuptools, wheel, pydantic").code() == 0;
    if (present) {
      return;
    }
    String why =
        PYTHON
            + " cannot import setuptools, wheel and pydantic (python3-setuptools, python3-wheel,"
            + " python3-pydantic)";
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI=true but " + why);
    }
    System.err.println("SKIPPED: PythonSdkPackagingTest needs " + why);
    Assumptions.abort(why);
  }

  /** Copies the SDK's sources (not its tests or caches) so the build writes nothing in the tree. */
  Path copySdk() throws IOException {
    Path src = CliRunner.root().resolve("sdks/python");
    Path copy = Files.createDirectories(dir.resolve("sdk"));
    Files.copy(src.resolve("pyproject.toml"), copy.resolve("pyproject.toml"));
    Files.copy(src.resolve("README.md"), copy.resolve("README.md"));
    Path pkg = Files.createDirectories(copy.resolve("maestro"));
    try (Stream<Path> files = Files.list(src.resolve("maestro"))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".py")).toList()) {
        Files.copy(f, pkg.resolve(f.getFileName()));
      }
    }
    return copy;
  }

  @Test
  void wheel_buildsWithSetuptools_installs_andRunsFromTheInstalledCopy() throws Exception {
    requireTools();
    Path sdk = copySdk();
    Path dist = Files.createDirectories(dir.resolve("dist"));
    // The PEP 517 hook a frontend (pip, build) calls, without one: python3-build is not in Debian's
    // default set and pip may be missing.
    Result built =
        run(
            sdk,
            Map.of(),
            PYTHON,
            "-c",
            "import sys, setuptools.build_meta as b; print(b.build_wheel(sys.argv[1]))",
            dist.toString());
    assertThat(built.code()).as(built.output()).isZero();
    String expectedVersion = SdkVersionTest.pep440(SdkVersionTest.projectVersion());
    Path wheel = dist.resolve("maestro_conductor-" + expectedVersion + "-py3-none-any.whl");
    assertThat(wheel).as(built.output()).exists();

    Path site = Files.createDirectories(dir.resolve("site"));
    List<String> metadata = new ArrayList<>();
    try (ZipFile zip = new ZipFile(wheel.toFile())) {
      for (ZipEntry e : zip.stream().toList()) {
        if (e.isDirectory()) {
          continue;
        }
        Path target = site.resolve(e.getName()).normalize();
        assertThat(target.startsWith(site)).as(e.getName()).isTrue();
        Files.createDirectories(target.getParent());
        try (InputStream in = zip.getInputStream(e)) {
          Files.copy(in, target);
        }
        if (e.getName().endsWith(".dist-info/METADATA")) {
          metadata = Files.readAllLines(target, StandardCharsets.UTF_8);
        }
      }
    }
    assertThat(metadata)
        .contains("Name: maestro-conductor", "Version: " + expectedVersion)
        .anyMatch(l -> l.startsWith("Requires-Dist: pydantic"));
    assertThat(site.resolve("maestro/manifest.py")).exists();

    // Run from the installed copy only (the working directory holds no SDK sources).
    Map<String, String> installed = Map.of("PYTHONPATH", site.toString());
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Result imported =
        run(
            elsewhere,
            installed,
            PYTHON,
            "-c",
            "import maestro; print(maestro.__version__); print(maestro.__file__)");
    assertThat(imported.code()).as(imported.output()).isZero();
    assertThat(imported.output())
        .contains(SdkVersionTest.projectVersion())
        .contains(site.toString());
    Path golden = CliRunner.root().resolve("examples/golden/retry/workflow.json");
    Result validated =
        run(elsewhere, installed, PYTHON, "-m", "maestro", "validate", golden.toString());
    assertThat(validated.code()).as(validated.output()).isZero();
  }
}
