package io.maestro.engine.worker;

import io.maestro.engine.RunLogs;
import io.maestro.engine.expr.Expressions;
import io.maestro.engine.internal.OutcomeApplier;
import io.maestro.engine.internal.RunStore;
import io.maestro.engine.internal.Transitions;
import io.maestro.engine.queue.WorkQueue;
import io.maestro.engine.registry.WorkflowRegistry;
import io.maestro.engine.task.TaskTypes;
import io.maestro.store.Database;
import java.time.Clock;

/**
 * What the work handlers share: the database and the engine's stores, machines and executors.
 *
 * @param logCapBytes the most log output one attempt may write
 */
public record StepRuntime(
    Database db,
    RunStore runs,
    WorkQueue queue,
    WorkflowRegistry registry,
    Transitions transitions,
    OutcomeApplier applier,
    Expressions expressions,
    TaskTypes types,
    RunLogs logs,
    io.maestro.engine.internal.ReceiptWriter receipts,
    Clock clock,
    long logCapBytes) {}
