package io.maestro.console;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium driven by Playwright, never a downloaded browser. Without {@code
 * /usr/bin/chromium} the browser tests skip with one line, except under {@code CI=true} where they
 * fail: CI installs the package.
 */
final class Chromium {
  static final Path EXECUTABLE = Path.of("/usr/bin/chromium");

  private Chromium() {}

  static void require() {
    if (Files.isExecutable(EXECUTABLE)) {
      return;
    }
    String message =
        "browser tests need Debian's chromium at " + EXECUTABLE + " (apt-get install chromium)";
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError(message);
    }
    System.err.println("SKIPPED: " + message);
    Assumptions.abort(message);
  }

  static Playwright playwright() {
    return Playwright.create(
        new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
  }

  static Browser launch(Playwright pw) {
    return pw.chromium()
        .launch(
            new BrowserType.LaunchOptions()
                .setExecutablePath(EXECUTABLE)
                .setHeadless(true)
                .setArgs(
                    List.of(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync")));
  }
}
