package io.maestro.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.core.config.ConfigLoader;
import io.maestro.server.MaestroServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code maestro policy simulate} against a real dev-mode server: the seed's example question. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulateCommandTest {
  @TempDir static Path dir;
  MaestroServer server;
  String url;
  String token;

  @BeforeAll
  void start() throws Exception {
    server =
        MaestroServer.start(
            new ConfigLoader(Map.of(), dir)
                .load(
                    Optional.empty(),
                    Map.of(
                        "server.port", "0",
                        "server.host", "127.0.0.1",
                        "dataDir", dir.resolve("data").toString(),
                        "log.level", "WARN")));
    url = "http://127.0.0.1:" + server.port();
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url + "/api/dev/token"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"tenant\":\"acme\",\"roles\":[\"tenant_admin\"]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    token = r.body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void simulate_answersTheSeedQuestion_underAnotherProfileToo() throws Exception {
    Path scenarios = dir.resolve("scenarios.yaml");
    Files.writeString(
        scenarios,
        """
        edition: saas
        scenarios:
          - name: Can a workflow_author start a high-risk workflow in SaaS prod?
            actor: {sub: ann@acme, roles: [workflow_author], tenant: acme}
            action: workflow.run
            resource: {type: workflow, tenant: acme, attributes: {environment: prod, risk_profile: high}}
          - name: Can an operator read runs?
            actor: {sub: olga@acme, roles: [operator], tenant: acme}
            action: run.read
            resource: {type: run, tenant: acme}
        """);
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new SimulateCommand());
    cli.setOut(new PrintWriter(out));
    int code =
        cli.execute(
            scenarios.toString(), "--url", url, "--token", token, "--profile", "hosted-saas");
    assertThat(code).isZero();
    assertThat(out.toString())
        .contains(
            "DENY   Can a workflow_author start a high-risk workflow in SaaS prod?  [hosted-saas, saas]")
        .contains("role_not_permitted")
        .contains("ALLOW  Can an operator read runs?");
  }
}
