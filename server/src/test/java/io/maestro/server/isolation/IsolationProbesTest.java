package io.maestro.server.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.server.isolation.IsolationProbes.Answer;
import io.maestro.server.isolation.IsolationProbes.Operation;
import io.maestro.server.isolation.IsolationProbes.Probe;
import io.maestro.server.isolation.IsolationProbes.Target;
import io.maestro.server.openapi.OpenApiService;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IsolationProbesTest {
  static final Target T =
      new Target(
          "alpha", "m@alpha", "web", Optional.of("run_1"), Optional.empty(), Optional.empty());

  static Probe probe(String method, String path, boolean naming) {
    return IsolationProbes.probes(List.of(new Operation(method, path)), T).get(naming ? 1 : 0);
  }

  @Test
  void governed_isEveryDocumentedOperationButThePublicOnes() {
    List<Operation> ops = IsolationProbes.governed(OpenApiService.load());
    assertThat(ops)
        .contains(
            new Operation("POST", "/api/residency/audit"),
            new Operation("GET", "/api/runs/{id}/disclosure"))
        .doesNotContain(new Operation("GET", "/openapi.json"));
  }

  @Test
  void probes_aimAtTheVictimsIds_andTheirTwinsAtMissingOnes() {
    Probe p = probe("GET", "/api/runs/{id}", true);
    assertThat(p.path()).isEqualTo("/api/runs/run_1?tenant=alpha");
    assertThat(p.headers()).containsEntry("X-Maestro-Tenant", "alpha");
    assertThat(p.twinPath()).startsWith("/api/runs/run_0000").endsWith("?tenant=zulu");
    assertThat(p.compareTwin()).isTrue();
    assertThat(probe("POST", "/api/runs", false).body())
        .get()
        .extracting(b -> b.get("tenant"))
        .isEqualTo("alpha");
    assertThat(probe("GET", "/api/runs", false).body()).isEmpty();
  }

  @Test
  void judge_namesMarkersExistenceLeaksUnrefusedNamingAndServerErrors() {
    Probe byId = probe("GET", "/api/runs/{id}", false);
    Answer clean = new Answer(404, "not_found", List.of(), "{}");
    assertThat(IsolationProbes.judge(byId, clean, Optional.of(clean), List.of("s3cret"), true))
        .isEmpty();
    Answer leak = new Answer(200, "", List.of(), "{\"inputs\":\"s3cret\"}");
    assertThat(IsolationProbes.judge(byId, leak, Optional.empty(), List.of("s3cret"), true))
        .singleElement()
        .asString()
        .contains("reveals the victim's data (s3cret)");
    Answer forbidden = new Answer(403, "policy_denied", List.of("tenant_mismatch"), "{}");
    assertThat(IsolationProbes.judge(byId, forbidden, Optional.of(clean), List.of(), true))
        .singleElement()
        .asString()
        .contains("reveals existence");
    Probe naming = probe("GET", "/api/runs", true);
    Answer ok = new Answer(200, "", List.of(), "{\"runs\":[]}");
    assertThat(IsolationProbes.judge(naming, ok, Optional.empty(), List.of(), true))
        .singleElement()
        .asString()
        .contains("not refused");
    assertThat(
            IsolationProbes.judge(
                byId,
                new Answer(500, "internal", List.of(), "x"),
                Optional.empty(),
                List.of(),
                true))
        .singleElement()
        .asString()
        .contains("server error 500");
  }
}
