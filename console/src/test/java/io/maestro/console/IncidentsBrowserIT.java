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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incidents views in Chromium: after a real canary breach, an operator opens the incident from
 * the list, reads its timeline with the receipts, and closes it with a comment from the page.
 */
class IncidentsBrowserIT {
  static final Path SHOTS = Path.of("target", "screenshots");

  @TempDir static Path dataDir;
  static ConsoleServer server;
  static Playwright playwright;
  static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    Chromium.require();
    Files.createDirectories(SHOTS);
    server = ConsoleServer.start(dataDir, IncidentsHttpIT.FAST_ROLLBACK);
    playwright = Chromium.playwright();
    browser = Chromium.launch(playwright);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void anOperatorOpensTheIncidentReadsItsTimelineAndClosesIt() throws Exception {
    String id = IncidentsHttpIT.breach(server, "paged");
    String admin = server.token("paged", "tenant_admin");
    IncidentsHttpIT.await(
        server, admin, "/api/incidents/" + id, b -> b.path("timeline").size() >= 2);
    BrowserContext context =
        browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
    List<String> csp = new ArrayList<>();
    try {
      Page page = context.newPage();
      page.onConsoleMessage(
          m -> {
            if (m.text().contains("Content Security Policy")) {
              csp.add(m.text());
            }
          });
      page.navigate(server.base + "/");
      page.getByLabel("Tenant", new Page.GetByLabelOptions().setExact(true)).fill("paged");
      page.getByLabel("Role").selectOption("operator");
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in").setExact(true))
          .click();
      page.waitForLoadState();
      page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Main"))
          .getByRole(
              AriaRole.LINK, new Locator.GetByRoleOptions().setName("Incidents").setExact(true))
          .click();
      page.waitForLoadState();
      page.locator("#incident-" + id + " a").click();
      page.waitForLoadState();
      Locator timeline = page.locator("#timeline");
      assertThat(timeline.textContent()).contains("breach_detected").contains("mitigation_applied");
      assertThat(timeline.locator("a[href^='/console/receipts/']").count()).isGreaterThan(1);
      page.screenshot(
          new Page.ScreenshotOptions().setPath(SHOTS.resolve("incident.png")).setFullPage(true));

      page.getByLabel("Comment (optional)").fill("rolled back; fix in 2.1");
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close incident"))
          .click();
      page.waitForLoadState();
      assertThat(page.locator(".flash.ok").textContent()).contains("Incident closed.");
      assertThat(page.locator("#incident-status").textContent()).isEqualTo("closed");
      assertThat(timeline.textContent()).contains("closed");
      assertThat(
              page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close incident"))
                  .count())
          .isZero();
    } finally {
      context.close();
    }
    assertThat(csp).as("the pages break no rule of their own CSP").isEmpty();
  }
}
