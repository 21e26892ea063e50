package io.maestro.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.engine.run.StartRun;
import io.maestro.engine.task.Secrets;
import io.maestro.engine.task.builtin.CoreExecutors;
import io.maestro.engine.task.builtin.HttpSettings;
import io.maestro.engine.worker.WorkerSettings;
import io.maestro.store.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** Builds engines on a test database and drives runs the way the API does. */
public final class EngineHarness {
  public static final TenantId ACME = TenantId.of("acme");

  /** Alice's decisions carry reasons and a bundle revision, as the server's gate passes them. */
  public static final Authorization AUTHOR =
      new Authorization(
          auth("alice", "workflow_author", "operator").actor(),
          new Decision(
              "dec_alice",
              true,
              List.of(new Decision.Reason("rbac_granted", "authors may start runs")),
              List.of(JsonNodeFactory.instance.objectNode().put("type", "enhanced_audit")),
              "canon-r7",
              "sha256:" + "a".repeat(64),
              "maestro/authz/decision",
              Instant.parse("2026-12-01T10:00:00Z")));

  public static final Authorization APPROVER = auth("bob", "operator");
  public static final Authorization APPROVER_2 = auth("carol", "operator");

  private EngineHarness() {}

  public static Authorization auth(String subject, String... roles) {
    return new Authorization(
        new Actor(subject, Optional.of(ACME), List.of(roles), Map.of(), "test"),
        new Decision(
            "dec_" + subject,
            true,
            List.of(),
            List.of(),
            "canon-r7",
            "sha256:" + "b".repeat(64),
            "maestro/authz/decision",
            Instant.parse("2026-12-01T10:00:00Z")));
  }

  public static WorkerSettings fastWorkers() {
    return new WorkerSettings(16, 16, Duration.ofSeconds(5), Duration.ofMillis(200));
  }

  public static Engine.Builder builder(Database db, RecordingReceipts receipts) {
    return CoreExecutors.register(
            Engine.builder(db).receipts(receipts).workers(fastWorkers()),
            HttpSettings.allow(List.of("127.0.0.1")),
            Secrets.of(Map.of("api_token", "s3cr3t-value")))
        .random(new java.util.SplittableRandom(42)::nextLong);
  }

  public static void publish(Engine engine, String yaml) {
    var m = engine.registry().validate(yaml);
    engine.registry().saveDraft(AUTHOR, ACME, m.name(), m.version(), yaml);
    engine.registry().publish(AUTHOR, ACME, m.name(), m.version());
  }

  public static String start(Engine engine, String workflow, Map<String, Object> inputs) {
    return engine.startRun().handle(StartRun.of(ACME, workflow, inputs, AUTHOR)).runId();
  }

  /** Polls until the run satisfies {@code done} (bounded: 20 s), then returns it. */
  public static RunView await(Engine engine, String runId, Predicate<RunView> done) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      RunView r = engine.runs().get(ACME, runId).orElseThrow();
      if (done.test(r)) {
        return r;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("run did not get there in time: " + r);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  public static RunView awaitEnd(Engine engine, String runId) {
    RunView r = await(engine, runId, x -> x.status().terminal());
    assertThat(r.status().terminal()).isTrue();
    return r;
  }
}
