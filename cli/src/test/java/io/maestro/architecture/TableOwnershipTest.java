package io.maestro.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A module's tables are its own: no module's main code issues SQL against a table another module
 * creates. Owners are read from the modules' Flyway migrations ({@code CREATE TABLE}); the SQL is
 * read from the string literals of each module's main sources, where a table follows {@code FROM},
 * {@code JOIN}, {@code INTO}, {@code UPDATE} or {@code TABLE}. A module that needs another's data
 * asks its Java API.
 */
class TableOwnershipTest {
  private static final Pattern CREATE =
      Pattern.compile("(?i)create\\s+table\\s+(?:if\\s+not\\s+exists\\s+)?(\\w+)");
  private static final Pattern LITERAL = Pattern.compile("\"(?:[^\"\\\\\\n]|\\\\.)*\"");
  private static final Pattern TABLE_USE =
      Pattern.compile("(?i)\\b(?:from|join|into|update|table)\\s+(\\w+)");

  @Test
  void noModuleIssuesSqlAgainstAnotherModulesTables() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    assertThat(root.resolve("pom.xml")).exists();
    Map<String, String> owner = new TreeMap<>();
    for (String module : ArchitectureTest.ALLOWED.keySet()) {
      for (Path sql :
          files(root.resolve(module).resolve("src/main/resources/db/migration"), ".sql")) {
        Matcher m = CREATE.matcher(Files.readString(sql));
        while (m.find()) {
          owner.put(m.group(1).toLowerCase(java.util.Locale.ROOT), module);
        }
      }
    }
    assertThat(owner).containsEntry("engine_runs", "engine").containsEntry("tenants", "tenancy");

    List<String> violations = new ArrayList<>();
    for (String module : ArchitectureTest.ALLOWED.keySet()) {
      for (Path source : files(root.resolve(module).resolve("src/main/java"), ".java")) {
        StringBuilder sql = new StringBuilder();
        Matcher lit = LITERAL.matcher(Files.readString(source));
        while (lit.find()) {
          String s = lit.group();
          sql.append(s, 1, s.length() - 1);
        }
        Matcher use = TABLE_USE.matcher(sql);
        while (use.find()) {
          String table = use.group(1).toLowerCase(java.util.Locale.ROOT);
          String by = owner.get(table);
          if (by != null && !by.equals(module)) {
            violations.add(
                root.relativize(source) + " (" + module + ") uses " + table + " of module " + by);
          }
        }
      }
    }
    assertThat(violations).as("ask the owning module's API instead").isEmpty();
  }

  private static List<Path> files(Path dir, String suffix) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
