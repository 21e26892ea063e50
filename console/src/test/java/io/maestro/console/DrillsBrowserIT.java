package io.maestro.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import io.maestro.server.lifecycle.RestoreDrill;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore-drill page in a real browser (Debian's Chromium) against a real dev-mode server: a
 * platform operator sees that no drill ran yet; after a real {@code maestro drill restore} on the
 * server's data, the last drill's RTO and RPO against their targets and the {@code drill.completed}
 * receipt that records them. Support sees the page too; a tenant's administrator has no navigation
 * item and is refused the page. Screenshot in target/screenshots/drills.png.
 */
class DrillsBrowserIT {
  @TempDir static Path dataDir;
  @TempDir static Path work;
  static Playwright playwright;
  static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    Chromium.require();
    Files.createDirectories(OperationsBrowserIT.SHOTS);
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
  }

  @Test
  void platformOperatorsSeeTheLastRestoreDrill_tenantRolesDoNot() throws Exception {
    try (ConsoleServer server = ConsoleServer.start(dataDir);
        BrowserContext context = browser.newContext()) {
      Page page = context.newPage();
      signIn(page, server, "", "conductor_admin");
      nav(page, "Drills");
      assertThat(page.locator("h1").textContent()).isEqualTo("Restore drills");
      assertThat(page.locator("#drills-none").textContent()).contains("maestro drill restore");
      // A tenant with receipts of its own, whose log the drill verifies after the restore.
      server.token("acme", "tenant_admin");
    }

    JsonNode report = RestoreDrill.run(ConsoleServer.config(dataDir, Map.of()), work);
    assertThat(report.path("passed").asBoolean()).as(report.toString()).isTrue();

    try (ConsoleServer server = ConsoleServer.start(dataDir);
        BrowserContext context = browser.newContext()) {
      String root = server.token(null, "conductor_admin");
      JsonNode drill = server.call("GET", "/api/drills", root, null, null).path("items").get(0);
      Page page = context.newPage();
      signIn(page, server, "", "conductor_admin");
      nav(page, "Drills");
      assertThat(page.locator("#drill-result").textContent()).isEqualTo("passed");
      assertThat(page.locator("#drill-rto").textContent())
          .contains(String.format("%.1f s", report.path("rto_seconds").asDouble()))
          .contains("1800.0 s")
          .contains("met");
      assertThat(page.locator("#drill-rpo").textContent()).contains("900.0 s").contains("met");
      assertThat(page.locator("#drill-logs").textContent())
          .contains("Logs verified: " + report.path("logs").size() + ", failed: 0")
          .contains("SUCCEEDED");
      assertThat(report.path("logs").size()).isGreaterThanOrEqualTo(2);
      assertThat(page.locator("#drill-receipt").textContent())
          .isEqualTo(drill.path("receipt").path("id").asText());
      page.screenshot(
          new Page.ScreenshotOptions()
              .setPath(OperationsBrowserIT.SHOTS.resolve("drills.png"))
              .setFullPage(true));

      context.clearCookies();
      signIn(page, server, "", "support");
      nav(page, "Drills");
      assertThat(page.locator("#drill-result").textContent()).isEqualTo("passed");

      context.clearCookies();
      signIn(page, server, "acme", "tenant_admin");
      assertThat(navLink(page, "Drills").count()).isZero();
      page.navigate(server.base + "/console/drills");
      assertThat(page.locator("#last-drill").count()).isZero();
      assertThat(page.locator("main").textContent()).contains("platform token");
    }
  }

  static void signIn(Page page, ConsoleServer server, String tenant, String role) {
    page.navigate(server.base + "/");
    page.getByLabel("Tenant", new Page.GetByLabelOptions().setExact(true)).fill(tenant);
    page.getByLabel("Role").selectOption(role);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in").setExact(true))
        .click();
    page.waitForLoadState();
  }

  static Locator navLink(Page page, String label) {
    return page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Main"))
        .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(label).setExact(true));
  }

  static void nav(Page page, String label) {
    navLink(page, label).click();
    page.waitForLoadState();
  }
}
