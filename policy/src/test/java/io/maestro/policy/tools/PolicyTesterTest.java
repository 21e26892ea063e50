package io.maestro.policy.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.rego.RegoException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyTesterTest {
  @TempDir Path dir;

  static final String POLICY =
      """
      package demo

      default allow := false

      allow if input.role == "admin"
      """;

  static final String TESTS =
      """
      package demo_test

      import data.demo

      test_admin_allowed if demo.allow with input as {"role": "admin"}

      test_guest_denied if not demo.allow with input as {"role": "guest"}

      test_wrong_expectation if demo.allow with input as {"role": "guest"}

      test_error if 1 / 0 == 1

      todo_later if false

      test_uses_data if data.demo.limits.max == 3
      """;

  private PolicySources sources() throws Exception {
    Files.createDirectories(dir.resolve("demo/limits"));
    Files.writeString(dir.resolve("demo/policy.rego"), POLICY);
    Files.writeString(dir.resolve("demo/policy_test.rego"), TESTS);
    Files.writeString(dir.resolve("demo/limits/data.json"), "{\"max\": 3}");
    return PolicySources.load(List.of(dir));
  }

  @Test
  void run_reportsPassFailErrorAndSkip() throws Exception {
    PolicyTester.Report r = PolicyTester.run(sources(), PolicyTester.Options.defaults());

    assertThat(r.results())
        .extracting(PolicyTester.Result::name, PolicyTester.Result::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "data.demo_test.test_admin_allowed", PolicyTester.Status.PASS),
            org.assertj.core.groups.Tuple.tuple(
                "data.demo_test.test_guest_denied", PolicyTester.Status.PASS),
            org.assertj.core.groups.Tuple.tuple(
                "data.demo_test.test_wrong_expectation", PolicyTester.Status.FAIL),
            org.assertj.core.groups.Tuple.tuple(
                "data.demo_test.test_error", PolicyTester.Status.FAIL),
            org.assertj.core.groups.Tuple.tuple(
                "data.demo_test.todo_later", PolicyTester.Status.SKIP),
            org.assertj.core.groups.Tuple.tuple(
                "data.demo_test.test_uses_data", PolicyTester.Status.PASS));
    assertThat(r.passed()).isFalse();
  }

  @Test
  void run_filtersByRegex() throws Exception {
    PolicyTester.Report r =
        PolicyTester.run(sources(), PolicyTester.Options.defaults().withRun("guest|data$"));
    assertThat(r.results())
        .extracting(PolicyTester.Result::name)
        .containsExactly("data.demo_test.test_guest_denied", "data.demo_test.test_uses_data");
    assertThat(r.passed()).isTrue();
  }

  @Test
  void pretty_printsFailuresAndCountsLikeOpa() throws Exception {
    StringWriter out = new StringWriter();
    TestReportWriter.pretty(
        PolicyTester.run(sources(), PolicyTester.Options.defaults()), false, new PrintWriter(out));

    assertThat(out.toString())
        .contains(dir.resolve("demo/policy_test.rego") + ":\n")
        .contains("data.demo_test.test_wrong_expectation: FAIL (")
        .contains("PASS: 3/6\nFAIL: 2/6\nSKIPPED: 1/6\n")
        .doesNotContain("test_admin_allowed");
  }

  @Test
  void verbose_printsEveryTest() throws Exception {
    StringWriter out = new StringWriter();
    TestReportWriter.pretty(
        PolicyTester.run(sources(), PolicyTester.Options.defaults()), true, new PrintWriter(out));
    assertThat(out.toString())
        .contains("data.demo_test.test_admin_allowed: PASS (")
        .contains("data.demo_test.todo_later: SKIPPED");
  }

  @Test
  void json_hasOpaFields() throws Exception {
    String json =
        TestReportWriter.json(PolicyTester.run(sources(), PolicyTester.Options.defaults()));
    assertThat(json)
        .contains("\"package\" : \"data.demo_test\"", "\"fail\" : true", "\"skip\" : true");
  }

  @Test
  void compileError_carriesFileLineAndColumn() throws Exception {
    Files.writeString(dir.resolve("bad.rego"), "package bad\n\nallow if {\n  x ==\n}\n");
    PolicySources src = PolicySources.load(List.of(dir.resolve("bad.rego")));
    assertThatThrownBy(() -> PolicyTester.run(src, PolicyTester.Options.defaults()))
        .isInstanceOf(RegoException.class)
        .satisfies(
            e -> {
              RegoException re = (RegoException) e;
              assertThat(re.location().file()).endsWith("bad.rego");
              assertThat(re.location().line()).isGreaterThan(1);
            });
  }

  @Test
  void coverage_listsOnlyPolicyFiles() throws Exception {
    PolicyTester.Report r =
        PolicyTester.run(sources(), PolicyTester.Options.defaults().withCoverage(true));
    Coverage.Report c = r.coverage().orElseThrow();
    assertThat(c.files())
        .extracting(Coverage.FileCoverage::file)
        .containsExactly(dir.resolve("demo/policy.rego").toString());
    // Body expressions and the heads of rules with a body are coverable; the default is not.
    Coverage.FileCoverage f = c.files().get(0);
    assertThat(f.covered()).containsExactly(5);
    assertThat(f.notCovered()).isEmpty();
  }
}
