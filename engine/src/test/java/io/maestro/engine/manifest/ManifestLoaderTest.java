package io.maestro.engine.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.maestro.engine.EngineErrors;
import io.maestro.engine.expr.Expressions;
import io.maestro.engine.task.TaskTypes;
import io.maestro.engine.task.builtin.ApprovalExecutor;
import io.maestro.engine.task.builtin.FailExecutor;
import io.maestro.engine.task.builtin.LogExecutor;
import io.maestro.engine.task.builtin.NoopExecutor;
import io.maestro.engine.task.builtin.WaitExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestLoaderTest {
  private final ManifestLoader loader = new ManifestLoader(types(), new Expressions());

  private static TaskTypes types() {
    return new TaskTypes(
        List.of(
            new NoopExecutor(),
            new LogExecutor(),
            new FailExecutor(),
            new WaitExecutor(),
            new ApprovalExecutor()));
  }

  private List<ManifestProblem> problems(String text) {
    try {
      loader.load(text);
    } catch (ManifestException e) {
      return e.problems();
    }
    throw new AssertionError("expected the manifest to be rejected");
  }

  @Test
  void load_readsAFullV1Manifest() {
    Manifest m =
        loader.load(
            """
            apiVersion: maestro/v1
            kind: Workflow
            metadata:
              name: build
              version: "1.2"
              region: eu-west-1
              labels: {team: core}
              risk: medium
              resourceClass: small
            spec:
              inputs:
                type: object
                properties:
                  name: {type: string, default: world}
              tasks:
                - id: greet
                  uses: core/log
                  with: {message: "hello ${{ inputs.name }}"}
                  retry: {max: 3, backoff: 2s, on: [error, platform]}
                  timeout: 1m
                - id: after
                  uses: core/noop
                  needs: [greet]
                  if: ${{ tasks.greet.status == 'SUCCEEDED' }}
                  outputs: {said: "result.x"}
            """);
    assertThat(m.name()).isEqualTo("build");
    assertThat(m.version()).isEqualTo("1.2");
    assertThat(m.region()).contains("eu-west-1");
    assertThat(m.risk()).isEqualTo(Risk.MEDIUM);
    assertThat(m.labels()).containsEntry("team", "core");
    assertThat(m.tasks()).hasSize(2);
    TaskSpec greet = m.tasks().getFirst();
    assertThat(greet.retry().max()).isEqualTo(3);
    assertThat(greet.retry().backoff()).isEqualTo(Duration.ofSeconds(2));
    assertThat(greet.retry().on()).containsExactlyInAnyOrder(ErrorKind.USER, ErrorKind.PLATFORM);
    assertThat(greet.timeout()).contains(Duration.ofMinutes(1));
    assertThat(m.tasks().get(1).needs()).containsExactly("greet");
    assertThat(m.tasks().get(1).condition()).isPresent();
  }

  @Test
  void load_acceptsTheSeedMinimalForm() {
    Manifest m =
        loader.load(
            """
            {"name": "seed", "version": 1, "region": "us-east-1",
             "tasks": [{"id": "a", "uses": "core/noop", "with": {"x": 1}}]}
            """);
    assertThat(m.name()).isEqualTo("seed");
    assertThat(m.version()).isEqualTo("1");
    assertThat(m.canonical().path("apiVersion").asText()).isEqualTo("maestro/v1");
    assertThat(m.tasks().getFirst().with().path("x").asInt()).isEqualTo(1);
  }

  @Test
  void digest_isTheSameForYamlAndJsonOfOneManifest() {
    Manifest yaml =
        loader.load(
            """
            apiVersion: maestro/v1
            kind: Workflow
            metadata: {name: d, version: "1"}
            spec:
              tasks: [{id: a, uses: core/noop}]
            """);
    Manifest json =
        loader.load(
            """
            {"spec": {"tasks": [{"uses": "core/noop", "id": "a"}]},
             "kind": "Workflow", "apiVersion": "maestro/v1", "metadata": {"version": "1", "name": "d"}}
            """);
    assertThat(ManifestDigest.of(yaml)).isEqualTo(ManifestDigest.of(json)).startsWith("sha256:");
  }

  @Test
  void load_reportsEveryProblemWithPathAndLineColumn() {
    List<ManifestProblem> p =
        problems(
            """
            apiVersion: maestro/v1
            kind: Workflow
            metadata:
              name: broken
              version: "1"
            spec:
              inputs:
                type: object
                properties:
                  name: {type: string}
              tasks:
                - id: a
                  uses: core/nope
                - id: a
                  uses: core/noop
                - id: b
                  uses: core/noop
                  needs: [ghost]
                - id: c
                  uses: core/log
                  with: {message: "${{ inputs.missing }} ${{ tasks.b.outputs.x }}"}
                - id: d
                  uses: core/noop
                  with: {x: "${{ 1 + }}"}
                  colour: red
            """);
    assertThat(p)
        .extracting(ManifestProblem::path)
        .contains(
            "spec.tasks[0].uses",
            "spec.tasks[1].id",
            "spec.tasks[2].needs[0]",
            "spec.tasks[3].with.message",
            "spec.tasks[4].with.x",
            "spec.tasks[4].colour");
    assertThat(p).hasSizeGreaterThanOrEqualTo(7);
    ManifestProblem unknownUses =
        p.stream().filter(x -> x.path().equals("spec.tasks[0].uses")).findFirst().orElseThrow();
    assertThat(unknownUses.position()).contains(new SourcePosition(13, 7));
    assertThat(unknownUses.message()).contains("unknown task type 'core/nope'");
    assertThat(p)
        .extracting(ManifestProblem::message)
        .anySatisfy(m -> assertThat(m).contains("undeclared input 'missing'"))
        .anySatisfy(m -> assertThat(m).contains("task 'b', which is not upstream"))
        .anySatisfy(m -> assertThat(m).contains("duplicate task id 'a'"))
        .anySatisfy(m -> assertThat(m).contains("needs unknown task 'ghost'"))
        .anySatisfy(m -> assertThat(m).contains("invalid expression"));
  }

  @Test
  void load_reportsCyclesInNeeds() {
    List<ManifestProblem> p =
        problems(
            """
            apiVersion: maestro/v1
            kind: Workflow
            metadata: {name: cyc, version: "1"}
            spec:
              tasks:
                - {id: a, uses: core/noop, needs: [c]}
                - {id: b, uses: core/noop, needs: [a]}
                - {id: c, uses: core/noop, needs: [b]}
            """);
    assertThat(p).hasSize(1);
    assertThat(p.getFirst().message()).startsWith("cycle in needs: ").contains("a", "b", "c");
    assertThat(p.getFirst().position()).isPresent();
  }

  /** Regression: a 5,000-task cycle overflowed the recursive search (a 500 over HTTP). */
  @Test
  void load_reportsALongCycleWithoutOverflowingTheStack() {
    int n = 5000;
    ManifestLoader big = new ManifestLoader(types(), new Expressions(), n);
    StringBuilder json = new StringBuilder("{\"name\":\"long\",\"version\":\"1\",\"tasks\":[");
    for (int i = 0; i < n; i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"id\":\"t")
          .append(i)
          .append("\",\"uses\":\"core/noop\",\"needs\":[\"t")
          .append((i + 1) % n)
          .append("\"]}");
    }
    json.append("]}");
    try {
      big.load(json.toString());
      throw new AssertionError("expected the cycle to be reported");
    } catch (ManifestException e) {
      assertThat(e.code()).isEqualTo(EngineErrors.MANIFEST_INVALID);
      assertThat(e.problems()).hasSize(1);
      assertThat(e.problems().getFirst().message()).startsWith("cycle in needs: t0 -> t1 -> ");
    }
  }

  @Test
  void load_refusesMoreTasksThanTheLimitWithItsOwnCode() {
    ManifestLoader small = new ManifestLoader(types(), new Expressions(), 2);
    assertThatThrownBy(
            () ->
                small.load(
                    "{\"name\":\"w\",\"version\":\"1\",\"tasks\":["
                        + "{\"id\":\"a\",\"uses\":\"core/noop\"},"
                        + "{\"id\":\"b\",\"uses\":\"core/noop\"},"
                        + "{\"id\":\"c\",\"uses\":\"core/noop\"}]}"))
        .isInstanceOfSatisfying(
            ManifestException.class,
            e -> {
              assertThat(e.code()).isEqualTo(EngineErrors.MANIFEST_TOO_MANY_TASKS);
              assertThat(e.problems().getFirst().message()).contains("at most 2 tasks");
            });
  }

  @Test
  void load_stillFindsReferencesToTasksThatAreNotUpstream() {
    List<ManifestProblem> p =
        problems(
            """
            apiVersion: maestro/v1
            kind: Workflow
            metadata: {name: refs, version: "1"}
            spec:
              tasks:
                - {id: a, uses: core/noop}
                - {id: b, uses: core/noop, needs: [a]}
                - {id: c, uses: core/noop, needs: [b], with: {x: "${{ tasks.a.outputs }}"}}
                - {id: d, uses: core/noop, with: {x: "${{ tasks.a.outputs }}"}}
            """);
    assertThat(p).hasSize(1);
    assertThat(p.getFirst().path()).isEqualTo("spec.tasks[3].with.x");
    assertThat(p.getFirst().message()).contains("not upstream");
  }

  /** Regression: a second YAML document was silently ignored. */
  @Test
  void load_rejectsASecondYamlDocumentWithItsPosition() {
    List<ManifestProblem> p =
        problems(
            """
            name: w
            version: "1"
            tasks: [{id: a, uses: core/noop}]
            ---
            name: other
            """);
    assertThat(p)
        .singleElement()
        .satisfies(x -> assertThat(x.message()).contains("second YAML document"));
    assertThat(p.getFirst().position())
        .hasValueSatisfying(pos -> assertThat(pos.line()).isEqualTo(5));
  }

  /** Regression: an alias was stored as its anchor's name. */
  @Test
  void load_rejectsYamlAliasesWithTheirPosition() {
    List<ManifestProblem> p =
        problems(
            """
            name: w
            version: "1"
            labels: {team: &t core, owner: *t}
            tasks: [{id: a, uses: core/noop}]
            """);
    assertThat(p).singleElement().satisfies(x -> assertThat(x.message()).contains("aliases"));
    assertThat(p.getFirst().position())
        .hasValueSatisfying(pos -> assertThat(pos.line()).isEqualTo(3));
  }

  /** Regression: a value with an unknown tag was stored as plain data. */
  @Test
  void load_rejectsUnknownYamlTagsWithTheirPosition() {
    List<ManifestProblem> p =
        problems(
            """
            name: w
            version: "1"
            labels: {team: !secret core}
            tasks: [{id: a, uses: core/noop}]
            """);
    assertThat(p)
        .singleElement()
        .satisfies(x -> assertThat(x.message()).contains("unknown YAML tag 'secret'"));
    assertThat(p.getFirst().position())
        .hasValueSatisfying(pos -> assertThat(pos.line()).isEqualTo(3));
    assertThat(
            loader.load("name: w\nversion: !!str 1\ntasks: [{id: a, uses: core/noop}]\n").version())
        .isEqualTo("1");
  }

  /** Regression: bytes that are not UTF-8 were decoded into replacement characters and stored. */
  @Test
  void utf8_rejectsInvalidBytesWithTheirLineAndColumn() {
    byte[] text =
        "name: w\nversion: \"1\"\nlabels: {team: cXre}\n".getBytes(StandardCharsets.UTF_8);
    text[37] = (byte) 0xC3; // a lead byte followed by an ASCII letter
    assertThatThrownBy(() -> SourceTree.utf8(text))
        .isInstanceOfSatisfying(
            ManifestException.class,
            e -> {
              assertThat(e.problems().getFirst().message()).contains("not valid UTF-8");
              assertThat(e.problems().getFirst().position()).hasValue(new SourcePosition(3, 17));
            });
  }

  /** Regression: duplicate keys in a manifest were accepted, the last one winning. */
  @Test
  void load_rejectsDuplicateKeysInJsonAndYaml() {
    assertThat(
            problems(
                "{\"name\":\"w\",\"name\":\"x\",\"version\":\"1\",\"tasks\":[{\"id\":\"a\",\"uses\":\"core/noop\"}]}"))
        .singleElement()
        .satisfies(x -> assertThat(x.message()).contains("duplicate key 'name'"));
    assertThat(problems("name: w\nname: x\nversion: \"1\"\ntasks: [{id: a, uses: core/noop}]\n"))
        .singleElement()
        .satisfies(x -> assertThat(x.message()).contains("duplicate key 'name'"));
  }

  @Test
  void load_rejectsNulCharacters() {
    assertThat(
            problems(
                "{\"name\":\"w\",\"version\":\"1\",\"tasks\":[{\"id\":\"a\\u0000\",\"uses\":\"core/noop\"}]}"))
        .singleElement()
        .satisfies(x -> assertThat(x.message()).contains("NUL"));
  }

  @Test
  void load_reportsMalformedYamlWithItsPosition() {
    List<ManifestProblem> p = problems("apiVersion: maestro/v1\nkind: [unclosed\n");
    assertThat(p).hasSize(1);
    assertThat(p.getFirst().message()).startsWith("not well-formed");
    assertThat(p.getFirst().position()).isPresent();
  }

  @Test
  void load_checksTaskParametersPerType() {
    List<ManifestProblem> p =
        problems(
            """
            apiVersion: maestro/v1
            kind: Workflow
            metadata: {name: params, version: "1"}
            spec:
              tasks:
                - {id: w, uses: core/wait, with: {duration: forever}}
                - {id: l, uses: core/log}
            """);
    assertThat(p)
        .extracting(ManifestProblem::path)
        .containsExactlyInAnyOrder("spec.tasks[0].with.duration", "spec.tasks[1].with");
  }

  @Test
  void load_rejectsWrongApiVersionAndMissingNames() {
    List<ManifestProblem> p =
        problems(
            """
            apiVersion: maestro/v9
            kind: Workflow
            metadata: {}
            spec: {tasks: [{id: a, uses: core/noop}]}
            """);
    assertThat(p)
        .extracting(ManifestProblem::path)
        .contains("apiVersion", "metadata.name", "metadata.version");
  }

  @Test
  void retryPolicy_backoffGrowsExponentiallyWithJitterAndCap() {
    RetryPolicy r = new RetryPolicy(5, Duration.ofSeconds(1), java.util.Set.of(ErrorKind.PLATFORM));
    var random = new java.util.SplittableRandom(7);
    for (int attempt = 1; attempt <= 4; attempt++) {
      long full = 1000L << (attempt - 1);
      Duration d = r.delayAfter(attempt, random::nextLong);
      assertThat(d.toMillis()).isBetween(full / 2, full);
    }
    assertThat(r.delayAfter(40, random::nextLong)).isLessThanOrEqualTo(RetryPolicy.MAX_DELAY);
    assertThat(r.retries(5, ErrorKind.PLATFORM)).isTrue();
    assertThat(r.retries(6, ErrorKind.PLATFORM)).isFalse();
    assertThat(r.retries(1, ErrorKind.USER)).isFalse();
  }

  @Test
  void durations_parseShortAndIsoForms() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse("PT30S")).isEqualTo(Duration.ofSeconds(30));
    assertThatThrownBy(() -> Durations.parse("soon")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void load_keepsSchedulesInTheCanonicalForm_andChecksTheirShape() {
    Manifest m =
        loader.load(
            """
            apiVersion: maestro/v1
            kind: Workflow
            metadata: {name: nightly, version: "1"}
            spec:
              schedules:
                - {id: nightly-a, cron: "0 2 * * *", timeZone: Europe/Berlin}
              tasks: [{id: a, uses: core/noop}]
            """);
    assertThat(m.canonical().path("spec").path("schedules").get(0).path("cron").asText())
        .isEqualTo("0 2 * * *");
    List<ManifestProblem> p =
        problems(
            """
            apiVersion: maestro/v1
            kind: Workflow
            metadata: {name: nightly, version: "1"}
            spec:
              schedules:
                - {id: a, cron: "0 2 * * *", every: 5m}
                - {id: a}
                - nope
              tasks: [{id: a, uses: core/noop}]
            """);
    assertThat(p)
        .extracting(ManifestProblem::path)
        .contains(
            "spec.schedules[0].every",
            "spec.schedules[1].id",
            "spec.schedules[1].cron",
            "spec.schedules[2]");
  }

  @Test
  void load_readsOnFailureAndKnowsTheCompensationTasks() {
    Manifest m =
        loader.load(
            """
            apiVersion: maestro/v1
            kind: Workflow
            metadata: {name: saga, version: "1"}
            spec:
              tasks:
                - {id: reserve, uses: core/noop}
                - {id: charge, uses: core/noop, needs: [reserve], onFailure: [release, notify]}
                - {id: release, uses: core/noop, needs: [reserve]}
                - {id: notify, uses: core/noop, needs: [release]}
                - {id: undo, uses: core/noop}
                - {id: other, uses: core/noop, onFailure: undo}
            """);
    assertThat(m.task("charge").orElseThrow().onFailure()).containsExactly("release", "notify");
    assertThat(m.task("other").orElseThrow().onFailure()).containsExactly("undo");
    assertThat(m.compensationTasks()).containsExactlyInAnyOrder("release", "notify", "undo");
    assertThat(m.canonical().path("spec").path("tasks").get(1).path("onFailure").size())
        .isEqualTo(2);
  }

  @Test
  void load_refusesOnFailureThatCannotWork() {
    List<ManifestProblem> p =
        problems(
            """
            apiVersion: maestro/v1
            kind: Workflow
            metadata: {name: saga, version: "1"}
            spec:
              tasks:
                - {id: a, uses: core/noop, onFailure: [ghost, notify]}
                - {id: b, uses: core/noop, needs: [undo]}
                - {id: c, uses: core/noop, onFailure: [c]}
                - {id: d, uses: core/noop, onFailure: [undo]}
                - {id: undo, uses: core/noop, onFailure: [release]}
                - {id: release, uses: core/noop}
                - {id: notify, uses: core/noop, needs: [release], onFailure: 7}
                - {id: e, uses: core/noop, onFailure: [release, 3]}
            """);
    assertThat(p)
        .extracting(ManifestProblem::path, ManifestProblem::message)
        .containsExactlyInAnyOrder(
            tuple("spec.tasks[6].onFailure", "onFailure must be a task id or a list of task ids"),
            tuple("spec.tasks[7].onFailure[1]", "onFailure lists task ids"),
            tuple("spec.tasks[0].onFailure[0]", "onFailure names unknown task 'ghost'"),
            tuple(
                "spec.tasks[0].onFailure[1]",
                "compensation task 'notify' needs compensation task 'release': name it in this"
                    + " onFailure too"),
            tuple(
                "spec.tasks[1].needs[0]",
                "needs compensation task 'undo', which runs only when a task fails (see"
                    + " onFailure)"),
            tuple("spec.tasks[2].onFailure[0]", "task 'c' names itself in onFailure"),
            tuple(
                "spec.tasks[4].onFailure",
                "compensation task 'undo' cannot declare onFailure: it runs only when another"
                    + " task fails"));
  }
}
