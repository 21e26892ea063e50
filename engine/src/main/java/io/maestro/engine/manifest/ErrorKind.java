package io.maestro.engine.manifest;

import java.util.Locale;

/**
 * Why a step attempt failed. Retry policies choose which kinds to retry ({@code retry.on}):
 *
 * <ul>
 *   <li>{@link #USER}: the task ran and reported failure (a bad status, a non-zero exit, {@code
 *       core/fail}); retrying repeats the same input, so it is off by default.
 *   <li>{@link #PLATFORM}: the engine or an executor could not do its job (I/O, sandbox setup, a
 *       lost worker); retried by default.
 *   <li>{@link #TIMEOUT}: the attempt ran past its {@code timeout}; retried by default.
 * </ul>
 */
public enum ErrorKind {
  USER("error"),
  PLATFORM("platform"),
  TIMEOUT("timeout");

  private final String word;

  ErrorKind(String word) {
    this.word = word;
  }

  /** The word used for this kind in manifests ({@code retry.on}) and in the API. */
  public String word() {
    return word;
  }

  public static ErrorKind ofWord(String word) {
    for (ErrorKind k : values()) {
      if (k.word.equals(word.toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown error kind '" + word + "'");
  }
}
