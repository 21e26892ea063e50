package io.maestro.policy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.core.Decision;
import io.maestro.policy.DecisionLog;
import io.maestro.policy.DecisionPoint;
import io.maestro.policy.PdpSettings;
import java.time.Clock;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * One decision of the decision point on the canon {@code maestro.authz}, with a realistic input
 * (the seed 003 §8 contract, extended: actor with ABAC attributes, tenant with quota, usage and
 * regions, resource, request, plan, an approval), including everything {@code decide} does: input
 * defaults, the input digest, evaluation, the mask rule and the decision log write.
 *
 * <p>Run: {@code ./mvnw -pl policy test-compile} then {@code java -cp <test classpath>
 * io.maestro.policy.bench.DecisionBenchmark} (see policy/README.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class DecisionBenchmark {
  /** allow: a permitted low-risk run; deny: a high-risk production run without approval. */
  @Param({"allow", "deny"})
  public String scenario;

  private DecisionPoint pdp;
  private JsonNode input;
  private io.maestro.rego.value.Value regoInput;

  static final String ALLOW =
      """
      {
        "action": "workflow.run",
        "actor": {"sub": "ops@acme.example", "roles": ["operator", "workflow_author"], "tenant": "acme",
                  "attributes": {"environment": "prod", "region": "US", "business_unit": "payments",
                                 "data_sensitivity": "confidential"}},
        "tenant": {"id": "acme", "profile": "internal-default", "regions": ["US", "EU"],
                   "quota": {"maxConcurrent": 25, "maxStepsPerMinute": 600},
                   "budget": {"dailyMaxUSD": 500},
                   "usage": {"concurrentRuns": 7, "stepsLastMinute": 120}},
        "resource": {"type": "workflow", "id": "wf_0192a", "tenant": "acme",
                     "attributes": {"environment": "prod", "region": "US", "risk_profile": "high",
                                    "business_unit": "payments", "data_sensitivity": "internal"}},
        "request": {"resourceClass": "medium", "region": "US", "parameters": {"batch": 42}},
        "plan": {"estimatedCostUSD": 3.27, "steps": 12},
        "approvals": [{"by": "rev@acme.example", "role": "workflow_reviewer"}]
      }
      """;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    pdp =
        DecisionPoint.startCanon(
            PdpSettings.defaults(), Clock.systemUTC(), new SplittableRandom(42), DecisionLog.NONE);
    String json =
        scenario.equals("allow")
            ? ALLOW
            : ALLOW.replace(
                "\"approvals\": [{\"by\": \"rev@acme.example\", \"role\": \"workflow_reviewer\"}]",
                "\"approvals\": []");
    input = new ObjectMapper().readTree(json);
    com.fasterxml.jackson.databind.node.ObjectNode withProfiles =
        (com.fasterxml.jackson.databind.node.ObjectNode) input.deepCopy();
    withProfiles.putObject("platform").put("profile", "conductor-governance-internal");
    regoInput = io.maestro.rego.value.Value.fromJson(withProfiles);
    Decision d = pdp.decide(input);
    if (d.allow() != scenario.equals("allow") || d.failedClosed()) {
      throw new IllegalStateException("unexpected decision for " + scenario + ": " + d);
    }
  }

  @Benchmark
  public Decision decide() {
    return pdp.decide(input);
  }

  /** The engine alone on an already converted input: what decide adds is the difference. */
  @Benchmark
  public io.maestro.rego.value.Value evaluateOnly() {
    return pdp.active()
        .policy()
        .evalRef("data.maestro.authz.decision", regoInput, io.maestro.rego.EvalOptions.defaults());
  }

  public static void main(String[] args) throws Exception {
    new Runner(
            new OptionsBuilder()
                .include(DecisionBenchmark.class.getSimpleName())
                .threads(args.length > 0 ? Integer.parseInt(args[0]) : 1)
                .build())
        .run();
  }
}
