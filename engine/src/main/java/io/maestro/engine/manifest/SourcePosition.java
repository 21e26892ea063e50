package io.maestro.engine.manifest;

/** A 1-based line and column in a manifest's source text. */
public record SourcePosition(int line, int column) {
  @Override
  public String toString() {
    return line + ":" + column;
  }
}
