package io.maestro.engine.manifest;

import java.util.Objects;
import java.util.Optional;

/**
 * One thing wrong with a manifest.
 *
 * @param path where, as a dotted path with indexes, e.g. {@code spec.tasks[2].needs[0]}
 * @param position the line and column in the source text, when known
 */
public record ManifestProblem(String path, String message, Optional<SourcePosition> position) {
  public ManifestProblem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(position, "position");
  }

  /** {@code spec.tasks[0].uses (12:11): unknown task type 'core/nope'}. */
  @Override
  public String toString() {
    return path + position.map(p -> " (" + p + ")").orElse("") + ": " + message;
  }
}
