package io.maestro.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The dependency rule of docs/architecture.md, checked on the compiled code: a module imports only
 * the modules below it, and nobody imports another module's {@code internal} package. The Maven
 * module graph already forbids most wrong arrows; this test also catches the ones Maven cannot see
 * (internal packages, and dependencies declared more widely than the rule allows).
 */
class ArchitectureTest {
  /** Each module and the modules it may use (besides itself). */
  static final Map<String, Set<String>> ALLOWED =
      Map.ofEntries(
          Map.entry("core", Set.of()),
          Map.entry("rego", Set.of()),
          Map.entry("store", Set.of("core")),
          Map.entry("provenance", Set.of("core", "store")),
          Map.entry("metering", Set.of("core", "store", "provenance")),
          Map.entry("governance", Set.of("core", "store", "provenance")),
          // Evidence reads runs and logs through its own port (RunEvidence), adapted by the server.
          Map.entry("evidence", Set.of("core", "store", "provenance")),
          Map.entry("lifecycle", Set.of("core", "store", "provenance")),
          Map.entry("policy", Set.of("core", "rego", "store")),
          Map.entry("tenancy", Set.of("core", "store", "provenance")),
          // The engine reaches the receipt log through its own port (EngineReceipts), adapted by
          // the server; decisions arrive as core's Decision.
          Map.entry("engine", Set.of("core", "store")),
          // The Java SDK talks to a server over HTTP only.
          Map.entry("client", Set.of("core")),
          Map.entry(
              "server",
              Set.of(
                  "core",
                  "store",
                  "rego",
                  "policy",
                  "provenance",
                  "tenancy",
                  "engine",
                  "metering",
                  "governance",
                  "evidence",
                  "lifecycle")),
          // The web console reads and acts through the server's HTTP API; provenance for checking
          // inclusion proofs, lifecycle for verifying purge manifests in the page, tenancy for the
          // identity provider's key cache the OIDC sign-in verifies ID tokens with.
          Map.entry(
              "console", Set.of("core", "store", "provenance", "lifecycle", "tenancy", "server")),
          Map.entry(
              "cli",
              Set.of(
                  "core",
                  "store",
                  "rego",
                  "policy",
                  "provenance",
                  "tenancy",
                  "engine",
                  "metering",
                  "governance",
                  "evidence",
                  "lifecycle",
                  "server",
                  "client")));

  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.maestro");
  }

  @TestFactory
  List<DynamicTest> modulesDependOnlyOnModulesBelowThem() {
    List<DynamicTest> tests = new ArrayList<>();
    ALLOWED.forEach(
        (module, allowed) -> {
          String[] forbidden =
              ALLOWED.keySet().stream()
                  .filter(m -> !m.equals(module) && !allowed.contains(m))
                  .map(m -> "io.maestro." + m + "..")
                  .toArray(String[]::new);
          tests.add(
              DynamicTest.dynamicTest(
                  module + " uses only " + allowed,
                  () ->
                      noClasses()
                          .that()
                          .resideInAPackage("io.maestro." + module + "..")
                          .should()
                          .dependOnClassesThat()
                          .resideInAnyPackage(forbidden)
                          .allowEmptyShould(true)
                          .check(classes)));
        });
    return tests;
  }

  @TestFactory
  List<DynamicTest> internalPackagesArePrivateToTheirModule() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String module : ALLOWED.keySet()) {
      tests.add(
          DynamicTest.dynamicTest(
              "io.maestro." + module + ".internal is private",
              () ->
                  noClasses()
                      .that()
                      .resideOutsideOfPackage("io.maestro." + module + "..")
                      .should()
                      .dependOnClassesThat()
                      .resideInAPackage("io.maestro." + module + ".internal..")
                      .allowEmptyShould(true)
                      .check(classes)));
    }
    return tests;
  }

  /**
   * Inside a module, the packages below the module's root form layers: none reaches, directly or
   * through others, a package that reaches back to it (the engine reads run handlers → internal
   * stores → task and manifest types). A package and its sub-packages are one slice ({@code task}
   * with {@code task.builtin}). The root package is the module's API and entry point (value types,
   * the facade that assembles the packages), so it is outside the slices: every package may use the
   * API's values, and the facade may use every package.
   */
  @TestFactory
  List<DynamicTest> packagesOfAModuleAreFreeOfCycles() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String module : ALLOWED.keySet()) {
      tests.add(
          DynamicTest.dynamicTest(
              "packages of " + module + " are free of cycles",
              () ->
                  slices()
                      .assignedFrom(packagesBelowRootOf(module))
                      .should()
                      .beFreeOfCycles()
                      .allowEmptyShould(true)
                      .check(classes)));
    }
    return tests;
  }

  /**
   * One slice per first-level package of the module ({@code io.maestro.engine.run}); classes of the
   * root package and of other modules belong to no slice.
   */
  private static SliceAssignment packagesBelowRootOf(String module) {
    String root = "io.maestro." + module + ".";
    return new SliceAssignment() {
      @Override
      public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
        String pkg = javaClass.getPackageName();
        if (!pkg.startsWith(root)) {
          return SliceIdentifier.ignore();
        }
        int dot = pkg.indexOf('.', root.length());
        return SliceIdentifier.of(dot < 0 ? pkg : pkg.substring(0, dot));
      }

      @Override
      public String getDescription() {
        return "packages below " + root.substring(0, root.length() - 1);
      }
    };
  }
}
