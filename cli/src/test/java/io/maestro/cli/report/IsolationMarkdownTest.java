package io.maestro.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.server.isolation.IsolationProbes;
import io.maestro.server.isolation.IsolationProbes.Answer;
import io.maestro.server.isolation.IsolationProbes.Operation;
import io.maestro.server.isolation.IsolationProbes.Probe;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IsolationMarkdownTest {
  @Test
  void aLeak_failsTheReportAndIsListed() {
    Operation op = new Operation("GET", "/api/runs/{id}");
    IsolationProbes.Target t =
        new IsolationProbes.Target(
            "v", "m@v", "web", Optional.of("run_1"), Optional.empty(), Optional.empty());
    Probe p = IsolationProbes.probes(List.of(op), t).get(0);
    Answer leaked = new Answer(200, "", List.of(), "{\"inputs\":\"s3cret\"}");
    IsolationRun.Attempt a =
        new IsolationRun.Attempt(
            p,
            leaked,
            Optional.empty(),
            IsolationProbes.judge(p, leaked, Optional.empty(), List.of("s3cret"), true));
    IsolationRun.Result r =
        new IsolationRun.Result(
            "v",
            "a",
            List.of("run run_1"),
            List.of(op),
            List.of(a),
            List.of(new IsolationRun.Anonymous(op, 200)));
    assertThat(r.leaks()).hasSize(2);
    String md = IsolationMarkdown.render("http://x", Instant.EPOCH, r);
    assertThat(md)
        .contains("- Result: **FAIL**, 2 leak(s)")
        .contains("| cross-tenant attempts (naming the victim or its resources) | 1 |")
        .contains("reveals the victim's data (s3cret)")
        .contains("answered 200 without a token")
        .contains("| `GET /api/runs/{id}` | no | 200 |  |  | **LEAK** |");
  }
}
