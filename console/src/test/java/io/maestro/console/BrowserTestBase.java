package io.maestro.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every console browser test shares: one real dev-mode server and one Debian Chromium per test
 * class (skipped with one line without Chromium, failed under {@code CI=true}), a fresh browser
 * context and page per test, the page's Content-Security-Policy violations collected and required
 * to be none after each test, the dev sign-in form, the main navigation and screenshots under
 * {@code target/screenshots/}. A test class keeps only its scenarios; one that needs more server
 * configuration declares {@code static final Map<String, String> SERVER_SETTINGS}.
 */
abstract class BrowserTestBase {
  static final Path SHOTS = Path.of("target", "screenshots");

  @TempDir static Path dataDir;
  static ConsoleServer server;
  static Playwright playwright;
  static Browser browser;

  BrowserContext context;
  Page page;
  final List<String> cspViolations = new ArrayList<>();

  @BeforeAll
  static void startServerAndBrowser(TestInfo info) throws Exception {
    Chromium.require();
    Files.createDirectories(SHOTS);
    server = ConsoleServer.start(dataDir, settings(info.getTestClass().orElseThrow()));
    playwright = Chromium.playwright();
    browser = Chromium.launch(playwright);
  }

  /** The test class's {@code SERVER_SETTINGS}, or none. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> settings(Class<?> testClass) throws IllegalAccessException {
    try {
      var field = testClass.getDeclaredField("SERVER_SETTINGS");
      field.setAccessible(true);
      return (Map<String, String>) field.get(null);
    } catch (NoSuchFieldException e) {
      return Map.of();
    }
  }

  @AfterAll
  static void stopServerAndBrowser() {
    if (browser != null) {
      browser.close();
      browser = null;
    }
    if (playwright != null) {
      playwright.close();
      playwright = null;
    }
    if (server != null) {
      server.close();
      server = null;
    }
  }

  @BeforeEach
  void openPage() {
    context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
    page = context.newPage();
    page.onConsoleMessage(
        m -> {
          if (m.text().contains("Content Security Policy")) {
            cspViolations.add(m.text());
          }
        });
  }

  @AfterEach
  void closePage() {
    context.close();
    assertThat(cspViolations).as("the pages break no rule of their own CSP").isEmpty();
  }

  /** Signs in with the dev form as {@code role} of {@code tenant} (empty: a platform user). */
  void signIn(String tenant, String role) {
    signIn(tenant, role, "");
  }

  /** As {@link #signIn(String, String)}, as user {@code subject} (empty: the form's default). */
  void signIn(String tenant, String role, String subject) {
    page.navigate(server.base + "/");
    page.getByLabel("Tenant", new Page.GetByLabelOptions().setExact(true)).fill(tenant);
    page.getByLabel("User (optional)").fill(subject);
    page.getByLabel("Role").selectOption(role);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in").setExact(true))
        .click();
    page.waitForLoadState();
  }

  /** Follows the main navigation's link {@code label}. */
  void nav(String label) {
    page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Main"))
        .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(label).setExact(true))
        .click();
    page.waitForLoadState();
  }

  /** A full-page screenshot, {@code target/screenshots/<name>.png}. */
  void shot(String name) {
    page.screenshot(
        new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")).setFullPage(true));
  }
}
