package io.maestro.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The incidents views in Chromium: after a real canary breach, an operator opens the incident from
 * the list, reads its timeline with the receipts, and closes it with a comment from the page.
 */
class IncidentsBrowserIT extends BrowserTestBase {
  static final Map<String, String> SERVER_SETTINGS = IncidentsHttpIT.FAST_ROLLBACK;

  @Test
  void anOperatorOpensTheIncidentReadsItsTimelineAndClosesIt() throws Exception {
    String id = IncidentsHttpIT.breach(server, "paged");
    String admin = server.token("paged", "tenant_admin");
    IncidentsHttpIT.await(
        server, admin, "/api/incidents/" + id, b -> b.path("timeline").size() >= 2);
    signIn("paged", "operator");
    nav("Incidents");
    page.locator("#incident-" + id + " a").click();
    page.waitForLoadState();
    Locator timeline = page.locator("#timeline");
    assertThat(timeline.textContent()).contains("breach_detected").contains("mitigation_applied");
    assertThat(timeline.locator("a[href^='/console/receipts/']").count()).isGreaterThan(1);
    shot("incident");

    page.getByLabel("Comment (optional)").fill("rolled back; fix in 2.1");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close incident")).click();
    page.waitForLoadState();
    assertThat(page.locator(".flash.ok").textContent()).contains("Incident closed.");
    assertThat(page.locator("#incident-status").textContent()).isEqualTo("closed");
    assertThat(timeline.textContent()).contains("closed");
    assertThat(
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close incident"))
                .count())
        .isZero();
  }
}
