package io.maestro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.core.config.ConfigKey;
import io.maestro.core.config.ConfigKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md documents every configuration key and its environment variable. */
class ConfigurationDocsTest {
  @Test
  void everyKeyIsDocumented() throws Exception {
    String doc = Files.readString(CliRunner.root().resolve("docs/configuration.md"));
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      assertThat(doc)
          .as("docs/configuration.md documents " + key.name())
          .contains("| `" + key.name() + "` | `" + key.envVar() + "` |");
    }
  }

  @Test
  void rootIsTheRepository() {
    assertThat(Files.isDirectory(CliRunner.root().resolve("docs"))).isTrue();
    assertThat(Path.of("pom.xml")).exists();
  }
}
