package io.maestro.perf;

import java.time.Instant;

/**
 * When a run's first step started and when the run finished (committed), by the wall clock of this
 * machine; {@code succeeded} is false for runs that ended otherwise.
 */
public record RunTimes(Instant firstStepStarted, Instant finished, boolean succeeded) {}
