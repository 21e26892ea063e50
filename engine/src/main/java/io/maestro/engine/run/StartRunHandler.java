package io.maestro.engine.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Ids;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.EngineErrors;
import io.maestro.engine.JsonText;
import io.maestro.engine.RunStatus;
import io.maestro.engine.RunView;
import io.maestro.engine.StepStatus;
import io.maestro.engine.StepView;
import io.maestro.engine.internal.Advancer;
import io.maestro.engine.internal.InputsValidator;
import io.maestro.engine.internal.ReceiptWriter;
import io.maestro.engine.internal.RunStore;
import io.maestro.engine.manifest.ManifestDigest;
import io.maestro.engine.manifest.TaskSpec;
import io.maestro.engine.registry.PublishedWorkflow;
import io.maestro.engine.registry.WorkflowRegistry;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Starts runs. One transaction creates the run (PENDING), its steps, the receipt naming the
 * admission decision, and the queue rows of the steps that can start at once; workers are woken
 * when it commits. An idempotency key makes a retried request return the first run.
 */
public final class StartRunHandler {
  private final Database db;
  private final WorkflowRegistry registry;
  private final RunStore runs;
  private final Advancer advancer;
  private final ReceiptWriter receipts;
  private final InputsValidator inputs;
  private final Ids ids;
  private final Clock clock;

  public StartRunHandler(
      Database db,
      WorkflowRegistry registry,
      RunStore runs,
      Advancer advancer,
      ReceiptWriter receipts,
      InputsValidator inputs,
      Ids ids,
      Clock clock) {
    this.db = db;
    this.registry = registry;
    this.runs = runs;
    this.advancer = advancer;
    this.receipts = receipts;
    this.inputs = inputs;
    this.ids = ids;
    this.clock = clock;
  }

  public StartRun.Started handle(StartRun cmd) {
    return receipts.inTransaction(db, TenantScope.of(cmd.tenant()), tx -> handle(tx, cmd));
  }

  /** Starts a run inside an existing transaction (child runs start in their parent's). */
  public StartRun.Started handle(Tx tx, StartRun cmd) {
    String requestDigest = requestDigest(cmd);
    if (cmd.idempotencyKey().isPresent()) {
      Optional<StartRun.Started> prior = prior(tx, cmd, requestDigest);
      if (prior.isPresent()) {
        return prior.get();
      }
    }
    PublishedWorkflow wf = registry.resolve(tx, cmd.tenant(), cmd.workflow(), cmd.version());
    ObjectNode in = inputs.validate(wf.manifest().inputs(), cmd.inputs());
    Instant now = clock.instant();
    String runId = ids.next("run");
    String subject = cmd.authorization().actor().subject();
    boolean inserted =
        runs.insertRun(
            tx,
            new RunStore.NewRun(
                cmd.tenant(),
                runId,
                wf.name(),
                wf.version(),
                wf.digest(),
                in,
                subject,
                cmd.authorization().decision(),
                cmd.idempotencyKey(),
                Optional.of(requestDigest),
                cmd.parent(),
                now,
                cmd.trigger()));
    if (!inserted) {
      // Another request with the same key committed between our check and our insert.
      return prior(tx, cmd, requestDigest)
          .orElseThrow(() -> new IllegalStateException("run insert refused without a key holder"));
    }
    List<TaskSpec> tasks = wf.manifest().tasks();
    for (int i = 0; i < tasks.size(); i++) {
      TaskSpec t = tasks.get(i);
      runs.insertStep(
          tx,
          cmd.tenant(),
          runId,
          new StepView(
              t.id(),
              i,
              t.uses(),
              StepStatus.PENDING,
              0,
              0,
              0,
              JsonText.tree(null),
              JsonText.tree(null),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty()));
    }
    receipts.stored(
        tx,
        cmd.tenant(),
        runId,
        runId + "/inputs",
        in.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    ObjectNode payload =
        JsonText.object()
            .put("workflow", wf.name())
            .put("version", wf.version())
            .put("digest", wf.digest())
            .put("inputsDigest", ManifestDigest.of(in))
            .put("trigger", cmd.trigger());
    cmd.parent().ifPresent(p -> payload.put("parentRun", p.runId()).put("parentStep", p.stepId()));
    receipts.run(
        tx, cmd.tenant(), cmd.authorization(), runId, null, null, RunStatus.PENDING, payload);
    RunView run = runs.run(tx, cmd.tenant(), runId, true).orElseThrow();
    advancer.advance(tx, run, wf.manifest());
    return new StartRun.Started(runId, true);
  }

  private Optional<StartRun.Started> prior(Tx tx, StartRun cmd, String requestDigest) {
    return runs.findByKey(tx, cmd.tenant(), cmd.idempotencyKey().orElseThrow())
        .map(
            k -> {
              if (k.requestDigest() != null && !k.requestDigest().equals(requestDigest)) {
                throw MaestroException.of(
                    EngineErrors.IDEMPOTENCY_CONFLICT,
                    "idempotency key '"
                        + cmd.idempotencyKey().get()
                        + "' was used for a different request (run "
                        + k.runId()
                        + ")");
              }
              return new StartRun.Started(k.runId(), false);
            });
  }

  private static String requestDigest(StartRun cmd) {
    ObjectNode r = JsonText.object().put("workflow", cmd.workflow());
    cmd.version().ifPresent(v -> r.put("version", v));
    r.set("inputs", JsonText.tree(cmd.inputs()));
    return ManifestDigest.of(r);
  }
}
