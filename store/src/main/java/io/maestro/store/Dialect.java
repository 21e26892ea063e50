package io.maestro.store;

/** The SQL dialects Maestro runs on. Where they differ, migrations use Flyway vendor folders. */
public enum Dialect {
  H2("h2"),
  POSTGRESQL("postgresql");

  private final String folder;

  Dialect(String folder) {
    this.folder = folder;
  }

  /** The vendor migration folder name under {@code db/migration/}. */
  public String folder() {
    return folder;
  }

  public static Dialect ofUrl(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    if (jdbcUrl.startsWith("jdbc:h2:")) {
      return H2;
    }
    throw new IllegalArgumentException("unsupported database URL: " + jdbcUrl);
  }
}
