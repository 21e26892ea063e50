package io.maestro.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.policy.tools.PolicyDocs;
import io.maestro.policy.tools.PolicySources;
import io.maestro.policy.tools.PolicyTester;
import io.maestro.policy.tools.TestReportWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The canon packs' own Rego tests, their annotated examples and their committed docs. */
class CanonPacksTest {
  private PolicySources sources;

  @BeforeEach
  void load() {
    Canon.assumeEngineRunsCanonPacks();
    sources = PolicySources.load(List.of(Canon.POLICIES));
  }

  @Test
  void regoTests_allPass() {
    PolicyTester.Report r =
        PolicyTester.run(sources, PolicyTester.Options.defaults().withCoverage(true));
    StringWriter out = new StringWriter();
    TestReportWriter.pretty(r, false, new PrintWriter(out));

    assertThat(r.passed()).as(out.toString()).isTrue();
    assertThat(r.count(PolicyTester.Status.PASS)).isGreaterThanOrEqualTo(70);
    r.coverage()
        .filter(c -> c.engineReportsEvents())
        .ifPresent(c -> assertThat(c.percent()).as(out.toString()).isGreaterThanOrEqualTo(90.0));
  }

  @Test
  void annotatedExamples_allHold() {
    PolicyDocs.Result docs = PolicyDocs.generate(sources);
    assertThat(docs.examplesRun()).isGreaterThanOrEqualTo(10);
    assertThat(docs.failures()).isEmpty();
  }

  @Test
  void committedDocs_areCurrent() {
    PolicyDocs.Result docs = PolicyDocs.generate(sources);
    assertThat(PolicyDocs.stale(docs, Canon.DOCS))
        .as("docs/policies is stale: run `maestro policy docs policies -o docs/policies`")
        .isEmpty();
  }
}
