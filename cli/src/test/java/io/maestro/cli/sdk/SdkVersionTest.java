package io.maestro.cli.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.cli.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The Go and Python SDKs are versioned with the server: their version is the Maven project's. */
class SdkVersionTest {
  static String projectVersion() throws Exception {
    Element project =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(CliRunner.root().resolve("pom.xml").toFile())
            .getDocumentElement();
    for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
      if ("version".equals(n.getNodeName())) {
        return n.getTextContent().trim();
      }
    }
    throw new AssertionError("no <version> in the root pom.xml");
  }

  /**
   * The Maven version in PEP 440 form, as Python packaging requires it: {@code X-SNAPSHOT} is the
   * development release {@code X.dev0}; a release version is the same string.
   */
  static String pep440(String maven) {
    return maven.endsWith("-SNAPSHOT")
        ? maven.substring(0, maven.length() - "-SNAPSHOT".length()) + ".dev0"
        : maven;
  }

  static String declared(String file, String regex) throws Exception {
    Path p = CliRunner.root().resolve(file);
    Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(Files.readString(p));
    assertThat(m.find()).as("a version in " + p).isTrue();
    return m.group(1);
  }

  @Test
  void goSdkVersion_isTheProjectVersion() throws Exception {
    assertThat(declared("sdks/go/maestro/version.go", "^const Version = \"([^\"]+)\""))
        .isEqualTo(projectVersion());
  }

  @Test
  void pythonSdkVersion_isTheProjectVersion() throws Exception {
    assertThat(declared("sdks/python/maestro/__init__.py", "^__version__ = \"([^\"]+)\""))
        .isEqualTo(projectVersion());
  }

  @Test
  void pythonPackageVersion_isTheProjectVersionInPep440Form() throws Exception {
    assertThat(declared("sdks/python/pyproject.toml", "^version = \"([^\"]+)\""))
        .isEqualTo(pep440(projectVersion()));
  }
}
