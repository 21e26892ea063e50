package io.maestro.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Response;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.provenance.verify.ExportVerifier;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The receipts view in Chromium: an auditor searches the tenant's log by digest, by actor and by
 * deny reason, is told in one line what is wrong with a malformed digest, and downloads the
 * tenant's receipt export, which verifies offline against the server's published keys.
 */
class ReceiptsBrowserIT extends BrowserTestBase {
  static final String ONE_STEP =
      "apiVersion: maestro/v1\nkind: Workflow\nmetadata: {name: ledger, version: \"1\"}\n"
          + "spec:\n  tasks:\n    - {id: a, uses: core/log, with: {message: hi}}\n";

  @Test
  void searchByDigestActorAndDenyReason_thenDownloadAVerifiedExport() throws Exception {
    String admin = server.token("ledger", "tenant_admin", "alice@ledger");
    String run = server.publishAndRun(admin, "ledger", ONE_STEP);
    server.awaitStep(admin, run, "a", "SUCCEEDED");
    // A viewer's start is refused by the policy: a policy.denied receipt with its reason.
    String viewer = server.token("ledger", "read_only", "vera@ledger");
    try {
      server.call("POST", "/api/runs", viewer, "{\"workflow\":\"ledger\"}", "application/json");
      throw new IllegalStateException("a viewer's start should be refused");
    } catch (AssertionError refused) {
      assertThat(refused.getMessage()).contains("403").contains("role_not_permitted");
    }
    JsonNode started =
        server.call("GET", "/api/receipts?run=" + run + "&proofs=true", admin, null, null);
    String receiptId = started.path("receipts").get(0).path("id").asText();
    String digest = started.path("proofs").get(0).path("digest").asText();
    awaitCheckpointCovering(admin);

    signIn("ledger", "read_only", "audrey@ledger");
    nav("Receipts");
    Locator rows = page.locator("table tbody tr");

    page.getByLabel("Digest").fill(digest);
    search();
    assertThat(rows.count()).isEqualTo(1);
    assertThat(rows.first().textContent()).contains(receiptId);

    page.getByLabel("Digest").fill("");
    page.getByLabel("Actor").fill("vera@ledger");
    search();
    assertThat(rows.count()).isGreaterThanOrEqualTo(1);
    for (String row : rows.allTextContents()) {
      assertThat(row).contains("vera@ledger");
    }
    assertThat(page.locator("table").textContent()).contains("policy.denied");

    page.getByLabel("Actor").fill("");
    page.getByLabel("Deny reason").fill("role_not_permitted");
    search();
    assertThat(rows.count()).isGreaterThanOrEqualTo(1);
    for (String row : rows.allTextContents()) {
      assertThat(row).contains("denied:").contains("role_not_permitted");
    }
    shot("receipts-search");

    page.getByLabel("Deny reason").fill("");
    page.getByLabel("Digest").fill("sha256:not-a-digest");
    Response bad = page.waitForResponse(r -> r.url().contains("/console/receipts?"), this::search);
    assertThat(bad.status()).isEqualTo(422);
    assertThat(page.locator("#search-error").textContent())
        .contains("sha256: followed by 64 lowercase hex digits");
    assertThat(rows.first().textContent()).contains("No receipts match.");

    assertThat(page.locator("#export-log").count())
        .as("a viewer may not export the log, so no button")
        .isZero();

    context.clearCookies();
    signIn("ledger", "tenant_admin", "alice@ledger");
    nav("Receipts");
    Download download = page.waitForDownload(() -> page.locator("#export-log").click());
    assertThat(download.suggestedFilename()).isEqualTo("ledger-receipts.ndjson");
    Path file = SHOTS.resolve("ledger-receipts.ndjson");
    download.saveAs(file);
    String keys = server.page("GET", "/.well-known/maestro/keys", null, null).body();
    ExportVerifier.Report report =
        ExportVerifier.verify(
            new StringReader(Files.readString(file)),
            TrustedKeys.fromJwks(ConsoleServer.JSON.readTree(keys)),
            Optional.empty());
    assertThat(report.from()).isEqualTo(1);
    assertThat(report.receipts()).isGreaterThan(3);
    assertThat(Files.readString(file)).contains(receiptId);
  }

  private void search() {
    page.getByRole(
            com.microsoft.playwright.options.AriaRole.BUTTON,
            new com.microsoft.playwright.Page.GetByRoleOptions().setName("Search").setExact(true))
        .click();
    page.waitForLoadState();
  }

  /** Waits (bounded) until a signed checkpoint covers the tenant's receipts so far. */
  private static void awaitCheckpointCovering(String token) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      JsonNode page = server.call("GET", "/api/receipts?limit=500", token, null, null);
      long last = 0;
      for (JsonNode r : page.path("receipts")) {
        last = Math.max(last, r.path("seq").asLong());
      }
      try {
        if (server.call("GET", "/api/checkpoints/latest", token, null, null).path("size").asLong()
            >= last) {
          return;
        }
      } catch (AssertionError noCheckpointYet) {
        // checkpoint_not_found until the checkpointer's first pass over the new tenant
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no checkpoint covered the tenant's receipts in time");
  }
}
