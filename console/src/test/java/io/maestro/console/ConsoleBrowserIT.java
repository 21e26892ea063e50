package io.maestro.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Switchboard in a real browser (Debian's Chromium) against a real dev-mode server: sign-in, runs
 * list → detail → approve, tenant create → profile → quota → rollback, read-only without write
 * controls, another tenant's URL as 404. Screenshots of the main views go to target/screenshots/.
 */
class ConsoleBrowserIT extends BrowserTestBase {
  @Test
  void signInListRunOpenItAndApproveItsStep() throws Exception {
    String operator = server.token("acme", "tenant_admin");
    String run = server.publishAndRun(operator, "gated", ConsoleServer.APPROVAL);
    server.awaitStep(operator, run, "approve", "WAITING");

    signIn("acme", "workflow_reviewer", "rita@acme");
    assertThat(page.url()).endsWith("/console/runs");
    assertThat(page.locator("header").textContent())
        .contains("rita@acme")
        .contains("workflow_reviewer");
    shot("runs-list");

    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(run)).click();
    assertThat(page.locator("h1").textContent()).contains(run);
    assertThat(page.locator("#steps-title").isVisible()).isTrue();
    assertThat(page.locator("#decision-title + dl").textContent())
        .contains("true")
        .contains("internal-default");
    assertThat(page.locator("section[aria-labelledby=receipts-title]").textContent())
        .contains("run.started");
    assertThat(page.locator("pre.logs").textContent()).contains("planning");
    shot("run-detail");

    page.getByLabel("Comment").fill("looks good");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Approve")).click();
    assertThat(page.locator(".flash").textContent()).contains("Step approve approved.");
    server.awaitStep(operator, run, "ship", "SUCCEEDED");
    page.reload();
    assertThat(page.locator("#run-status").textContent()).isEqualTo("SUCCEEDED");
    shot("run-approved");
  }

  @Test
  void aRunningStepsLogLineAppearsWithoutReload_andTheStepGraphShowsTheSteps() throws Exception {
    String operator = server.token("acme", "tenant_admin");
    String run =
        server.publishAndRun(
            operator, "gated-live", ConsoleServer.APPROVAL.replace("gated", "gated-live"));
    server.awaitStep(operator, run, "approve", "WAITING");

    signIn("acme", "read_only");
    page.navigate(server.base + "/console/runs/" + run);
    assertThat(page.locator("#run-logs").textContent())
        .contains("planning")
        .doesNotContain("shipped");
    assertThat(page.locator("svg .graph-node").count()).isEqualTo(3);
    assertThat(page.locator("svg .graph-node[data-step=approve]").getAttribute("class"))
        .contains("g-WAITING");
    assertThat(page.locator("svg line.graph-edge").count()).isEqualTo(2);
    shot("run-graph");

    // The step after the approval runs while the page stays open: its line arrives over SSE.
    String reviewer = server.token("acme", "workflow_reviewer", "rita@acme");
    server.call(
        "POST",
        "/api/runs/" + run + "/steps/approve/approve",
        reviewer,
        "{\"comment\":\"ok\"}",
        "application/json");
    page.waitForFunction(
        "() => document.getElementById('run-logs').textContent.includes('shipped')",
        null,
        new Page.WaitForFunctionOptions().setTimeout(30_000));
    assertThat(page.locator("#run-logs").textContent()).contains("planning").contains("shipped");
    page.waitForFunction(
        "() => !document.getElementById('run-logs').hasAttribute('data-stream')",
        null,
        new Page.WaitForFunctionOptions().setTimeout(30_000));
    assertThat(page.locator("#logs-live").textContent()).contains("run has ended");
    shot("run-live-logs");
  }

  @Test
  void aBrandPackShowsOnTheNextPageLoad_withoutARestart() {
    signIn("brandco", "read_only");
    assertThat(page.locator("#product-name").textContent()).isEqualTo("Maestro Switchboard");
    String banner = "getComputedStyle(document.querySelector('header.banner')).backgroundColor";
    assertThat(page.evaluate(banner)).isEqualTo("rgb(20, 33, 61)");

    String root = server.token(null, "conductor_admin");
    server.call(
        "PUT",
        "/api/brand-packs/northwind",
        root,
        "{\"name\":\"Northwind\",\"product_name\":\"Northwind Flow\","
            + "\"colors\":{\"banner_bg\":\"#0f4c3a\",\"accent\":\"#0f6b52\"}}",
        "application/json");
    server.call(
        "PUT", "/api/tenants/brandco/brand", root, "{\"pack\":\"northwind\"}", "application/json");
    page.reload();
    assertThat(page.locator("#product-name").textContent()).isEqualTo("Northwind Flow");
    assertThat(page.evaluate(banner)).isEqualTo("rgb(15, 76, 58)");
    shot("brand-pack");
  }

  @Test
  void platformAdminCreatesTenantAssignsProfileSetsQuotaAndRollsBack() {
    signIn("", "conductor_admin");
    page.navigate(server.base + "/console/tenants");
    page.getByLabel("Tenant id").fill("globex");
    page.getByLabel("Name").fill("Globex");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create tenant")).click();
    assertThat(page.url()).endsWith("/console/tenants/globex");

    page.getByLabel("Profile", new Page.GetByLabelOptions().setExact(true))
        .selectOption("partner-demo");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Assign profile")).click();
    assertThat(page.locator("#tenant-profile").textContent()).isEqualTo("partner-demo");
    assertThat(page.locator(".flash .receipt").textContent()).contains("rcp_");

    page.getByLabel("max_concurrent_runs").fill("7");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Set quotas")).click();
    assertThat(page.locator("#quota-max_concurrent_runs").textContent()).isEqualTo("7");
    String quotaReceipt = page.locator(".flash .receipt code").textContent();
    assertThat(page.locator("section[aria-labelledby=changes-title]").textContent())
        .contains(quotaReceipt)
        .contains("/quotas/max_concurrent_runs: 25 → 7");
    shot("tenant-quota");

    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Rollback config")).click();
    assertThat(page.locator("#quota-max_concurrent_runs").textContent()).isEqualTo("25");
    assertThat(page.locator(".flash").textContent())
        .contains("Rolled back the change of receipt " + quotaReceipt);
    String rollbackReceipt = page.locator(".flash .receipt code").textContent();
    assertThat(rollbackReceipt).isNotEqualTo(quotaReceipt);
    assertThat(page.locator("section[aria-labelledby=changes-title]").textContent())
        .contains("/quotas/max_concurrent_runs: 7 → 25");
    shot("tenant-rollback");

    // Members: add one with a role; the change shows its receipt and the member is listed.
    page.getByLabel("Member", new Page.GetByLabelOptions().setExact(true)).fill("rita@globex");
    page.getByLabel("Role", new Page.GetByLabelOptions().setExact(true))
        .selectOption("workflow_reviewer");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add or change member"))
        .click();
    assertThat(page.locator(".flash").textContent()).contains("rita@globex is workflow_reviewer.");
    assertThat(page.locator(".flash .receipt code").textContent()).startsWith("rcp_");
    assertThat(page.locator("section[aria-labelledby=members-title]").textContent())
        .contains("rita@globex")
        .contains("workflow_reviewer");
    shot("tenant-members");

    // The profile change is rolled back like any other once it is the newest change.
    page.getByLabel("Profile", new Page.GetByLabelOptions().setExact(true))
        .selectOption("regulated");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Assign profile")).click();
    assertThat(page.locator("#tenant-profile").textContent()).isEqualTo("regulated");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Rollback config")).click();
    assertThat(page.locator("#tenant-profile").textContent()).isEqualTo("partner-demo");
  }

  @Test
  void createDemoTenantFromTheConsoleThenApproveItsWaitingRun() {
    signIn("", "conductor_admin");
    page.navigate(server.base + "/console/tenants");
    page.locator("#create-demo").click();
    page.waitForLoadState();
    // Provisioning publishes, runs and exports through the API: slow on a loaded machine.
    String tenant =
        page.locator("#demo-tenant")
            .textContent(
                new com.microsoft.playwright.Locator.TextContentOptions().setTimeout(120_000));
    assertThat(tenant).startsWith("demo-");
    assertThat(page.locator("#demo-denied").textContent()).contains("role_not_permitted");
    assertThat(page.locator("#demo-export").textContent()).startsWith("verified");
    String pending = page.locator("#demo-pending").textContent();
    String completed = page.locator("#demo-completed").textContent();
    shot("demo-tenant");

    page.locator("#open-demo").click();
    page.waitForLoadState();
    assertThat(page.locator("header").textContent()).contains("reviewer@" + tenant);
    assertThat(page.locator("main").textContent()).contains(pending).contains(completed);
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(pending)).click();
    page.getByLabel("Comment").fill("demo approved");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Approve")).click();
    assertThat(page.locator(".flash").textContent()).contains("Step approve approved.");
  }

  @Test
  void readOnlySeesNoWriteControlAndTheServerRefusesTheWriteAnyway() throws Exception {
    String operator = server.token("acme", "tenant_admin");
    String run =
        server.publishAndRun(
            operator, "gated-ro", ConsoleServer.APPROVAL.replace("gated", "gated-ro"));
    server.awaitStep(operator, run, "approve", "WAITING");

    signIn("acme", "read_only");
    page.navigate(server.base + "/console/runs/" + run);
    assertThat(page.locator("h1").textContent()).contains(run);
    assertThat(page.locator("main button").count()).isZero();
    assertThat(page.locator("main form[method=post]").count()).isZero();
    shot("read-only-run");

    // The form the page did not draw, sent anyway with the session's cookie and CSRF token.
    String csrf = page.locator("header input[name=csrf]").getAttribute("value");
    String cookie = "maestro_console=" + context.cookies().getFirst().value;
    var res =
        server.page(
            "POST",
            "/console/runs/" + run + "/steps/approve/decide",
            cookie,
            "csrf=" + csrf + "&decision=approve&comment=sneaky");
    assertThat(res.body()).contains("Refused").contains("policy_denied");
    assertThat(
            server
                .call("GET", "/api/runs/" + run, operator, null, null)
                .path("steps")
                .get(1)
                .path("status")
                .asText())
        .isEqualTo("WAITING");
  }

  @Test
  void anotherTenantsRunIsNotFound() {
    String acme = server.token("acme", "tenant_admin");
    String run =
        server.publishAndRun(
            acme,
            "hello",
            "apiVersion: maestro/v1\nkind: Workflow\nmetadata: {name: hello, version: \"1\"}\nspec:\n  tasks:\n    - {id: greet, uses: core/log, with: {message: hi}}\n");

    signIn("initech", "tenant_admin");
    Response res = page.navigate(server.base + "/console/runs/" + run);
    assertThat(res.status()).isEqualTo(404);
    assertThat(page.locator("h1").textContent()).isEqualTo("Not found");
    Response tenant = page.navigate(server.base + "/console/tenants/acme");
    assertThat(tenant.status()).isEqualTo(404);
    shot("cross-tenant-404");
  }

  @Test
  void controlCoverageFromTheNavigation_andADisclosurePackDownloadedFromARun() throws Exception {
    String admin = server.token("auditco", "tenant_admin");
    String run =
        server.publishAndRun(
            admin,
            "audited",
            "apiVersion: maestro/v1\nkind: Workflow\nmetadata: {name: audited, version: \"1\"}\n"
                + "spec:\n  tasks:\n    - {id: a, uses: core/noop, with: {card: 4111}}\n");
    server.awaitStep(admin, run, "a", "SUCCEEDED");

    signIn("auditco", "tenant_admin");
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Compliance")).click();
    assertThat(page.locator("h1").textContent()).isEqualTo("Control coverage");
    assertThat(page.locator("#controls tbody tr").count()).isGreaterThan(5);
    assertThat(page.locator("#control-change-management").textContent())
        .containsPattern("met|partial");
    assertThat(page.locator("#control-backup-restore").textContent()).contains("no_evidence");
    shot("control-coverage");
    page.locator("#control-change-management a").first().click();
    assertThat(page.url()).contains("/console/receipts/");

    page.navigate(server.base + "/console/runs/" + run);
    page.getByLabel("Region").fill("US");
    page.getByLabel("Withhold (one path per line)").fill("$.steps[*].outputs");
    shot("run-disclosure-form");
    Download download =
        page.waitForDownload(
            () ->
                page.getByRole(
                        AriaRole.BUTTON,
                        new Page.GetByRoleOptions().setName("Download disclosure pack"))
                    .click());
    assertThat(download.suggestedFilename()).isEqualTo(run + "-disclosure.tar.gz");
    Path pack = SHOTS.resolve(run + ".tar.gz");
    download.saveAs(pack);
    byte[] head = Files.readAllBytes(pack);
    assertThat(head.length).isGreaterThan(100);
    assertThat(head[0] & 0xff).isEqualTo(0x1f); // gzip
    assertThat(head[1] & 0xff).isEqualTo(0x8b);
    // The form's region and withheld path made the pack: its manifest says so, and it verifies.
    var keys =
        io.maestro.provenance.keys.TrustedKeys.fromJwks(
            server.call("GET", "/.well-known/maestro/keys", null, null, null));
    try (var in = Files.newInputStream(pack)) {
      var report = io.maestro.evidence.verify.PackVerifier.verify(in, keys);
      assertThat(report.failures()).isEmpty();
      assertThat(report.withheld()).anySatisfy(w -> assertThat(w).contains("outputs"));
    }
    try (var in = Files.newInputStream(pack)) {
      var manifest =
          io.maestro.core.json.Json.MAPPER.readTree(
              io.maestro.evidence.verify.BundleFiles.read(in).files().get("manifest.json"));
      assertThat(manifest.path("scope").path("region").asText()).isEqualTo("US");
    }
  }

  @Test
  void complianceBundleAndPack_downloadedFromTheComplianceView_verify() throws Exception {
    String admin = server.token("bundleco", "tenant_admin");
    String run =
        server.publishAndRun(
            admin,
            "bundled",
            "apiVersion: maestro/v1\nkind: Workflow\nmetadata: {name: bundled, version: \"1\"}\n"
                + "spec:\n  tasks:\n    - {id: a, uses: core/noop}\n");
    server.awaitStep(admin, run, "a", "SUCCEEDED");
    Thread.sleep(1100);
    String to = java.time.Instant.now().toString();

    signIn("bundleco", "tenant_admin");
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Compliance")).click();
    page.getByLabel("To (RFC 3339, excluded)").fill(to);
    shot("compliance-downloads");
    Download bundle =
        page.waitForDownload(
            () ->
                page.getByRole(
                        AriaRole.BUTTON,
                        new Page.GetByRoleOptions().setName("Download compliance bundle"))
                    .click());
    assertThat(bundle.suggestedFilename()).isEqualTo("bundleco-compliance.tar.gz");
    Path bundleFile = SHOTS.resolve("bundleco-compliance.tar.gz");
    bundle.saveAs(bundleFile);
    var keys =
        io.maestro.provenance.keys.TrustedKeys.fromJwks(
            server.call("GET", "/.well-known/maestro/keys", null, null, null));
    try (var in = Files.newInputStream(bundleFile)) {
      var r = io.maestro.evidence.verify.BundleVerifier.verify(in, keys);
      assertThat(r.failures()).isEmpty();
      assertThat(r.tenant()).isEqualTo("bundleco");
      assertThat(r.to()).isEqualTo(java.time.Instant.parse(to).toString());
    }

    Download pack =
        page.waitForDownload(
            () ->
                page.getByRole(
                        AriaRole.LINK,
                        new Page.GetByRoleOptions().setName("Download Conductor Compliance Pack"))
                    .click());
    assertThat(pack.suggestedFilename()).isEqualTo("bundleco-compliance-pack.tar.gz");
    Path packFile = SHOTS.resolve("bundleco-compliance-pack.tar.gz");
    pack.saveAs(packFile);
    try (var in = Files.newInputStream(packFile)) {
      var r =
          io.maestro.evidence.verify.CompliancePackVerifier.verify(
              io.maestro.evidence.verify.BundleFiles.read(in), keys);
      assertThat(r.failures()).isEmpty();
      assertThat(r.tag()).isEqualTo("Conductor Compliance");
    }
  }
}
