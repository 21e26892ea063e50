package io.maestro.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operations views in a real browser (Debian's Chromium) against a real dev-mode server: pull a
 * kill switch from the governance page and see it listed while a viewer sees no button; pause a
 * schedule with the keyboard; the usage chart drawn by uPlot under the strict CSP; a policy
 * simulation; a brand pack's typography applied. Screenshots go to target/screenshots/.
 */
class OperationsBrowserIT extends BrowserTestBase {
  static final String ONE_STEP =
      "apiVersion: maestro/v1\nkind: Workflow\nmetadata: {name: %s, version: \"1\"}\n"
          + "spec:\n  tasks:\n    - {id: a, uses: core/log, with: {message: hi}}\n";

  Locator button(String name) {
    return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name));
  }

  @Test
  void pullAKillSwitchFromThePage_seeItListed_andAViewerSeesNoButton() {
    String admin = server.token("switched", "tenant_admin");
    server.publishAndRun(admin, "shipit", ONE_STEP.formatted("shipit"));
    signIn("switched", "tenant_admin");
    nav("Governance");
    assertThat(page.locator("h1").textContent()).isEqualTo("Governance");
    page.getByLabel("Scope", new Page.GetByLabelOptions().setExact(true)).selectOption("workflow");
    page.getByLabel("Target (workflow or task type)").fill("shipit");
    page.getByLabel("Mode", new Page.GetByLabelOptions().setExact(true)).selectOption("pause");
    page.locator("#ks-reason").fill("bad deploy");
    button("Pull kill switch").click();
    page.waitForLoadState();
    assertThat(page.locator(".flash.ok").textContent()).contains("pulled").contains("receipt");
    String id =
        server
            .call("GET", "/api/kill-switches", admin, null, null)
            .path("items")
            .get(0)
            .path("id")
            .asText();
    Locator row = page.locator("#switch-" + id);
    assertThat(row.textContent()).contains("shipit").contains("pause").contains("bad deploy");
    assertThat(row.locator("a[href^='/console/receipts/']").count()).isEqualTo(1);
    shot("governance");

    context.clearCookies();
    signIn("switched", "read_only");
    nav("Governance");
    assertThat(page.locator("#switch-" + id).isVisible()).isTrue();
    assertThat(button("Pull kill switch").count()).isZero();
    assertThat(button("Release kill switch " + id).count()).isZero();
    assertThat(page.locator("main form[method=post]").count()).isZero();
  }

  @Test
  void pauseAScheduleWithTheKeyboard_andSeeItPaused() {
    String admin = server.token("keyed", "tenant_admin");
    server.publishAndRun(admin, "nightly-job", ONE_STEP.formatted("nightly-job"));
    server.call(
        "POST",
        "/api/schedules",
        admin,
        "{\"id\":\"nightly\",\"workflow\":\"nightly-job\",\"cron\":\"0 3 * * *\"}",
        "application/json");
    signIn("keyed", "operator");
    nav("Schedules");
    Locator pause = button("Pause schedule nightly");
    pause.focus();
    page.keyboard().press("Enter");
    page.waitForLoadState();
    assertThat(page.locator(".flash.ok").textContent()).contains("Schedule nightly paused.");
    assertThat(page.locator("#schedule-nightly .state").textContent()).contains("paused");
    assertThat(button("Resume schedule nightly").isVisible()).isTrue();
    shot("schedules");
  }

  @Test
  void theUsageChartIsDrawnByUplotUnderTheStrictCsp() throws Exception {
    String admin = server.token("charted", "tenant_admin");
    String run = server.publishAndRun(admin, "billed", ONE_STEP.formatted("billed"));
    server.awaitStep(admin, run, "a", "SUCCEEDED");
    signIn("charted", "read_only");
    nav("Usage");
    page.waitForSelector("#usage-chart[data-drawn]");
    assertThat(page.locator("#usage-chart").getAttribute("data-drawn")).isEqualTo("30");
    assertThat(page.locator("#usage-chart canvas").count()).isPositive();
    assertThat(page.locator("#usage-days tbody tr").count()).isEqualTo(30);
    shot("usage");
  }

  @Test
  void simulateAScenarioUnderEachProfile_andReadAPacksPage() {
    signIn("simulating", "workflow_reviewer");
    nav("Policy");
    page.getByLabel("Action").fill("workflow.publish");
    page.getByLabel("Actor's role").selectOption("read_only");
    button("Simulate").click();
    page.waitForLoadState();
    Locator results = page.locator("#simulation");
    assertThat(results.locator("tbody tr").count()).isGreaterThan(1);
    assertThat(page.locator("#sim-internal-default").textContent())
        .contains("deny")
        .contains("role_not_permitted");
    shot("policy-simulation");
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Role-based access")).click();
    page.waitForLoadState();
    assertThat(page.locator("#pack-docs").textContent()).contains("role_not_permitted");
    shot("policy-pack");
  }

  @Test
  void aBrandPacksTypographyShowsOnTheNextPageLoad() {
    signIn("typeset", "read_only");
    String size = "getComputedStyle(document.body).fontSize";
    String family = "getComputedStyle(document.body).fontFamily";
    assertThat(page.evaluate(size)).isEqualTo("16px");
    String root = server.token(null, "conductor_admin");
    server.call(
        "PUT",
        "/api/brand-packs/typeset",
        root,
        "{\"name\":\"Typeset\",\"product_name\":\"Typeset Flow\",\"typography\":"
            + "{\"font_family\":\"DejaVu Serif, serif\",\"font_size\":\"18px\",\"line_height\":1.6}}",
        "application/json");
    server.call(
        "PUT", "/api/tenants/typeset/brand", root, "{\"pack\":\"typeset\"}", "application/json");
    page.reload();
    assertThat(page.evaluate(size)).isEqualTo("18px");
    assertThat((String) page.evaluate(family)).contains("DejaVu Serif");
    assertThat(page.evaluate("getComputedStyle(document.body).lineHeight")).isEqualTo("28.8px");
    shot("brand-typography");
  }

  @Test
  void everyOperationsPageHasLandmarksAndLabelsAndItsControlsAreKeyboardReachable() {
    String admin = server.token("accessible", "tenant_admin");
    server.publishAndRun(admin, "reachable", ONE_STEP.formatted("reachable"));
    server.call(
        "POST",
        "/api/schedules",
        admin,
        "{\"id\":\"daily\",\"workflow\":\"reachable\",\"cron\":\"@daily\"}",
        "application/json");
    signIn("accessible", "tenant_admin");
    String unlabeled =
        "[...document.querySelectorAll('main input:not([type=hidden]), main select')]"
            + ".filter(e => !e.labels || e.labels.length === 0).map(e => e.name || e.id).join(',')";
    String reachable =
        "(() => { const c = [...document.querySelectorAll('main button, main input:not([type=hidden]),"
            + " main select, main a[href]')]; return c.filter(e => e.tabIndex < 0 || e.disabled)"
            + ".length; })()";
    for (String view : List.of("Policy", "Usage", "Governance", "Incidents", "Schedules")) {
      nav(view);
      assertThat(page.locator("header[role=banner]").count()).as(view).isEqualTo(1);
      assertThat(page.locator("nav[aria-label=Main]").count()).as(view).isEqualTo(1);
      assertThat(page.locator("main#main").count()).as(view).isEqualTo(1);
      assertThat(page.locator("footer[role=contentinfo]").count()).as(view).isEqualTo(1);
      assertThat(page.locator("main h1").count()).as(view).isEqualTo(1);
      assertThat(page.evaluate(unlabeled)).as(view + ": controls without a label").isEqualTo("");
      assertThat(page.evaluate(reachable))
          .as(view + ": controls out of the tab order")
          .isEqualTo(0);
    }
    // The skip link is the first stop of the keyboard and leads to the main content.
    page.keyboard().press("Tab");
    assertThat(page.evaluate("document.activeElement.textContent")).isEqualTo("Skip to content");
  }
}
