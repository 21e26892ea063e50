package io.maestro.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.engine.manifest.ErrorKind;
import java.time.Instant;
import java.util.Optional;

/**
 * A step as stored.
 *
 * @param attempt the current attempt, 1-based (0 while the step has not been queued)
 * @param deliveries how many times attempts of this step were handed to a worker
 * @param duplicates deliveries of an attempt that had already been delivered (a worker died holding
 *     its lease, so the attempt ran again with the same idempotency key)
 * @param outputs the step's outputs once it succeeded (JSON null before)
 * @param waitState what a waiting step waits for (e.g. an approval's role and count, a child run
 *     id)
 */
public record StepView(
    String stepId,
    int position,
    String uses,
    StepStatus status,
    int attempt,
    int deliveries,
    int duplicates,
    JsonNode outputs,
    JsonNode waitState,
    Optional<String> error,
    Optional<ErrorKind> errorKind,
    Optional<Instant> readyAt,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt) {}
