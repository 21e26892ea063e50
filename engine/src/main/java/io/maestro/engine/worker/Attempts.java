package io.maestro.engine.worker;

import io.maestro.engine.RunLogs;
import io.maestro.engine.internal.OutcomeApplier;
import io.maestro.engine.internal.RunStore;
import io.maestro.engine.registry.WorkflowRegistry;
import java.time.Clock;

/**
 * What loading an attempt, building its executor context and recording its outcome need (see {@link
 * Attempt}); every work handler uses these, and nothing else of the engine's stores.
 *
 * @param logCapBytes the most log output one attempt may write
 */
record Attempts(
    RunStore runs,
    WorkflowRegistry registry,
    OutcomeApplier applier,
    RunLogs logs,
    Clock clock,
    long logCapBytes) {}
