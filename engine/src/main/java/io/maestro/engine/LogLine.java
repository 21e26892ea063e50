package io.maestro.engine;

import java.time.Instant;
import java.util.Optional;

/**
 * One line of a run log.
 *
 * @param seq increases with every line written (across runs); read on with {@code after = seq}
 * @param stream {@code engine}, {@code log}, {@code stdout} or {@code stderr}
 */
public record LogLine(
    long seq, Instant at, String runId, Optional<String> stepId, String stream, String message) {}
