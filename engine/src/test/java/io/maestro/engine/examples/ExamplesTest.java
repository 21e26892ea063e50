package io.maestro.engine.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.maestro.engine.Engine;
import io.maestro.engine.EngineHarness;
import io.maestro.engine.LogLine;
import io.maestro.engine.RecordingReceipts;
import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.engine.StepStatus;
import io.maestro.engine.sandbox.Sandbox;
import io.maestro.engine.sandbox.SandboxFixture;
import io.maestro.engine.sandbox.SandboxLimits;
import io.maestro.engine.task.builtin.ExecExecutor;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The files in {@code examples/} validate against the published schema, load, and run. */
class ExamplesTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path EXAMPLES = ROOT.resolve("examples");
  static final Path SCHEMA = ROOT.resolve("docs/schemas/manifest-v1.json");

  static List<Path> examples() throws IOException {
    // The top level and examples/audit hold workflows; brand/ and policy/ hold other documents.
    try (Stream<Path> s = Files.walk(EXAMPLES, 2)) {
      return s.filter(
              p ->
                  p.getParent().equals(EXAMPLES) || p.getParent().equals(EXAMPLES.resolve("audit")))
          .filter(p -> p.toString().matches(".*\\.(ya?ml|json)$"))
          .sorted()
          .toList();
    }
  }

  static Sandbox sandbox() {
    return SandboxFixture.start();
  }

  static Engine engine(TestDatabase tdb, Sandbox sandbox) {
    return EngineHarness.builder(tdb.database(), new RecordingReceipts())
        .executor(new ExecExecutor(sandbox, SandboxLimits.defaults()))
        .build();
  }

  @Test
  void examples_validateAgainstThePublishedJsonSchema() throws IOException {
    Schema schema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(new ObjectMapper().readTree(SCHEMA.toFile()));
    assertThat(examples()).hasSizeGreaterThanOrEqualTo(5);
    for (Path p : examples()) {
      JsonNode doc = new YAMLMapper().readTree(p.toFile());
      assertThat(schema.validate(doc)).as(p.getFileName().toString()).isEmpty();
    }
    JsonNode bad = new YAMLMapper().readTree("apiVersion: maestro/v1\nkind: Workflow\nspec: {}\n");
    assertThat(schema.validate(bad)).isNotEmpty();
  }

  @Test
  void examples_loadWithTheEngineValidator() throws IOException {
    try (TestDatabase tdb = Backend.H2.open();
        Sandbox sandbox = sandbox();
        Engine engine = engine(tdb, sandbox)) {
      for (Path p : examples()) {
        var m = engine.registry().validate(Files.readString(p));
        assertThat(m.tasks()).as(p.toString()).isNotEmpty();
      }
    }
  }

  @Test
  void hello_runsWithoutInputsOrSandboxThroughLogAndWait() throws IOException {
    // The README's first workflow must run on a machine with only a JDK: no sandbox here.
    try (TestDatabase tdb = Backend.H2.open();
        Engine engine = EngineHarness.builder(tdb.database(), new RecordingReceipts()).build()) {
      EngineHarness.publish(engine, Files.readString(EXAMPLES.resolve("hello.yaml")));
      engine.startWorkers();
      String runId = EngineHarness.start(engine, "hello", Map.of());
      RunView run = EngineHarness.awaitEnd(engine, runId);
      assertThat(run.status()).as(run.toString()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(run.steps()).extracting(s -> s.status()).containsOnly(StepStatus.SUCCEEDED);
      assertThat(run.steps()).extracting(s -> s.uses()).containsOnly("core/log", "core/wait");
      assertThat(log(engine, runId))
          .contains("Hello, world!", "Goodbye, world (greeted with: Hello, world!)");
    }
  }

  @Test
  void sandbox_runsItsCommandInTheSandbox() throws IOException {
    try (TestDatabase tdb = Backend.H2.open();
        Sandbox sandbox = sandbox();
        Engine engine = engine(tdb, sandbox)) {
      EngineHarness.publish(engine, Files.readString(EXAMPLES.resolve("sandbox.yaml")));
      engine.startWorkers();
      String runId = EngineHarness.start(engine, "sandbox", Map.of());
      RunView run = EngineHarness.awaitEnd(engine, runId);
      assertThat(run.status()).as(run.toString()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(run.steps()).extracting(s -> s.uses()).contains("core/exec");
      assertThat(log(engine, runId))
          .anySatisfy(l -> assertThat(l).contains("hello from the sandbox"));
    }
  }

  private static List<String> log(Engine engine, String runId) {
    return engine.logs().read(EngineHarness.ACME, runId, 0, 500).stream()
        .map(LogLine::message)
        .toList();
  }
}
