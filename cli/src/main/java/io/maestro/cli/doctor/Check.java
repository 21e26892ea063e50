package io.maestro.cli.doctor;

/**
 * One finding of {@code maestro doctor}: what was checked, how it went, and — for a problem — what
 * to do about it.
 */
record Check(String name, Status status, String detail, String fix) {
  enum Status {
    /** Fine. */
    OK,
    /** Something optional is missing: a feature (such as {@code core/exec}) is unavailable. */
    WARN,
    /** The server will not start or work as configured. */
    FAIL
  }

  static Check ok(String name, String detail) {
    return new Check(name, Status.OK, detail, "");
  }

  static Check warn(String name, String detail, String fix) {
    return new Check(name, Status.WARN, detail, fix);
  }

  static Check fail(String name, String detail, String fix) {
    return new Check(name, Status.FAIL, detail, fix);
  }
}
