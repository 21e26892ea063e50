package io.maestro.store.testing;

/**
 * The database backends every database test runs against. Write a test once as an abstract contract
 * with {@code abstract Backend backend()}, and add one subclass per backend.
 */
public enum Backend {
  H2,
  POSTGRESQL;

  /** A fresh, migrated database for one test or test class. Close it when done. */
  public TestDatabase open() {
    return switch (this) {
      case H2 -> TestDatabase.h2();
      case POSTGRESQL -> TestDatabase.postgres();
    };
  }
}
