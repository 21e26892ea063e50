package io.maestro.policy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.maestro.rego.Rego;
import java.nio.file.Path;

/** Where the repository's canon packs are, and whether the engine can run them yet. */
public final class Canon {
  public static final Path POLICIES = Path.of("..", "policies");
  public static final Path DOCS = Path.of("..", "docs", "policies");

  private Canon() {}

  /**
   * Skips the calling test while the rego engine lacks builtins the canon packs call (the string
   * family is written in parallel with this module); the test runs as soon as they are there.
   */
  public static void assumeEngineRunsCanonPacks() {
    for (String b : new String[] {"sprintf", "concat", "endswith", "object.get", "object.union"}) {
      assumeTrue(
          Rego.standardLibrary().containsKey(b),
          "the rego engine has no '" + b + "' builtin yet; the canon packs cannot be evaluated");
    }
  }
}
