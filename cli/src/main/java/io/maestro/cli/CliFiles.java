package io.maestro.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the files users name on the command line, failing with one line that names the file and the
 * reason once ({@code cannot read exmples/hello.yaml: no such file}), not the exception's message,
 * which often repeats the path.
 */
public final class CliFiles {
  private CliFiles() {}

  public static String read(Path file) {
    try {
      if (Files.isDirectory(file)) {
        throw new UserError("cannot read " + file + ": it is a directory");
      }
      return Files.readString(file);
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + reason(e));
    }
  }

  /** Why {@code e} happened, without repeating the file name it usually carries. */
  public static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.charset.MalformedInputException) {
      return "not UTF-8 text";
    }
    if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
  }
}
