package io.maestro.rego.ast;

/** A position in a Rego source: file name, 1-based line and column. */
public record Location(String file, int line, int col) {
  @Override
  public String toString() {
    return file + ":" + line + ":" + col;
  }
}
