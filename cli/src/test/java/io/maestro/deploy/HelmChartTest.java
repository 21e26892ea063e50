package io.maestro.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.cli.CliRunner;
import io.maestro.core.sku.SkuCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Helm chart rendered for each edition has every object and the security settings, and every
 * object it renders — for each values combination rendered here — is valid against the Kubernetes
 * API's schemas ({@link KubernetesSchemas}).
 */
class HelmChartTest {
  static final Path CHART = CliRunner.root().resolve("deploy/helm/maestro");

  /** Every values combination rendered in these tests ("tracing" turns tracing on). */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "values.yaml",
        "values-internal.yaml",
        "values-white-label.yaml",
        "values-saas.yaml",
        "values-release-gate.yaml",
        "tracing"
      })
  void everyRenderedObject_isValidAgainstTheKubernetesApiSchemas(String values) throws IOException {
    List<JsonNode> docs = render(values);
    assertThat(docs).hasSizeGreaterThanOrEqualTo(8);
    for (JsonNode doc : docs) {
      assertThat(KubernetesSchemas.problems(doc))
          .as(doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText())
          .isEmpty();
    }
  }

  @Test
  void theSchemas_refuseUnknownFieldsWrongTypesAndMissingRequiredFields() throws IOException {
    Map<String, JsonNode> byKind = byKind(render("values-saas.yaml"));
    ObjectNode deployment = byKind.get("Deployment/mc").deepCopy();
    ObjectNode spec = (ObjectNode) deployment.get("spec");
    spec.put("replica", 3); // misspelt: the API has no such field
    spec.remove("selector"); // required by apps/v1 DeploymentSpec
    ObjectNode container =
        (ObjectNode) spec.path("template").path("spec").path("containers").get(0);
    ((ObjectNode) container.path("ports").get(0)).put("containerPort", "http"); // an int32
    ((ObjectNode) container.path("resources").path("limits")).put("memory", "lots");
    List<String> problems = KubernetesSchemas.problems(deployment);
    assertThat(problems)
        .anySatisfy(p -> assertThat(p).contains("replica"))
        .anySatisfy(p -> assertThat(p).contains("selector"))
        .anySatisfy(p -> assertThat(p).contains("containerPort"))
        .anySatisfy(p -> assertThat(p).contains("memory"));

    ObjectNode config = byKind.get("ConfigMap/mc-config").deepCopy();
    ((ObjectNode) config.get("data")).put("MAESTRO_TRACING_ENABLED", false); // data is strings
    assertThat(KubernetesSchemas.problems(config))
        .singleElement()
        .satisfies(p -> assertThat(p).contains("MAESTRO_TRACING_ENABLED"));

    ObjectNode secret = byKind.get("Secret/mc-db").deepCopy();
    ((ObjectNode) secret.get("data")).put("MAESTRO_DB_PASSWORD", "not base64!");
    assertThat(KubernetesSchemas.problems(secret)).hasSize(1);

    ObjectNode pdb = byKind.get("PodDisruptionBudget/mc").deepCopy();
    ((ObjectNode) pdb.get("spec")).put("minAvailable", "50%"); // IntOrString: fine
    assertThat(KubernetesSchemas.problems(pdb)).isEmpty();
    ((ObjectNode) pdb.get("spec")).put("minAvailable", true);
    assertThat(KubernetesSchemas.problems(pdb)).hasSize(1);

    ObjectNode unknownKind = deployment.deepCopy().put("kind", "Deploymnet");
    assertThat(KubernetesSchemas.problems(unknownKind))
        .containsExactly("no Kubernetes schema for apps/v1/Deploymnet");
  }

  private static List<JsonNode> render(String values) throws IOException {
    if (values.equals("tracing")) {
      Path file = Files.createTempFile("values-tracing", ".yaml");
      Files.writeString(file, "tracing: {enabled: true}\n");
      values = file.toString();
    }
    return ChartRenderer.render(CHART, values, "mc", "maestro");
  }

  private static Map<String, JsonNode> byKind(List<JsonNode> docs) {
    return docs.stream()
        .collect(
            Collectors.toMap(
                d -> d.path("kind").asText() + "/" + d.path("metadata").path("name").asText(),
                d -> d));
  }

  @ParameterizedTest
  @ValueSource(strings = {"internal", "white-label", "saas"})
  void chart_rendersEveryObjectWithTheSecuritySettings(String edition) throws IOException {
    List<JsonNode> docs =
        ChartRenderer.render(CHART, "values-" + edition + ".yaml", "mc", "maestro");
    Map<String, JsonNode> byKind =
        docs.stream()
            .collect(
                Collectors.toMap(
                    d -> d.path("kind").asText() + "/" + d.path("metadata").path("name").asText(),
                    d -> d));
    assertThat(byKind)
        .containsKeys(
            "Deployment/mc",
            "Service/mc",
            "ConfigMap/mc-config",
            "Secret/mc-db",
            "Secret/mc-signing",
            "PodDisruptionBudget/mc",
            "NetworkPolicy/mc",
            "ServiceMonitor/mc");

    JsonNode deployment = byKind.get("Deployment/mc");
    assertThat(deployment.path("spec").path("replicas").asInt()).isGreaterThanOrEqualTo(2);
    JsonNode pod = deployment.path("spec").path("template").path("spec");
    assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText())
        .isEqualTo("RuntimeDefault");
    JsonNode c = pod.path("containers").get(0);
    JsonNode sc = c.path("securityContext");
    assertThat(sc.path("allowPrivilegeEscalation").isBoolean()).isTrue();
    assertThat(sc.path("allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(sc.path("capabilities").path("drop").get(0).asText()).isEqualTo("ALL");
    assertThat(c.path("resources").path("requests").path("cpu").asText()).isNotEmpty();
    assertThat(c.path("resources").path("limits").path("memory").asText()).isNotEmpty();
    assertThat(c.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/healthz");
    assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/readyz");

    JsonNode config = byKind.get("ConfigMap/mc-config").path("data");
    assertThat(config.path("MAESTRO_EDITION").asText()).isEqualTo(edition);
    // The chart's SKU must be one the server accepts for its edition.
    SkuCatalog.shipped().select(edition, config.path("MAESTRO_SKU").asText());
    assertThat(config.toString()).doesNotContain("PASSWORD");
    assertThat(byKind.get("Secret/mc-db").path("data").has("MAESTRO_DB_PASSWORD")).isTrue();

    int minAvailable =
        byKind.get("PodDisruptionBudget/mc").path("spec").path("minAvailable").asInt();
    assertThat(minAvailable)
        .isPositive()
        .isLessThan(deployment.path("spec").path("replicas").asInt());
    assertThat(byKind.get("NetworkPolicy/mc").path("spec").path("policyTypes").toString())
        .contains("Ingress")
        .contains("Egress");
    assertThat(pod.has("initContainers")).as("the release gate is off by default").isFalse();
    assertThat(c.toString()).doesNotContain("MAESTRO_RELEASE_VERIFY_DIR");
    assertThat(config.path("MAESTRO_TRACING_ENABLED").asText())
        .as("tracing is off by default")
        .isEqualTo("false");
    assertThat(byKind.get("NetworkPolicy/mc").path("spec").path("egress").toString())
        .doesNotContain("4318");
  }

  @Test
  void tracing_setsTheServersKeysAndOpensEgressToTheCollector() throws IOException {
    Path values = Files.createTempFile("values-tracing", ".yaml");
    Files.writeString(values, "tracing: {enabled: true}\n");
    Map<String, JsonNode> byKind =
        ChartRenderer.render(CHART, values.toString(), "mc", "maestro").stream()
            .collect(
                Collectors.toMap(
                    d -> d.path("kind").asText() + "/" + d.path("metadata").path("name").asText(),
                    d -> d));
    JsonNode config = byKind.get("ConfigMap/mc-config").path("data");
    assertThat(config.path("MAESTRO_TRACING_ENABLED").asText()).isEqualTo("true");
    assertThat(config.path("MAESTRO_TRACING_OTLP_ENDPOINT").asText())
        .isEqualTo("http://otel-collector.monitoring:4318/v1/traces");
    assertThat(byKind.get("NetworkPolicy/mc").path("spec").path("egress").toString())
        .contains("4318");
  }

  @Test
  void releaseGate_addsAnInitContainerVerifyingTheRelease_andTheServersOwnGate()
      throws IOException {
    JsonNode pod =
        ChartRenderer.render(CHART, "values-release-gate.yaml", "mc", "maestro").stream()
            .filter(d -> d.path("kind").asText().equals("Deployment"))
            .findFirst()
            .orElseThrow()
            .path("spec")
            .path("template")
            .path("spec");
    JsonNode init = pod.path("initContainers").get(0);
    assertThat(init.path("name").asText()).isEqualTo("verify-release");
    assertThat(init.path("image").asText())
        .isEqualTo(pod.path("containers").get(0).path("image").asText());
    assertThat(init.path("args").toString())
        .isEqualTo(
            "[\"verify\",\"release\",\"/var/run/maestro/release\",\"--keys\","
                + "\"/var/run/maestro/release-keys/release-keys.json\"]");
    assertThat(init.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
    JsonNode server = pod.path("containers").get(0);
    assertThat(server.path("env").toString())
        .contains("MAESTRO_RELEASE_VERIFY_DIR")
        .contains("MAESTRO_RELEASE_KEYS");
    Map<String, JsonNode> volumes =
        java.util.stream.StreamSupport.stream(pod.path("volumes").spliterator(), false)
            .collect(Collectors.toMap(v -> v.path("name").asText(), v -> v));
    assertThat(volumes.get("release").path("persistentVolumeClaim").path("claimName").asText())
        .isEqualTo("maestro-release");
    assertThat(volumes.get("release-keys").path("secret").path("secretName").asText())
        .isEqualTo("mc-signing");
  }
}
