package io.maestro.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The decision point on the canon bundle the build embedded, with realistic inputs. */
class CanonPdpTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
  private DecisionLog.InMemory log;
  private DecisionPoint pdp;

  @BeforeEach
  void start() {
    Canon.assumeEngineRunsCanonPacks();
    log = new DecisionLog.InMemory(100);
    pdp = DecisionPoint.startCanon(PdpSettings.defaults(), CLOCK, new SplittableRandom(3), log);
  }

  static Actor actor(String sub, String tenant, String... roles) {
    return new Actor(
        sub, Optional.ofNullable(tenant).map(TenantId::of), List.of(roles), Map.of(), "oidc");
  }

  static PolicyInput.Builder run(Actor a, String risk, String env) {
    return PolicyInput.builder("workflow.run", a)
        .tenant("acme", null)
        .quota(Map.of("maxConcurrent", 25, "maxStepsPerMinute", 600))
        .usage(Map.of("concurrentRuns", 3, "stepsLastMinute", 40))
        .regions(List.of("US", "EU"))
        .request(Map.of("resourceClass", "medium", "region", "US"))
        .plan(Map.of("estimatedCostUSD", 3.27))
        .resource(
            "workflow",
            "wf-1",
            "acme",
            Map.of("environment", env, "risk_profile", risk, "region", "US"));
  }

  @Test
  void operatorRunsALowRiskWorkflow() {
    Decision d = pdp.decide(run(actor("ops@acme", "acme", "operator"), "low", "prod").build());

    assertThat(d.allow()).isTrue();
    assertThat(d.bundleRevision()).startsWith("canon-");
    assertThat(pdp.active().verified().keyId()).isEqualTo(CanonBundle.KEY_ID);
  }

  @Test
  void highRiskProductionRunNeedsAReviewer() {
    Decision denied =
        pdp.decide(run(actor("ops@acme", "acme", "operator"), "high", "prod").build());
    Decision approved =
        pdp.decide(
            run(actor("ops@acme", "acme", "operator"), "high", "prod")
                .approval("rev@acme", "workflow_reviewer")
                .build());

    assertThat(denied.allow()).isFalse();
    assertThat(denied.reasons())
        .extracting(Decision.Reason::code)
        .containsExactly("approval_required");
    assertThat(approved.allow()).isTrue();
  }

  @Test
  void crossTenantAccessIsDeniedWithReason() {
    Decision d =
        pdp.decide(
            PolicyInput.builder("workflow.read", actor("a@globex", "globex", "tenant_admin"))
                .tenant("acme", null)
                .resource("workflow", "wf-1", "acme", Map.of())
                .build());
    assertThat(d.allow()).isFalse();
    assertThat(d.reasons())
        .extracting(Decision.Reason::code)
        .containsExactly("cross_tenant_access");
  }

  @Test
  void editionDecidesWhatPlatformAdminsMayDoInTenants() {
    PolicyInput author =
        PolicyInput.builder("workflow.author", actor("root", null, "conductor_admin"))
            .tenant("acme", null)
            .resource("workflow", "wf-1", "acme", Map.of())
            .build();
    DecisionPoint saas =
        DecisionPoint.startCanon(
            PdpSettings.defaults().withEdition("saas"),
            CLOCK,
            new SplittableRandom(3),
            DecisionLog.NONE);

    assertThat(pdp.decide(author).allow()).isTrue();
    assertThat(saas.decide(author).reasons())
        .extracting(Decision.Reason::code)
        .containsExactly("cross_tenant_access");
  }

  @Test
  void skuGatesRefuseFeaturesItDoesNotInclude() {
    DecisionPoint standard =
        DecisionPoint.startCanon(
            PdpSettings.defaults()
                .withSku(io.maestro.core.sku.SkuCatalog.shipped().select("saas", "saas-standard")),
            CLOCK,
            new SplittableRandom(3),
            DecisionLog.NONE);
    DecisionPoint pro =
        DecisionPoint.startCanon(
            PdpSettings.defaults()
                .withSku(io.maestro.core.sku.SkuCatalog.shipped().select("saas", "saas-pro")),
            CLOCK,
            new SplittableRandom(3),
            DecisionLog.NONE);
    PolicyInput ramp =
        PolicyInput.builder("ramp.write", actor("admin@acme", "acme", "tenant_admin"))
            .tenant("acme", "hosted-saas")
            .resource("ramp", "hello", "acme", Map.of())
            .build();

    Decision refused = standard.decide(ramp);
    assertThat(refused.reasons())
        .extracting(Decision.Reason::code)
        .containsExactly("feature_not_in_sku");
    assertThat(pro.decide(ramp).allow()).isTrue();
  }

  @Test
  void quotaCapsRefuseNewRuns() {
    Decision d =
        pdp.decide(
            run(actor("ops@acme", "acme", "operator"), "low", "dev")
                .usage(Map.of("concurrentRuns", 25))
                .build());
    assertThat(d.reasons())
        .extracting(Decision.Reason::code)
        .containsExactly("quota_concurrency_exceeded");
  }

  @Test
  void decisionLogMasksRunParameters() {
    Decision d =
        pdp.decide(
            run(actor("ops@acme", "acme", "operator"), "low", "dev")
                .request(Map.of("region", "US", "parameters", Map.of("api_token", "s3cr3t")))
                .build());

    DecisionLogEntry e = log.entries().get(log.entries().size() - 1);
    assertThat(e.decision().id()).isEqualTo(d.id());
    assertThat(e.toJson().toString()).doesNotContain("s3cr3t");
    assertThat(e.erased()).containsExactly("/input/request/parameters");
  }

  @Test
  void catalogListsPacksAndProfiles() {
    PolicyCatalog catalog = new PolicyCatalog(pdp.active());

    assertThat(catalog.packs())
        .extracting(p -> p.id())
        .containsExactly(
            "maestro.abac",
            "maestro.authz",
            "maestro.budget",
            "maestro.governance",
            "maestro.isolation",
            "maestro.lifecycle",
            "maestro.packages",
            "maestro.quota",
            "maestro.rbac",
            "maestro.sku",
            "maestro.worker");
    assertThat(catalog.profiles())
        .extracting(ProfileInfo::id)
        .containsExactly(
            "conductor-governance-internal",
            "conductor-governance-saas",
            "conductor-governance-white-label",
            "hosted-saas",
            "internal-default",
            "partner-demo",
            "regulated");
    assertThat(catalog.packJson("maestro.rbac").path("docs_markdown").asText())
        .startsWith("# Role-based access");
    assertThat(catalog.packsJson().path("bundle").path("digest").asText()).startsWith("sha256:");
  }
}
