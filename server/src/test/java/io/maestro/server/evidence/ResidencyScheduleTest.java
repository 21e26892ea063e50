package io.maestro.server.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.server.MaestroServer;
import io.maestro.server.TestServers;
import io.maestro.server.auth.Api;
import io.maestro.tenancy.ScopeGuard;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduled residency audit: with a one-second interval, nobody asks and it still finds. */
class ResidencyScheduleTest {
  @TempDir Path dir;
  MaestroServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theScheduledJob_auditsEveryTenantAsTheAuditor() throws Exception {
    server =
        MaestroServer.start(
            TestServers.config(dir, Map.of("evidence.residency.intervalSeconds", "1")),
            ScopeGuard.ENFORCING);
    ResidencyApiTest.server = server;
    ResidencyApiTest.api = new Api(server.port());
    Api api = ResidencyApiTest.api;
    String root = api.token(null, "root@platform", "conductor_admin");
    ResidencyApiTest.tenant(root, "scheduled", java.util.List.of("US", "EU"));
    String admin = api.token("scheduled", "ada@scheduled", "tenant_admin");
    ResidencyApiTest.publish(admin, "eu-flow", "EU");
    String run = ResidencyApiTest.run(admin, "eu-flow");
    // The run was allowed where it ran; then the tenant may no longer use EU.
    assertThat(
            api.call("PATCH", "/api/tenants/scheduled", root, Map.of("regions", List.of("US")))
                .status())
        .isEqualTo(200);

    JsonNode findings = null;
    for (int i = 0; i < 100; i++) {
      findings = api.call("GET", "/api/residency/audit", admin, null).body();
      if (findings.path("violations").size() > 0) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(findings.path("violations")).hasSize(1);
    assertThat(findings.path("violations").get(0).path("ref").asText()).isEqualTo(run);
    JsonNode receipts = ResidencyApiTest.violationReceipts(admin).get(0);
    assertThat(receipts.path("actor").path("sub").asText()).isEqualTo("system:residency-auditor");
    // The job keeps running: a second interval records nothing new.
    Thread.sleep(2500);
    assertThat(ResidencyApiTest.violationReceipts(admin)).hasSize(1);
  }
}
