package io.maestro.server.governance;

import io.maestro.core.problem.MaestroException;
import io.maestro.governance.slo.SloSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the operator's SLO file ({@code governance.slo.file}) at start. */
public final class SloFiles {
  private SloFiles() {}

  /** The file's SLOs; a file that cannot be read or parsed stops the start with one line. */
  public static SloSet read(Path file) {
    try {
      return SloSet.parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new IllegalStateException(
          "governance.slo.file: cannot read " + file + ": " + e.getMessage());
    } catch (MaestroException e) {
      throw new IllegalStateException("governance.slo.file: " + e.getMessage());
    }
  }
}
